// The commands around the build: check (and its EPUBCheck verdict), stats, init (and the
// command it ends with, on PATH or not), --checksums, --drafts, `fields:` for an existing
// archive, and what the build prints on a terminal versus in a log.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdir, readFile, readdir, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'
import {after, before, test} from 'node:test'
import {bin, runCli} from './helpers/cli.js'
import {epubcheck, epubcheckAvailable} from './helpers/epubcheck.js'
import {readEpub} from './helpers/epub.js'
import {copySample, makeProject, manifest, removeDir, review, tempDir} from './helpers/project.js'

const exec = promisify(execFile)

let sample: string
before(async () => {
  sample = await copySample()
})
after(async () => removeDir(sample))

test('check validates everything, writes nothing, and exits 1 on an error with its place', async () => {
  const clean = await runCli(['check', '-m', 'volumes.yaml'], sample)
  assert.equal(clean.code, 0, clean.stderr)
  assert.match(clean.stderr, /^Checked 8 books; nothing written\./m)
  assert.equal(existsSync(path.join(sample, 'dist')), false, 'check writes no books')

  const broken = await makeProject({
    'volumes.yaml': manifest(['a.md', 'b.md']),
    'reviews/a.md': review({title: 'A'}, '![still](images/missing.png)'),
    'reviews/b.md': review({title: 'B', rating: 9}, 'Body.')
  })
  try {
    const result = await runCli(['check', '--json'], broken)
    assert.equal(result.code, 1)
    const report = JSON.parse(result.stdout) as {ok: boolean; written: boolean; diagnostics: Array<{file: string; line: number; ruleId: string}>}
    assert.equal(report.ok, false)
    assert.equal(report.written, false)
    assert.deepEqual(report.diagnostics.map((d) => `${d.file}:${d.line} ${d.ruleId}`).sort(), [
      'reviews/a.md:5 missing-image',
      'reviews/b.md:3 invalid-frontmatter'
    ])
    assert.equal(existsSync(path.join(broken, 'dist')), false)
  } finally {
    await removeDir(broken)
  }
})

test('stats reports reviews, words, reading time, decades, ratings, size and KDP delivery cost', async () => {
  const result = await runCli(['stats', '--json'], sample)
  assert.equal(result.code, 0, result.stderr)
  const stats = JSON.parse(result.stdout) as {
    priceGbp: number
    books: Array<{
      kind: string
      volume: number | null
      reviews: number
      words: number
      readingMinutes: number
      decades: Record<string, number>
      ratings: {average: number | null; rated: number; spread: Array<{rating: number; reviews: number}>}
      bytes: number
      delivery: {gbp: number; usd: number; eur: number}
      royaltyGbp: number
    }>
  }
  assert.equal(stats.books.length, 8)
  const volumes = stats.books.filter((book) => book.kind === 'volume')
  const collection = stats.books.find((book) => book.kind === 'collection')!
  // The collection holds every volume's reviews, words and decades.
  assert.equal(
    collection.reviews,
    volumes.reduce((sum, book) => sum + book.reviews, 0)
  )
  assert.equal(
    collection.words,
    volumes.reduce((sum, book) => sum + book.words, 0)
  )
  const decades: Record<string, number> = {}
  for (const book of volumes) for (const [decade, n] of Object.entries(book.decades)) decades[decade] = (decades[decade] ?? 0) + n
  assert.deepEqual(collection.decades, Object.fromEntries(Object.entries(decades).sort()))
  // Volume 4 of the sample: Jaws, Alien, Stalker, all from the 1970s.
  const four = stats.books.find((book) => book.volume === 4)!
  assert.deepEqual(four.decades, {'1970s': 3})
  assert.equal(
    four.ratings.spread.reduce((sum, entry) => sum + entry.reviews, 0),
    four.ratings.rated
  )
  assert.ok(four.words > 1000 && four.readingMinutes === Math.round(four.words / 238))
  // Delivery: the size rounded up to the kilobyte, times the rate; the royalty is 70% of £4.99 less delivery.
  const megabytes = Math.ceil(four.bytes / 1024) / 1024
  assert.ok(four.bytes > 5000)
  assert.deepEqual(four.delivery, {
    gbp: Math.max(0.01, Math.round(megabytes * 10) / 100),
    usd: Math.max(0.01, Math.round(megabytes * 15) / 100),
    eur: Math.max(0.01, Math.round(megabytes * 12) / 100)
  })
  assert.equal(four.royaltyGbp, Math.round(0.7 * (4.99 - four.delivery.gbp) * 100) / 100)

  const text = await runCli(['stats', '--price', '2.99'], sample)
  assert.equal(text.code, 0)
  assert.match(text.stdout, /UK price +royalty$/m)
  assert.match(text.stdout, /^Volume 4 +3 +[\d,]+ +\d+ min +[\d.]+ kB +£0\.\d\d \/ \$0\.\d\d \/ €0\.\d\d +£2\.99 +£2\.\d\d \(70%\)$/m)
  assert.match(text.stdout, /decades {2}1970s 3/)
  // Above KDP's UK band (£1.77–£9.99) the royalty is 35%, and the table says so.
  const dear = await runCli(['stats', '--price', '12.99'], sample)
  assert.match(dear.stdout, /^Volume 4 .* £12\.99 +£4\.55 \(35%\)$/m)
  assert.match(
    dear.stdout,
    /^ +(?:royalty {2})?Amazon\.co\.uk £12\.99 → £4\.55 \(35%\): £12\.99 is above KDP's 70% band on Amazon\.co\.uk \(£1\.77–£9\.99\), so 35% applies/m
  )
})

test('the KDP delivery cost rounds up to the kilobyte and charges at least a penny', async () => {
  const {deliveryCost} = await import('../src/book/stats.js')
  assert.equal(deliveryCost(10_000, 0.1), 0.01)
  assert.equal(deliveryCost(3 * 1024 * 1024, 0.1), 0.3)
  assert.equal(deliveryCost(3 * 1024 * 1024, 0.15), 0.45)
  assert.equal(deliveryCost(2.5 * 1024 * 1024 + 1, 0.12), 0.3)
})

/** Runs, through the shell, a line init printed for people to copy. */
async function runPrinted(line: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{code: number; stderr: string}> {
  return exec('/bin/sh', ['-c', line], {cwd, env: {...env, NO_COLOR: '1'}}).then(
    ({stderr}) => ({code: 0, stderr}),
    (error: {code: number; stderr: string}) => ({code: error.code, stderr: error.stderr})
  )
}

test('init scaffolds a series that builds into books passing EPUBCheck, and never overwrites', async (t) => {
  const dir = await tempDir('init-')
  try {
    // Node's folder only: no build-volumes on PATH, but a file of that name that is not executable, a folder of that name, and a relative entry.
    const decoys = path.join(dir, 'decoys')
    await mkdir(path.join(decoys, 'build-volumes'), {recursive: true})
    await writeFile(path.join(dir, 'build-volumes'), '#!/bin/sh\n', {mode: 0o644})
    const PATH = [decoys, dir, '.', path.dirname(process.execPath)].join(path.delimiter)
    const created = await runCli(['init', 'my-series'], dir, {PATH})
    assert.equal(created.code, 0, created.stderr)
    const project = path.join(dir, 'my-series')
    assert.deepEqual((await readdir(project)).sort(), ['.gitignore', 'reviews', 'volumes.yaml'])
    assert.equal((await readdir(path.join(project, 'reviews'))).length, 2)
    assert.match(created.stderr, /build-volumes is not on your PATH, .*`npm link` in /)
    // The last line is the command to copy, and it works as printed: here, the script by its full path.
    const last = created.stderr.trimEnd().split('\n').at(-1)!
    assert.match(last, new RegExp(`^ {2}cd my-series && node '?${bin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'?$`))

    const built = await runPrinted(`${last} --strict`, dir, {...process.env, PATH})
    assert.equal(built.code, 0, built.stderr)
    const books = (await readdir(path.join(project, 'dist'))).sort()
    assert.deepEqual(books, ['my-film-reviews-collection.epub', 'my-film-reviews-volume-01.epub'])
    if (epubcheckAvailable(t)) for (const book of books) assert.deepEqual((await epubcheck(path.join(project, 'dist', book))).messages, [], book)

    const volumesBefore = await readFile(path.join(project, 'volumes.yaml'), 'utf8')
    await writeFile(path.join(project, 'volumes.yaml'), `${volumesBefore}# my edit\n`)
    const again = await runCli(['init', 'my-series'], dir)
    assert.equal(again.code, 1)
    assert.match(again.stderr, /Nothing was written: these files already exist, and init never overwrites:\n {2}my-series\/volumes\.yaml/)
    assert.equal(await readFile(path.join(project, 'volumes.yaml'), 'utf8'), `${volumesBefore}# my edit\n`)
  } finally {
    await removeDir(dir)
  }
})

test('with build-volumes on PATH (as after npm link), init ends with `cd my-series && build-volumes`, and that works', async () => {
  const dir = await tempDir('init-linked-')
  try {
    // What `npm link` makes: an executable called build-volumes, linking to the package's bin script.
    const linked = path.join(dir, 'global-bin')
    await mkdir(linked)
    await symlink(bin, path.join(linked, 'build-volumes'))
    const PATH = [linked, path.dirname(process.execPath)].join(path.delimiter)
    const created = await runCli(['init', 'my-series'], dir, {PATH})
    assert.equal(created.code, 0, created.stderr)
    assert.doesNotMatch(created.stderr, /not on your PATH/)
    const last = created.stderr.trimEnd().split('\n').at(-1)!
    assert.equal(last, '  cd my-series && build-volumes')
    const built = await runPrinted(last, dir, {...process.env, PATH})
    assert.equal(built.code, 0, built.stderr)
    assert.equal((await readdir(path.join(dir, 'my-series', 'dist'))).length, 2)
  } finally {
    await removeDir(dir)
  }
})

test('check --epubcheck says on how many books EPUBCheck passed, and --quiet does not', async (t) => {
  if (!epubcheckAvailable(t)) return
  const project = await makeProject({'volumes.yaml': manifest(['a.md']), 'reviews/a.md': review({title: 'A', year: 1950}, 'A clean review.')})
  try {
    const result = await runCli(['check', '--epubcheck'], project)
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /\nEPUBCheck: 1 book, 0 errors, 0 warnings\.\n$/)
    // Quiet means only problems; the verdict is not one.
    const quiet = await runCli(['check', '--epubcheck', '-q'], project)
    assert.equal(quiet.code, 0, quiet.stderr)
    assert.equal(quiet.stderr, '')
  } finally {
    await removeDir(project)
  }
})

test('--checksums writes SHA256SUMS that sha256sum -c accepts, in the same all-or-nothing write', async () => {
  const result = await runCli(['-q', '--checksums', '-o', 'release'], sample)
  assert.equal(result.code, 0, result.stderr)
  const dir = path.join(sample, 'release')
  const sums = await readFile(path.join(dir, 'SHA256SUMS'), 'utf8')
  assert.equal(sums.trim().split('\n').length, 8)
  assert.match(sums, /^[0-9a-f]{64} {2}essential-film-reviews-collection\.epub\n/)
  const {stdout} = await exec('sha256sum', ['-c', 'SHA256SUMS'], {cwd: dir})
  assert.equal(
    stdout
      .trim()
      .split('\n')
      .filter((line) => line.endsWith(': OK')).length,
    8
  )
})

test('drafts are left out with a notice, and --drafts puts them in', async () => {
  const project = await makeProject({
    'volumes.yaml': manifest(['done.md', 'draft.md']),
    'reviews/done.md': review({title: 'Done', year: 1950}, 'Finished. See [the next one](draft.md).'),
    'reviews/draft.md': review({title: 'Draft', draft: 'true'}, 'Not yet.')
  })
  try {
    const without = await runCli(['--json'], project)
    assert.equal(without.code, 0)
    const report = JSON.parse(without.stdout) as {outputs: Array<{reviews: number}>; diagnostics: Array<{ruleId: string; severity: string; line: number}>}
    assert.deepEqual(
      report.outputs.map((output) => output.reviews),
      [1]
    )
    assert.deepEqual(
      report.diagnostics.map((d) => [d.ruleId, d.severity, d.line]),
      [['draft-review', 'info', 3]]
    )
    const book = await readEpub(path.join(project, 'dist', 'test-series-volume-01.epub'))
    assert.ok(!book.names.some((name) => name.includes('draft')), 'no chapter for the draft')
    const done = await book.text('OEBPS/review-done.xhtml')
    assert.match(done, /<span class="series-reference">the next one<\/span>/, 'a link to a left-out draft becomes text')

    const included = await runCli(['--drafts', '--json'], project)
    const withDrafts = JSON.parse(included.stdout) as {outputs: Array<{reviews: number}>}
    assert.deepEqual(
      withDrafts.outputs.map((output) => output.reviews),
      [2]
    )
  } finally {
    await removeDir(project)
  }
})

test('`fields:` builds a Jekyll-style archive without editing its files', async (t) => {
  const project = await makeProject({
    'volumes.yaml': manifest(['paris-texas.md'], 'fields:\n  title: name\n  published: date\n  director: directors\n'),
    'reviews/paris-texas.md':
      '---\nlayout: post\nname: Paris, Texas\ndate: 2019-03-02 10:00:00 +0100\ndirectors: [Wim Wenders]\nyear: 1984\n---\n\nA drifter walks out of the desert.\n'
  })
  try {
    const result = await runCli(['--strict'], project)
    assert.equal(result.code, 0, result.stderr)
    const file = path.join(project, 'dist', 'test-series-volume-01.epub')
    const chapter = await (await readEpub(file)).text('OEBPS/review-paris-texas.xhtml')
    assert.match(chapter, /<h1[^>]*>Paris, Texas<\/h1>/)
    assert.match(chapter, /Wim Wenders/)
    assert.match(chapter, /2 March 2019/)
    if (epubcheckAvailable(t)) assert.deepEqual((await epubcheck(file)).messages, [])
  } finally {
    await removeDir(project)
  }
})

test('a terminal gets a live progress display and a table; a log gets plain lines with no escape codes', async () => {
  const plain = await runCli(['-o', 'plain'], sample, {CI: undefined})
  assert.equal(plain.code, 0)
  assert.doesNotMatch(plain.stderr, /\x1b\[/)
  assert.match(plain.stderr, /^Wrote 8 books to plain:\n {2}plain\/essential-film-reviews-volume-01\.epub {2}3 reviews {2}[\d,]+ words {2}[\d.]+ kB$/m)

  // `script` gives the build a pseudo-terminal, as an author's shell does.
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} -o tty`
  const {stdout} = await exec('script', ['-qec', command, '/dev/null'], {
    cwd: sample,
    env: {...process.env, CI: '', NO_COLOR: '', FORCE_COLOR: '', TERM: 'xterm-256color', SOURCE_DATE_EPOCH: '1700000000'}
  })
  const screen = stdout.replace(/\r/g, '')
  assert.match(screen, /\x1b\[2K/, 'progress lines are redrawn in place')
  assert.match(screen, /✔.* 22 reviews read/)
  assert.match(screen, /book +reviews +words +size +time/)
  assert.match(screen, /essential-film-reviews-volume-07\.epub +4 +[\d,]+ +[\d.]+ kB +\d+ ms/)
  assert.match(screen, /Wrote 8 books to tty in [\d.]+ m?s\./)

  const quiet = await runCli(['-q', '-o', 'quiet'], sample, {CI: undefined})
  assert.equal(quiet.code, 0)
  assert.equal(quiet.stderr, '', '--quiet prints only problems')
})
