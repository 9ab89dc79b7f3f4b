// `build-volumes import`, end to end, on the four realistic exports in test/fixtures/import/:
// import (images served by a local HTTP server standing in for the platforms' image hosts),
// build, EPUBCheck every book, and check word by word that every word of every post is in its
// chapter. Then re-import safety, the command's own behaviour, and the hostile archives.
import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {cp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, describe, test} from 'node:test'
import rehypeParse from 'rehype-parse'
import {unified} from 'unified'
import {SKIP, visit} from 'unist-util-visit'
import {build} from '../src/index.js'
import type {FetchLike} from '../src/import/images.js'
import {runImport, type ImportOptions} from '../src/import/run.js'
import {readers} from '../src/import/sources/index.js'
import type {SourceName} from '../src/import/types.js'
import {chapterFileName} from '../src/shared/names.js'
import {runCli} from './helpers/cli.js'
import {readEpub} from './helpers/epub.js'
import {epubcheck, epubcheckAvailable} from './helpers/epubcheck.js'
import {missingWords, readExport, wordsOf} from './helpers/post-words.js'
import {fixturesDir, removeDir, tempDir} from './helpers/project.js'

const importDir = path.join(fixturesDir, 'import')
const exports: Record<SourceName, string> = {
  medium: path.join(importDir, 'medium'),
  substack: path.join(importDir, 'substack'),
  letterboxd: path.join(importDir, 'letterboxd'),
  wordpress: path.join(importDir, 'wordpress', 'morwennacastellanonfilm.WordPress.2024-05-02.xml')
}

// The platforms' image hosts, played by a local server: every address the fixtures use maps to a stand-in file.
let imageBase = ''
const requested: string[] = []
let closeServer: () => Promise<void> = async () => {}
before(async () => {
  const map = JSON.parse(await readFile(path.join(importDir, 'remote-images', 'manifest.json'), 'utf8')) as Record<string, string>
  const server = createServer((request, response) => {
    const address = new URL(request.url ?? '/', 'http://localhost').searchParams.get('u') ?? ''
    requested.push(address)
    const file = map[address]
    if (!file) return void response.writeHead(404, 'Not Found').end()
    readFile(path.join(importDir, 'remote-images', file)).then(
      (bytes) => response.writeHead(200).end(bytes),
      () => response.writeHead(500).end()
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  imageBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}/image`
  closeServer = () => new Promise((resolve) => server.close(() => resolve()))
})
after(() => closeServer())

const viaLocalServer: FetchLike = (url, init) => fetch(`${imageBase}?u=${encodeURIComponent(url)}`, init)

function options(source: SourceName, cwd: string, extra: Partial<ImportOptions> = {}): ImportOptions {
  return {source, archive: exports[source], cwd, manifest: 'volumes.yaml', fetch: viaLocalServer, sleep: async () => {}, ...extra}
}

function messages(
  files: ReadonlyArray<{path: string; messages: ReadonlyArray<{fatal?: boolean | null | undefined; ruleId?: string | null | undefined; reason: string}>}>
) {
  return files.flatMap((file) =>
    file.messages.map((m) => `${m.fatal === true ? 'error' : m.fatal === false ? 'warning' : 'info'} ${m.ruleId}: ${path.basename(file.path)}: ${m.reason}`)
  )
}

const expectedImages: Record<SourceName, number> = {medium: 2, substack: 2, letterboxd: 0, wordpress: 3}

describe('each export imports, builds into EPUBCheck-clean books, and keeps every word', {concurrency: 2}, () => {
  for (const source of Object.keys(exports) as SourceName[]) {
    test(source, {timeout: 180_000}, async (t) => {
      const dir = await tempDir(`import-${source}-`)
      try {
        const result = await runImport(options(source, dir))
        const problems = messages(result.files)
        assert.deepEqual(
          problems.filter((line) => line.startsWith('error')),
          []
        )
        assert.equal(result.written, true)
        assert.equal(result.manifest.action, 'written')
        // Substack's export never names its author: the new volumes.yaml says so at its line.
        assert.deepEqual(
          problems.filter((line) => line.includes('import-author')),
          source === 'substack'
            ? [
                'warning import-author: volumes.yaml: The export does not name its author, so the new volumes.yaml says `author: Your Name`; put your name there before you publish'
              ]
            : []
        )
        assert.equal(result.images.failed, 0, problems.join('\n'))
        assert.equal(result.images.downloaded, expectedImages[source])
        // Every image a review shows is a file beside it, named by its content.
        const names = (await readdir(path.join(dir, 'reviews'))).filter((name) => name.endsWith('.md'))
        for (const name of names) {
          const text = await readFile(path.join(dir, 'reviews', name), 'utf8')
          for (const [, address] of text.matchAll(/!\[[^\]]*\]\(([^ )]+)/g)) {
            assert.match(address!, /^images\/[0-9a-f]{20}\.(jpg|png)$/, `${name} shows ${address}`)
            assert.ok(existsSync(path.join(dir, 'reviews', address!)), `${name}: ${address} is there`)
          }
        }

        // Build every book, drafts included, so every imported post has a chapter.
        const built = await build({cwd: dir, out: path.join(dir, 'dist'), drafts: true, sourceDateEpoch: '1700000000', cache: false})
        assert.deepEqual(
          messages(built.files).filter((line) => !line.startsWith('info')),
          []
        )
        assert.equal(built.written, true)
        if (epubcheckAvailable(t)) {
          for (const output of built.outputs) assert.deepEqual((await epubcheck(output.path)).messages, [], `EPUBCheck on ${path.basename(output.path)}`)
        }

        // Word by word: each post's subtitle, body and notes, as the reader read them from the export, in its chapter of the collection.
        const collection = built.outputs.find((output) => output.kind === 'collection')!
        const epub = await readEpub(collection.path)
        const {posts} = await readExport(exports[source], readers[source])
        const imported = result.reviews.filter((review) => review.action === 'new')
        assert.ok(imported.length >= 5, `${imported.length} reviews imported`)
        for (const review of imported) {
          const post = posts.find((candidate) => candidate.key === review.key)!
          const chapter = epub.names.find((name) => name.endsWith(`/${chapterFileName(path.basename(review.file))}`))
          assert.ok(chapter, `${review.file} has a chapter`)
          const html = unified()
            .use(rehypeParse)
            .parse(await epub.text(chapter))
          // Note references are numbers the book adds, set against the word before them (`lifetimes²`).
          visit(html, 'element', (node, index, parent) => {
            if (node.tagName === 'sup' && parent && index !== undefined) {
              parent.children.splice(index, 1)
              return [SKIP, index]
            }
            return undefined
          })
          const source = [
            ...(post.subtitle?.match(/[\p{L}\p{N}]+/gu) ?? []),
            ...wordsOf(post.body),
            ...wordsOf({type: 'root', children: post.notes.flatMap((note) => note.children)})
          ]
          assert.ok(source.length > 5, `${review.file}: ${source.length} words`)
          assert.deepEqual(missingWords(source, wordsOf(html)), [], `${review.file}: every word of ${review.entry} is in its chapter`)
        }
      } finally {
        await removeDir(dir)
      }
    })
  }
})

test(
  're-import: new posts added, nothing you edited overwritten, --update takes changed posts, a conflict warns and keeps yours',
  {timeout: 120_000},
  async () => {
    const dir = await tempDir('reimport-')
    const exportDir = path.join(dir, 'export')
    try {
      await cp(exports.medium, exportDir, {recursive: true})
      const her = path.join(exportDir, 'posts', '2019-03-14_Her--2013--3c9f1a2b7d4e.html')
      const alien = path.join(exportDir, 'posts', '2019-10-31_Alien---a-review-8a1d4f6b0c33.html')
      const heist = path.join(exportDir, 'posts', '2020-02-09_The-quietest-heist-I-have-ever-loved-0f2e9c4b6a71.html')
      const heistHtml = await readFile(heist, 'utf8')
      await rm(heist)
      const first = await runImport(options('medium', dir, {archive: exportDir}))
      assert.equal(first.written, true)
      assert.deepEqual(
        first.reviews.map((review) => `${path.basename(review.file)} ${review.action}`),
        ['her-2013.md new', 'paddington-2-2017.md new', 'alien.md new', 'notes-on-columbus.md new']
      )
      const manifest = await readFile(path.join(dir, 'volumes.yaml'), 'utf8')

      // The same export again: nothing to do, nothing written.
      const same = await runImport(options('medium', dir, {archive: exportDir}))
      assert.equal(same.written, false)
      assert.ok(same.reviews.every((review) => review.action === 'unchanged'))

      // You edit Her; the platform's Her and Alien change; a new post appears.
      const herFile = path.join(dir, 'reviews', 'her-2013.md')
      await writeFile(herFile, (await readFile(herFile, 'utf8')).replace('There is a particular warmth', 'There is a peculiar warmth'))
      const herEdited = await readFile(herFile, 'utf8')
      await writeFile(her, (await readFile(her, 'utf8')).replace('perhaps too much in places', 'perhaps a little too much in places'))
      await writeFile(alien, (await readFile(alien, 'utf8')).replace('</section>', '<p>An afterword written later.</p></section>'))
      await writeFile(heist, heistHtml)
      const alienBefore = await readFile(path.join(dir, 'reviews', 'alien.md'), 'utf8')
      const second = await runImport(options('medium', dir, {archive: exportDir}))
      assert.deepEqual(
        second.reviews.map((review) => `${path.basename(review.file)} ${review.action}`),
        [
          'her-2013.md conflict',
          'paddington-2-2017.md unchanged',
          'alien.md outdated',
          'the-quietest-heist-i-have-ever-loved.md new',
          'notes-on-columbus.md unchanged'
        ]
      )
      assert.ok(
        messages(second.files).some(
          (line) =>
            line ===
            'warning import-conflict: her-2013.md: her-2013.md was edited since it was imported, and its post (posts/2019-03-14_Her--2013--3c9f1a2b7d4e.html) has changed in the export too; your version is kept'
        )
      )
      assert.equal(await readFile(herFile, 'utf8'), herEdited, 'your edit is kept')
      assert.equal(await readFile(path.join(dir, 'reviews', 'alien.md'), 'utf8'), alienBefore, 'without --update, a changed post is not taken')
      assert.equal(await readFile(path.join(dir, 'volumes.yaml'), 'utf8'), manifest, 'volumes.yaml is yours once written')
      assert.equal(second.manifest.action, 'exists')
      assert.match(second.manifest.snippet ?? '', /^ {6}- the-quietest-heist-i-have-ever-loved\.md$/m)

      // --update: the unedited, changed post is replaced; yours still is not.
      const third = await runImport(options('medium', dir, {archive: exportDir, update: true}))
      assert.deepEqual(
        third.reviews.filter((review) => review.action !== 'unchanged').map((review) => `${path.basename(review.file)} ${review.action}`),
        ['her-2013.md conflict', 'alien.md update']
      )
      assert.match(await readFile(path.join(dir, 'reviews', 'alien.md'), 'utf8'), /An afterword written later\./)
      assert.equal(await readFile(herFile, 'utf8'), herEdited)

      // A review you delete stays deleted.
      await rm(path.join(dir, 'reviews', 'paddington-2-2017.md'))
      const fourth = await runImport(options('medium', dir, {archive: exportDir, update: true}))
      assert.equal(fourth.reviews.find((review) => review.file.endsWith('paddington-2-2017.md'))?.action, 'deleted')
      assert.equal(existsSync(path.join(dir, 'reviews', 'paddington-2-2017.md')), false)
    } finally {
      await removeDir(dir)
    }
  }
)

test('a damaged import record: a warning, and no review overwritten or doubled', {timeout: 60_000}, async () => {
  const dir = await tempDir('damaged-record-')
  try {
    const first = await runImport(options('medium', dir, {download: false}))
    assert.equal(first.written, true)
    const herFile = path.join(dir, 'reviews', 'her-2013.md')
    await writeFile(herFile, 'My own words now.\n')
    await writeFile(path.join(dir, 'reviews', '.build-volumes-import.json'), '{"version": 1, "posts": ')
    const again = await runImport(options('medium', dir, {download: false, update: true}))
    assert.deepEqual(
      messages(again.files).filter((line) => line.includes('import-record')),
      [
        'warning import-record: .build-volumes-import.json: The import record is not one this version of build-volumes wrote, so this import cannot tell which reviews you edited; it only adds new files and overwrites none'
      ]
    )
    assert.equal(await readFile(herFile, 'utf8'), 'My own words now.\n')
    assert.ok(again.skipped.filter((skip) => skip.why === 'exists').length >= 4, 'every review already there is left alone')
    assert.equal((await readdir(path.join(dir, 'reviews'))).filter((name) => name.endsWith('.md')).length, first.reviews.length, 'no review file added')
    assert.equal(
      (await readdir(path.join(dir, 'reviews'))).filter((name) => /-\d{4}-\d{2}-\d{2}\.md$/.test(name)).length,
      0,
      'nothing doubled under a dated name'
    )
  } finally {
    await removeDir(dir)
  }
})

test('a review you wrote by hand with the same name is never overwritten or doubled', {timeout: 60_000}, async () => {
  const dir = await tempDir('handwritten-')
  try {
    await writeFile(path.join(dir, 'volumes.yaml'), 'series: Mine\nauthor: Me\nvolumes:\n  - number: 1\n    title: One\n    reviews: [her-2013.md]\n')
    await cp(path.join(fixturesDir, '..', '..', 'reviews', 'her-2013.md'), path.join(dir, 'reviews', 'her-2013.md'))
    const mine = await readFile(path.join(dir, 'reviews', 'her-2013.md'), 'utf8')
    const result = await runImport(options('medium', dir, {download: false}))
    assert.equal(result.written, true)
    assert.equal(await readFile(path.join(dir, 'reviews', 'her-2013.md'), 'utf8'), mine)
    assert.deepEqual(
      result.skipped.filter((skip) => skip.why === 'exists').map((skip) => skip.reason),
      ['`her-2013.md` is already in the reviews folder, not written by an import; it may be this review, so it is left alone']
    )
    assert.equal(result.manifest.action, 'exists')
  } finally {
    await removeDir(dir)
  }
})

test('a failed download is a warning naming the post and the address; the import completes and the review keeps the address', {timeout: 60_000}, async () => {
  const dir = await tempDir('failed-image-')
  try {
    const failing: FetchLike = async (url, init) =>
      url.includes('7nVdE2kLpQ0sXw9ZrT4yHg') ? new Response('gone', {status: 410, statusText: 'Gone'}) : viaLocalServer(url, init)
    const result = await runImport(options('medium', dir, {fetch: failing}))
    assert.equal(result.written, true)
    assert.equal(result.images.failed, 1)
    assert.deepEqual(
      messages(result.files).filter((line) => line.includes('import-image')),
      [
        'warning import-image: 2019-10-31_Alien---a-review-8a1d4f6b0c33.html: The image https://cdn-images-1.medium.com/max/800/1*7nVdE2kLpQ0sXw9ZrT4yHg.jpeg in “Alien — a review” could not be downloaded: the server answered 410 Gone; alien.md keeps its web address'
      ]
    )
    assert.match(
      await readFile(path.join(dir, 'reviews', 'alien.md'), 'utf8'),
      /\(https:\/\/cdn-images-1\.medium\.com\/max\/800\/1\*7nVdE2kLpQ0sXw9ZrT4yHg\.jpeg /
    )
  } finally {
    await removeDir(dir)
  }
})

describe('the command', {concurrency: 2}, () => {
  test('--dry-run prints the plan and writes nothing; --json says the same as data', {timeout: 60_000}, async () => {
    const dir = await tempDir('dry-run-')
    try {
      const run = await runCli(['import', 'substack', exports.substack, '--dry-run', '--skip-paid'], dir)
      assert.equal(run.code, 0, run.stderr)
      assert.match(run.stderr, /^Would import 5 reviews from .*substack \(2 images to download\); dry run, nothing written\.$/m)
      assert.match(run.stderr, /^ {2}reviews\/past-lives-2023\.md +← posts\/134829571\.past-lives-2023\.html +would write$/m)
      assert.match(run.stderr, /^Skipped 4 posts: .*1 paid post \(--skip-paid\).*$/m)
      assert.match(run.stderr, /^Would write volumes\.yaml/m)
      assert.deepEqual(await readdir(dir), [])
      const json = await runCli(['import', 'substack', exports.substack, '--dry-run', '--json', '--author', 'Morwenna Castellan'], dir)
      assert.equal(json.code, 0, json.stderr)
      const report = JSON.parse(json.stdout) as {
        ok: boolean
        written: boolean
        dryRun: boolean
        reviews: unknown[]
        skipped: Array<{why: string}>
        diagnostics: unknown[]
      }
      assert.equal(report.ok, true)
      assert.equal(report.written, false)
      assert.equal(report.dryRun, true)
      assert.equal(report.reviews.length, 6)
      assert.deepEqual(report.skipped.map((skip) => skip.why).sort(), ['empty', 'page', 'thread'])
      assert.deepEqual(await readdir(dir), [])
    } finally {
      await removeDir(dir)
    }
  })

  test('filters: --tag keeps posts with a tag or category; --title by pattern; --skip-drafts', {timeout: 60_000}, async () => {
    const dir = await tempDir('filters-')
    try {
      const run = await runCli(
        ['import', 'wordpress', exports.wordpress, '--no-download', '--tag', 'jacques tati', 'Best Picture', '--skip-drafts', '--json'],
        dir
      )
      const report = JSON.parse(run.stdout) as {reviews: Array<{title: string}>; skipped: Array<{why: string; entry: string}>}
      assert.equal(run.code, 0, run.stderr)
      assert.deepEqual(
        report.reviews.map((review) => review.title),
        ['Moonlight (2016)', 'Playtime — a review']
      )
      assert.deepEqual(
        report.skipped.map((skip) => skip.why),
        ['page', 'tag', 'tag', 'draft', 'draft']
      )
      assert.match(report.skipped[0]!.entry, /^morwennacastellanonfilm\.WordPress\.2024-05-02\.xml:\d+$/)
      const titled = await runCli(['import', 'letterboxd', exports.letterboxd, '--dry-run', '--title', '^mad max', '--json'], dir)
      assert.deepEqual(
        (JSON.parse(titled.stdout) as {reviews: Array<{title: string}>}).reviews.map((review) => review.title),
        ['Mad Max: Fury Road (2015)', 'Mad Max: Fury Road (2015)']
      )
      const bad = await runCli(['import', 'letterboxd', exports.letterboxd, '--title', '(unclosed'], dir)
      assert.equal(bad.code, 2)
      assert.match(bad.stderr, /--title must be a pattern/)
    } finally {
      await removeDir(dir)
    }
  })

  test('the wrong platform names the right one; an unknown platform is a usage error', {timeout: 60_000}, async () => {
    const dir = await tempDir('wrong-source-')
    try {
      const wrong = await runCli(['import', 'letterboxd', exports.substack], dir)
      assert.equal(wrong.code, 1)
      assert.match(wrong.stderr, /does not look like a Letterboxd export: a Letterboxd export has `reviews\.csv`/)
      assert.match(wrong.stderr, /It looks like a Substack export: try `build-volumes import substack /)
      const unknown = await runCli(['import', 'tumblr', exports.substack], dir)
      assert.equal(unknown.code, 2)
      assert.match(unknown.stderr, /value 'tumblr' is invalid for argument 'source'\. Allowed choices are medium, substack, letterboxd, wordpress/)
      assert.deepEqual(await readdir(dir), [])
    } finally {
      await removeDir(dir)
    }
  })
})

const hostile = path.join(importDir, 'hostile')

describe('hostile archives: a positioned message, nothing written outside the reviews folder, nothing half-written', {concurrency: 2}, () => {
  const cases: Array<{name: string; source: SourceName; input: string; exit: number; message: RegExp}> = [
    {
      name: 'zip slip',
      source: 'substack',
      input: 'zip-slip.zip',
      exit: 1,
      message: /`\.\.\/\.\.\/build-volumes-zip-slip\.txt` in the export is not read: its name leads outside the archive/
    },
    {
      name: 'absolute paths',
      source: 'medium',
      input: 'absolute-path.zip',
      exit: 1,
      message: /`\/tmp\/build-volumes-absolute\.txt` in the export is not read: its name leads outside the archive/
    },
    {
      name: 'a symbolic link',
      source: 'substack',
      input: 'symlink-entry.zip',
      exit: 1,
      message: /`posts\/1\.harmless\.html` in the export is not read: it is a symbolic link/
    },
    {name: 'a zip bomb', source: 'substack', input: 'zip-bomb.zip', exit: 1, message: /would unpack to 209\.7 MB from 0\.20 MB \(a zip bomb/},
    {
      name: 'a zip bomb that lies',
      source: 'substack',
      input: 'zip-bomb-lying-size.zip',
      exit: 1,
      message: /unpacks to more than 20 MB, though the zip says it is smaller \(a zip bomb\)/
    },
    {name: 'a truncated zip', source: 'medium', input: 'truncated-medium-export.zip', exit: 1, message: /is not a readable zip/},
    {name: 'a CSV with broken quoting', source: 'letterboxd', input: 'letterboxd-unclosed-quote', exit: 1, message: /reviews\.csv\n2:\d+/},
    {name: 'HTML nested 10,000 deep', source: 'medium', input: 'medium-deep-nesting', exit: 1, message: /2020-02-02_Deep--2020--0a1b2c3d4e5f\.html\n6:\d+/}
  ]
  for (const item of cases) {
    test(item.name, {timeout: 60_000}, async () => {
      const parent = await tempDir('hostile-')
      const dir = path.join(parent, 'project')
      try {
        await cp(path.join(hostile, item.input), path.join(parent, item.input), {recursive: true})
        await writeFile(path.join(parent, 'marker'), '')
        const {mkdir} = await import('node:fs/promises')
        await mkdir(dir)
        const run = await runCli(['import', item.source, path.join('..', item.input), '--no-download'], dir)
        assert.equal(run.code, item.exit, run.stderr)
        assert.match(run.stderr, item.message)
        assert.doesNotMatch(run.stderr, /internal error|\n {4}at /)
        assert.deepEqual((await readdir(parent)).sort(), ['marker', 'project', item.input].sort(), 'nothing written beside the project')
        if (item.exit !== 0) assert.deepEqual(await readdir(dir), [], 'nothing written at all')
        for (const stray of ['build-volumes-zip-slip.txt', 'build-volumes-zip-slip-2.html', 'build-volumes-zip-slip-3.txt', 'build-volumes-absolute.txt'])
          assert.equal(existsSync(path.join(tmpdir(), stray)) || existsSync(path.join(path.dirname(parent), stray)), false, stray)
      } finally {
        await removeDir(parent)
      }
    })
  }

  test('a 50 MB post', {timeout: 60_000}, async () => {
    const dir = await tempDir('huge-post-')
    try {
      const exportDir = path.join(dir, 'export')
      await cp(exports.medium, exportDir, {recursive: true})
      const paragraph = '<p class="graf graf--p">A sentence that goes on and on about a film nobody has seen. </p>\n'
      const body = paragraph.repeat(Math.ceil(50_000_000 / paragraph.length))
      await writeFile(
        path.join(exportDir, 'posts', '2020-01-01_Huge--2020--0123456789ab.html'),
        `<!DOCTYPE html><html><body><article class="h-entry"><h1 class="p-name">Huge (2020)</h1><section data-field="body" class="e-content">${body}</section></article></body></html>`
      )
      const project = path.join(dir, 'project')
      const {mkdir} = await import('node:fs/promises')
      await mkdir(project)
      const run = await runCli(['import', 'medium', exportDir, '--no-download'], project)
      assert.equal(run.code, 1, run.stderr)
      assert.match(run.stderr, /`posts\/2020-01-01_Huge--2020--0123456789ab\.html` is not read: it is 50\.0 MB, over the limit of 20 MB/)
      assert.deepEqual(await readdir(project), [])
    } finally {
      await removeDir(dir)
    }
  })
})
