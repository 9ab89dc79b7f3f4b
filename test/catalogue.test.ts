// The catalogue of bad input: every fixture under test/fixtures/messages/<rule-id>[--variant]/
// (one per diagnostic rule) and test/fixtures/cases/<case>/ (one per case of issue 5 that is
// not a rule of its own) is built through the real command line, into an output folder that
// already holds books from an earlier build. Each fixture's case.json gives the expected exit
// code; its expected.txt is the golden of what the author sees on stderr. Then:
// - the fixture reports exactly its rules;
// - a failed build leaves the previous books byte-for-byte and time-for-time as they were,
//   with no staging folder or lock left behind;
// - a successful build writes books that pass EPUBCheck, and leaves the author's own files;
// - no build writes anywhere in the project (the fixture folder is the same after as before).
import assert from 'node:assert/strict'
import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {cp, lstat, mkdir, readFile, readdir, readlink, stat, utimes, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {after, before, describe, test} from 'node:test'
import {build} from '../src/index.js'
import {runCli} from './helpers/cli.js'
import {readEpub} from './helpers/epub.js'
import {epubcheck, epubcheckAvailable} from './helpers/epubcheck.js'
import {matchGolden} from './helpers/golden.js'
import {fixturesDir, makeProject, manifest, removeDir, review, tempDir} from './helpers/project.js'

interface Expectation {
  /** The book to open, by file name. */
  book: string
  /** Entries whose path matches this pattern are read, all together. */
  entry: string
  has?: string[]
  hasNot?: string[]
}

interface Case {
  /** The line of the catalogue this fixture shows (required for cases/). */
  about?: string
  /** Command-line arguments after `build-volumes` (`-o <out>` is added unless `out` says otherwise). */
  args?: string[]
  env?: Record<string, string>
  exit: number
  /** cases/: the exact rule ids reported (messages/ fixtures report their own, plus `alsoRules`). */
  rules?: string[]
  alsoRules?: string[]
  /** "manifest": keep the manifest's own `output`; "file": the output path is an existing file; "into": an import, writing its reviews there (`--into`). */
  out?: 'manifest' | 'file' | 'into'
  /** The exact files a successful build leaves in the output folder (besides the author's notes). */
  files?: string[]
  expect?: Expectation[]
  /** Build again under each of these environments: the books must be byte-identical. */
  sameBytesUnder?: Record<string, string>[]
  /**
   * Files too large to commit, written into a copy of the fixture before it runs: `head`,
   * then `repeat` until the file holds `bytes` bytes.
   */
  generate?: Record<string, {head?: string; repeat: string; bytes: number}>
}

/** The fixture itself, or a copy holding its generated files. */
async function projectFor(dir: string, spec: Case): Promise<string> {
  if (!spec.generate) return dir
  const copy = await tempDir('generated-')
  await cp(dir, copy, {recursive: true})
  for (const [name, {head = '', repeat, bytes}] of Object.entries(spec.generate)) {
    const body = repeat.repeat(Math.ceil(Math.max(0, bytes - Buffer.byteLength(head)) / Buffer.byteLength(repeat)))
    await mkdir(path.dirname(path.join(copy, name)), {recursive: true})
    await writeFile(path.join(copy, name), head + body)
  }
  return copy
}

const groups = ['messages', 'cases'] as const
const srcDir = path.join(fixturesDir, '..', '..', 'src')
// When the previous books were "written": far from any time a test runs.
const oldTime = new Date('2001-02-03T04:05:06Z')
const notes = 'notes.txt'
let seedDir = ''
let seedBooks: string[] = []

// Rules no input can trigger on purpose, each tested elsewhere: a converter crash becomes a
// message; the store guards on what the tool itself generates (series name on the title page,
// notes linked both ways) and a book over a store's size limit (hundreds of megabytes) are
// exercised on hand-made books in preflight.test.ts.
// EPUBCheck's own findings (`--epubcheck`) need a broken EPUB, which the tool never writes.
// The last guard on every rendered book (ids and links) finds only the tool's own mistakes; it
// is tested on hand-made documents in links.test.ts. The EPUB library's own warnings (a cover
// or file it could not fetch) cannot arise: the tool gives it every file itself.
// Three import rules need a project's own state (its volumes.yaml written, an earlier import
// edited, a damaged import record); import.test.ts makes each.
const withoutFixture = new Set([
  'unprocessable-review',
  'store-series',
  'store-footnote',
  'book-size',
  'epubcheck',
  'broken-book',
  'epub-library',
  'import-author',
  'import-conflict',
  'import-record'
])

// One content-hash cache for every fixture, outside them all: most draw the same covers, which
// are then drawn once. A cache entry names everything it is the answer to, so sharing it changes
// no report and no book (cache.test.ts); a fixture about the cache sets its own in `env`.
let sharedCache: string
before(async () => {
  sharedCache = await tempDir('catalogue-cache-')
  // The books of an earlier, good build of a "Test Series", plus a file of the author's own.
  const project = await makeProject({'volumes.yaml': manifest(['a.md']), 'reviews/a.md': review({title: 'An Earlier Review'}, 'The previous edition.')})
  seedDir = await tempDir('previous-')
  const result = await build({cwd: project, out: seedDir, sourceDateEpoch: '1600000000'})
  assert.equal(result.written, true)
  await writeFile(path.join(seedDir, notes), 'The author keeps notes beside the books.\n')
  seedBooks = (await readdir(seedDir)).sort()
  await removeDir(project)
})

after(async () => {
  await removeDir(seedDir)
  await removeDir(sharedCache)
})

test('every rule id in the source has a fixture, and every fixture names a rule in the source', async () => {
  const sources = await readdir(srcDir, {recursive: true})
  const rules = new Set<string>()
  for (const name of sources.filter((file) => file.endsWith('.ts'))) {
    for (const match of (await readFile(path.join(srcDir, name), 'utf8')).matchAll(/ruleId: '([a-z-]+)'/g)) rules.add(match[1]!)
  }
  const fixtures = new Set(readdirSync(path.join(fixturesDir, 'messages')).map((name) => name.split('--')[0]!))
  assert.deepEqual([...rules].filter((rule) => !fixtures.has(rule) && !withoutFixture.has(rule)).sort(), [], 'rules without a fixture')
  assert.deepEqual([...fixtures].filter((rule) => !rules.has(rule)).sort(), [], 'fixtures for rules the source does not have')
  for (const name of readdirSync(path.join(fixturesDir, 'cases'))) {
    const spec = JSON.parse(await readFile(path.join(fixturesDir, 'cases', name, 'case.json'), 'utf8')) as Case
    assert.ok(spec.about, `cases/${name}/case.json says which case it shows`)
    for (const rule of spec.rules ?? []) assert.ok(rules.has(rule), `cases/${name} expects rule ${rule}, which the source does not have`)
  }
})

/** Every path under `dir` with its type, size, mode, mtime and link target: what "unchanged" means. */
async function snapshot(dir: string): Promise<string[]> {
  const entries: string[] = []
  for (const name of (await readdir(dir, {recursive: true})).sort()) {
    // The golden is the test's own file (UPDATE=1 rewrites it).
    if (name === 'expected.txt') continue
    const file = path.join(dir, name)
    const info = await lstat(file)
    const target = info.isSymbolicLink() ? ` -> ${await readlink(file)}` : ''
    entries.push(`${name} ${info.isDirectory() ? 'dir' : `${info.size} ${info.mtimeMs}`} ${info.mode.toString(8)}${target}`)
  }
  return entries
}

async function prepareOut(spec: Case): Promise<string> {
  const parent = await tempDir('out-')
  const out = path.join(parent, 'books')
  if (spec.out === 'file') {
    await writeFile(out, 'This is a file where the output folder should be.\n')
  } else {
    await cp(seedDir, out, {recursive: true, preserveTimestamps: true})
    for (const name of seedBooks) await utimes(path.join(out, name), oldTime, oldTime)
  }
  return out
}

/** The rule ids in a plain-text report: each message line ends with `<rule-id> build-volumes`. */
function rulesIn(report: string): string[] {
  const rules = new Set<string>()
  for (const match of report.matchAll(/^\s*\S+\s+(?:error|warning|info)\s.*?\s([a-z][a-z0-9-]*)\s+build-volumes$/gm)) rules.add(match[1]!)
  return [...rules].sort()
}

function normalise(text: string, dir: string, out: string): string {
  return (
    text
      .split(out)
      .join('<out>')
      .split(dir)
      .join('<project>')
      // The folder above the project (a `reviews: ..` outside it), wherever the clone is.
      .split(path.isAbsolute(dir) ? path.dirname(dir) : '\0')
      .join('<project>/..')
      .replace(/\b\d+(?:\.\d+)? (?:B|kB|MB)\b/g, '<size>')
  )
}

for (const group of groups) {
  const groupDir = path.join(fixturesDir, group)
  describe(`${group}:`, {concurrency: 2}, () => {
    for (const name of readdirSync(groupDir).sort()) {
      const spec = JSON.parse(readFileSyncUtf8(path.join(groupDir, name, 'case.json'))) as Case
      const rules = group === 'messages' ? [name.split('--')[0]!, ...(spec.alsoRules ?? [])].sort() : [...(spec.rules ?? [])].sort()
      const title = group === 'messages' ? `${name}: rule \`${rules[0]}\` ${describeExit(spec.exit)}` : `${name}: ${spec.about} (${describeExit(spec.exit)})`
      test(title, async (t) => {
        const out = await prepareOut(spec)
        const fixture = path.join(groupDir, name)
        const dir = await projectFor(fixture, spec)
        const projectBefore = await snapshot(dir)
        const outBefore = spec.out === 'file' ? [await readFile(out, 'utf8')] : await snapshot(out)
        try {
          const args = [...(spec.args ?? []), ...(spec.out === 'manifest' ? [] : spec.out === 'into' ? ['--into', out] : ['-o', out])]
          // The content-hash cache is the run's, not the fixture's.
          const cache = {BUILD_VOLUMES_CACHE: sharedCache}
          const result = await runCli(args, dir, {...cache, ...spec.env})
          await matchGolden(normalise(result.stderr, dir, out), path.join(fixture, 'expected.txt'))
          assert.equal(result.code, spec.exit, `exit code; stderr:\n${result.stderr}`)
          assert.deepEqual(rulesIn(result.stderr), rules, 'the rules reported')
          assert.deepEqual(await snapshot(dir), projectBefore, 'nothing in the project changed')
          if (spec.out === 'file') {
            assert.deepEqual([await readFile(out, 'utf8')], outBefore, 'the file where the output should be is untouched')
            return
          }
          if (spec.exit !== 0) {
            if (spec.out !== 'manifest') assert.deepEqual(await snapshot(out), outBefore, 'the previous books are untouched, and nothing is left behind')
            return
          }
          if (spec.out === 'into') {
            // An import: review files beside what was there, which is untouched, and only its record as a dotfile.
            const after = await snapshot(out)
            for (const line of outBefore) assert.ok(after.includes(line), `${line} is untouched`)
            const written = (await readdir(out)).sort()
            assert.ok(
              written.some((file) => file.endsWith('.md')),
              'reviews were written'
            )
            assert.deepEqual(
              written.filter((file) => file.startsWith('.')),
              ['.build-volumes-import.json'],
              'no staging folder or lock is left behind'
            )
            return
          }
          const written = (await readdir(out)).sort()
          assert.deepEqual(
            written.filter((file) => file.startsWith('.')),
            [],
            'no staging folder or lock is left behind'
          )
          assert.ok(written.includes(notes), "the author's own file stays")
          const books: string[] = []
          for (const file of written.filter((name) => name.endsWith('.epub'))) {
            if ((await stat(path.join(out, file))).mtimeMs > oldTime.getTime()) books.push(file)
          }
          assert.ok(books.length > 0, 'books were written')
          if (spec.files) assert.deepEqual(books, [...spec.files].sort(), 'the books written')
          for (const expectation of spec.expect ?? []) await checkExpectation(path.join(out, expectation.book), expectation)
          for (const env of spec.sameBytesUnder ?? []) {
            const again = path.join(
              path.dirname(out),
              `again-${Object.values(env)
                .join('-')
                .replace(/[^\w-]/g, '_')}`
            )
            const rerun = await runCli([...(spec.args ?? []), '-q', '-o', again], dir, {...cache, ...spec.env, ...env})
            assert.equal(rerun.code, 0, rerun.stderr)
            for (const book of books)
              assert.ok(
                (await readFile(path.join(again, book))).equals(await readFile(path.join(out, book))),
                `${book} has the same bytes under ${JSON.stringify(env)}`
              )
          }
          if (epubcheckAvailable(t)) {
            for (const book of books) {
              const check = await epubcheck(path.join(out, book))
              assert.deepEqual(check.messages, [], `EPUBCheck on ${book}`)
            }
          }
        } finally {
          await removeDir(path.dirname(out))
          if (dir !== fixture) await removeDir(dir)
        }
      })
    }
  })
}

function describeExit(code: number): string {
  return code === 0 ? 'builds, exit 0' : `exit ${code}, old books untouched`
}

function readFileSyncUtf8(file: string): string {
  if (!existsSync(file)) throw new Error(`${file} is missing: every fixture says its expected exit code there`)
  return readFileSync(file, 'utf8')
}

async function checkExpectation(bookFile: string, expectation: Expectation): Promise<void> {
  const epub = await readEpub(bookFile)
  const pattern = new RegExp(expectation.entry)
  const entries = epub.names.filter((name) => pattern.test(name))
  assert.ok(entries.length > 0, `${expectation.book} has entries matching ${expectation.entry}; it has ${epub.names.join(', ')}`)
  const text = (await Promise.all(entries.map((entry) => epub.text(entry)))).join('\n')
  for (const wanted of expectation.has ?? []) assert.ok(text.includes(wanted), `${expectation.book} ${expectation.entry} contains ${JSON.stringify(wanted)}`)
  for (const unwanted of expectation.hasNot ?? [])
    assert.ok(!text.includes(unwanted), `${expectation.book} ${expectation.entry} does not contain ${JSON.stringify(unwanted)}`)
}

test("the README's message catalogue lists every rule id with a real example and its fix", async () => {
  const readme = await readFile(path.join(fixturesDir, '..', '..', 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Messages\n'), readme.indexOf('## Architecture\n'))
  const entries = [...section.matchAll(/^\*\*`([a-z-]+)`\*\* \((error|warning|info)\): .+\n\n```text\n(.+)\n```\n\nFix: .+/gm)]
  const sources = await readdir(srcDir, {recursive: true})
  const rules = new Set<string>()
  for (const name of sources.filter((file) => file.endsWith('.ts'))) {
    for (const match of (await readFile(path.join(srcDir, name), 'utf8')).matchAll(/ruleId: '([a-z-]+)'/g)) rules.add(match[1]!)
  }
  assert.deepEqual(entries.map((entry) => entry[1]).sort(), [...rules].sort(), 'one entry, with an example and a fix, per rule id in the source')
  for (const [, rule, , example] of entries) {
    if (withoutFixture.has(rule!)) continue
    // `file:line:column  severity  message`: the message must be what that rule's fixture really reports.
    // Sizes are normalised in the goldens, as in the reports they are compared with.
    const message = normalise(example!.split(/ {2}/).slice(2).join('  '), '<project>', '<out>')
    const goldens = readdirSync(path.join(fixturesDir, 'messages'))
      .filter((name) => name.split('--')[0] === rule)
      .map((name) =>
        readFileSync(path.join(fixturesDir, 'messages', name, 'expected.txt'), 'utf8')
          .split('<project>/')
          .join('')
      )
    assert.ok(
      goldens.some((golden) => golden.includes(` ${message} `)),
      `the README's example for ${rule} is what its fixture reports: ${message}`
    )
  }
})
