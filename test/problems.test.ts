// The forms a problem is printed in besides the grouped report: one line each (`--format
// compact`), GitHub Actions workflow commands with their escaping, and EPUBCheck's verdict.
// Pure functions on hand-made messages; the command line's use of them is in cli.test.ts.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {VFile} from 'vfile'
import {escapeData, escapeProperty, formatAnnotations} from '../src/cli/annotations.js'
import {formatCompact, formatEpubcheck, formatProblems, grouped} from '../src/cli/report.js'
import {report} from '../src/shared/diagnostics.js'
import type {BuildOutput, BuildResult} from '../src/model.js'

/** A review with an error on one line, a warning spanning two, and an info with no place. */
function sample(): VFile[] {
  const review = new VFile({path: 'reviews/a.md'})
  report(review, {
    reason: 'Image `images/no.png` does not exist',
    ruleId: 'missing-image',
    severity: 'error',
    place: {start: {line: 6, column: 6}, end: {line: 6, column: 25}},
    note: 'Check the file name.'
  })
  report(review, {
    reason: 'A paragraph\nover two lines',
    ruleId: 'raw-html',
    severity: 'warning',
    place: {start: {line: 8, column: 3}, end: {line: 9, column: 2}}
  })
  const manifest = new VFile({path: 'volumes.yaml'})
  report(manifest, {reason: 'The collection is not built', ruleId: 'collection-skipped', severity: 'info'})
  return [review, manifest, new VFile({path: 'reviews/clean.md'})]
}

test('compact prints one line a problem: file:line:col: severity: message [rule], with no place when it has none', () => {
  assert.equal(
    formatCompact(sample().filter((file) => file.messages.length > 0)),
    [
      'reviews/a.md:6:6: error: Image `images/no.png` does not exist [missing-image]',
      'reviews/a.md:8:3: warning: A paragraph over two lines [raw-html]',
      'volumes.yaml: info: The collection is not built [collection-skipped]'
    ].join('\n')
  )
})

test('--format picks the form, and --quiet leaves out the same files in both', () => {
  const files = sample()
  assert.match(formatProblems(files, {color: false, quiet: false}), /^reviews\/a\.md\n\s*6:6-6:25\s+error/, 'stylish by default')
  assert.equal(formatProblems(files, {color: false, quiet: false, format: 'compact'}).split('\n').length, 3)
  assert.doesNotMatch(formatProblems(files, {color: false, quiet: true, format: 'compact'}), /volumes\.yaml/, 'a file with only an info is left out')
  assert.doesNotMatch(formatProblems(files, {color: false, quiet: true}), /volumes\.yaml/)
  assert.equal(formatProblems([new VFile({path: 'x.md'})], {color: false, quiet: false, format: 'compact'}), '')
})

test("workflow commands escape %, CR and LF in the message, and also : and , in properties, as GitHub's toolkit does", () => {
  assert.equal(escapeData('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext: a, b')
  assert.equal(escapeProperty('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext%3A a%2C b')
  // `%` first: an escape already in the text must not be read back as a line end.
  assert.equal(escapeData('%0A'), '%250A')
})

test('each problem becomes ::error, ::warning or ::notice with its place, its rule as title, and its note', () => {
  assert.equal(
    formatAnnotations(sample(), {cwd: '/work/series'}),
    [
      '::error file=reviews/a.md,line=6,col=6,endLine=6,endColumn=25,title=missing-image::Image `images/no.png` does not exist%0A%0ACheck the file name.',
      // A place over two lines keeps its lines but not its columns, which the runner would reject.
      '::warning file=reviews/a.md,line=8,endLine=9,title=raw-html::A paragraph%0Aover two lines',
      '::notice file=volumes.yaml,title=collection-skipped::The collection is not built'
    ].join('\n')
  )
})

test("an annotation's file is escaped, and given from the checkout's root when the command ran in a subfolder", () => {
  const odd = new VFile({path: 'reviews/50%, a: b.md'})
  report(odd, {reason: 'x', ruleId: 'r', severity: 'error', place: {line: 1, column: 1}})
  assert.equal(formatAnnotations([odd], {cwd: '/repo/books'}), '::error file=reviews/50%25%2C a%3A b.md,line=1,col=1,title=r::x')
  assert.equal(formatAnnotations([odd], {cwd: '/repo/books', workspace: '/repo'}), '::error file=books/reviews/50%25%2C a%3A b.md,line=1,col=1,title=r::x')
  // Outside the checkout it stays as reported.
  assert.match(formatAnnotations([odd], {cwd: '/elsewhere', workspace: '/repo'}), /^::error file=reviews\/50%25%2C a%3A b\.md,/)
})

test("EPUBCheck's verdict counts the books it read in this run and its own errors and warnings", () => {
  const book = (rebuilt: boolean, bytes: number | null): BuildOutput => ({
    kind: 'volume',
    volume: 1,
    title: 'T',
    path: '/out/t.epub',
    bytes,
    sha256: null,
    reviews: 1,
    words: 1,
    kit: [],
    ms: 1,
    rebuilt
  })
  const manifest = new VFile({path: 'volumes.yaml'})
  report(manifest, {reason: 'EPUBCheck on t.epub: RSC-017 …', ruleId: 'epubcheck', severity: 'warning'})
  report(manifest, {reason: 'Not EPUBCheck', ruleId: 'frontmatter-key-typo', severity: 'warning'})
  const result: BuildResult = {
    files: [manifest],
    outputs: [book(true, 100), book(true, 200), book(false, 300)],
    written: true,
    outDir: '/out',
    prepared: [],
    manifest: undefined,
    inputs: []
  }
  assert.equal(formatEpubcheck(result), 'EPUBCheck: 2 books, 0 errors, 1 warning.')
})

test('counts are grouped in thousands as en-GB writes them, without loading ICU', () => {
  const samples = [0, 1, 12, 999, 1000, 12_345, 999_999, 1_000_000, 123_456_789, -1, -1234, -999_999, Number.MAX_SAFE_INTEGER, 2.5, 1234.5]
  for (let n = 0; n < 2000; n++) samples.push(Math.floor((Math.random() - 0.3) * 10 ** Math.floor(Math.random() * 13)))
  for (const n of samples) assert.equal(grouped(n), n.toLocaleString('en-GB'), String(n))
})
