// Store preflight rules that no input can trip on purpose, because the tool generates what
// they guard (the series name on the title page, notes linked both ways) or because the input
// would be hundreds of megabytes: each is run here on a real prepared book, altered by hand.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {after, before, test} from 'node:test'
import {VFile} from 'vfile'
import {build} from '../src/index.js'
import {findEpubcheck, startEpubcheck} from '../src/check/epubcheck.js'
import {checkCover, limits, preflight, storeOfLink} from '../src/check/preflight.js'
import {epubcheckAvailable} from './helpers/epubcheck.js'
import {makeProject, manifest, removeDir, review, tempDir} from './helpers/project.js'
import type {PreparedBook} from '../src/model.js'

let project: string
let prepared: PreparedBook
before(async () => {
  project = await makeProject({
    'volumes.yaml': manifest(['a.md'], 'stores: [kindle, kobo]\n'),
    'reviews/a.md': review({title: 'A Film'}, 'A sentence with a note.[^1]\n\n[^1]: The note.')
  })
  const result = await build({cwd: project, mode: 'preview'})
  prepared = result.prepared[0]!
})
after(async () => removeDir(project))

function run(altered: PreparedBook, bytes?: number): string[] {
  const file = new VFile({path: 'volumes.yaml'})
  preflight({
    prepared: altered,
    bytes,
    manifestFile: file,
    place: {start: {line: 3, column: 5}, end: {line: 3, column: 6}},
    checkedImages: new Set(),
    notes: new WeakMap(),
    sites: [],
    storesPlace: undefined
  })
  return file.messages.map((message) => `${message.ruleId}: ${message.reason}`)
}

test('the generated book passes every store rule', () => {
  assert.deepEqual(run(prepared, 20_000), [])
})

test('a title page without the series name and number is caught', () => {
  const pages = prepared.pages.map((page) => (page.role === 'titlepage' ? {...page, body: '<p>Untitled</p>'} : page))
  assert.deepEqual(run({...prepared, pages}), [
    'store-series: The title page of test-series-volume-01.epub does not show the series name and number; KDP asks for both inside the book'
  ])
})

test('a note reference whose note does not link back is caught', () => {
  // Notes are made when a review is converted: alter its converted body, as a bug there would.
  const {book} = prepared
  const parts = book.parts.map((part) => ({
    ...part,
    reviews: part.reviews.map((one) => ({...one, body: {...one.body, html: one.body.html.replace(/href="#fnref-1"/, 'href="#elsewhere"')}}))
  }))
  assert.ok(parts[0]!.reviews[0]!.body.html.includes('href="#elsewhere"'))
  assert.deepEqual(run({...prepared, book: {...book, parts}}), [
    'store-footnote: A note reference in `review-a.xhtml` of test-series-volume-01.epub is not linked both ways to its note; KDP asks for notes that link back'
  ])
})

test("documents and books over the stores' size limits are caught with their numbers", () => {
  const pages = prepared.pages.map((page) => (page.role === 'review' ? {...page, xhtml: 'x'.repeat(limits.documentBytes + 1)} : page))
  assert.deepEqual(run({...prepared, pages}), [
    'book-size: `review-a.xhtml` in test-series-volume-01.epub is 10.0 MB; Kobo asks for at most 10 MB per document'
  ])
  assert.deepEqual(run(prepared, 120_000_000), ['book-size: test-series-volume-01.epub is 120.0 MB; Kobo takes books up to 100 MB'])
})

test('store links are recognised by host, and only book pages of Google Play count', () => {
  assert.equal(storeOfLink('https://www.amazon.co.uk/dp/B000000001'), 'kindle')
  assert.equal(storeOfLink('https://amzn.to/3abc'), 'kindle')
  assert.equal(storeOfLink('https://books.apple.com/gb/book/id1'), 'apple')
  assert.equal(storeOfLink('https://www.kobo.com/gb/en/ebook/x'), 'kobo')
  assert.equal(storeOfLink('https://play.google.com/store/books/details?id=x'), 'other')
  assert.equal(storeOfLink('https://play.google.com/store/apps/details?id=x'), undefined)
  assert.equal(storeOfLink('https://www.apple.com/'), undefined)
  assert.equal(storeOfLink('https://example.com/amazon.com'), undefined)
  assert.equal(storeOfLink('not a url'), undefined)
})

test('a cover is checked against the store rules with its numbers', () => {
  const png = (width: number, height: number, colourType = 2) => {
    const bytes = Buffer.alloc(33)
    Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').copy(bytes)
    bytes.writeUInt32BE(width, 16)
    bytes.writeUInt32BE(height, 20)
    bytes[24] = 8
    bytes[25] = colourType
    return bytes
  }
  const messages = (bytes: Uint8Array) => {
    const file = new VFile({path: 'volumes.yaml'})
    checkCover(bytes, 'cover.png', file, undefined)
    return file.messages.map((message) => message.reason)
  }
  assert.deepEqual(messages(png(1600, 2560)), [])
  assert.deepEqual(messages(png(1000, 1600)), ["Cover `cover.png`: is 1000×1600; KDP's ideal is 1600×2560, and it reminds you below that"])
  assert.deepEqual(messages(png(600, 960)), ['Cover `cover.png`: is 600×960; KDP needs at least 625×1000 pixels (ideally 1600×2560)'])
  assert.deepEqual(messages(png(2000, 2000)), [
    "Cover `cover.png`: is 2000×2000; KDP's ideal is 1600×2560, and it reminds you below that",
    "Cover `cover.png`: has a height:width ratio of 1.00:1; KDP's is 1.6:1 (e.g. 1600×2560)"
  ])
  assert.deepEqual(messages(png(1600, 2560, 0)), ['Cover `cover.png`: is greyscale; stores expect an RGB cover'])
  assert.deepEqual(messages(Buffer.from('GIF89a')), ['Cover `cover.png`: is not a JPEG or PNG, which every store takes'])
})

test('--epubcheck runs EPUBCheck on each book: a clean book passes, and its findings become messages, from one JVM or a JVM per book', async (t) => {
  if (!epubcheckAvailable(t)) return
  // (The command line's --epubcheck on a clean book: commands.test.ts.) A zip with no mimetype
  // and no container is what EPUBCheck exists to catch; with a clean book before it in the same
  // JVM, the clean one has no findings and the broken one its own.
  const broken = Buffer.from('504b0506000000000000000000000000000000000000', 'hex')
  const written = await build({cwd: project})
  const cleanBook = await readFile(written.outputs[0]!.path)
  const findings = async (books: Array<[Uint8Array, string]>) => {
    const file = new VFile({path: 'volumes.yaml'})
    const session = startEpubcheck(findEpubcheck())
    try {
      await Promise.all(books.map(([bytes, name]) => session.check(bytes, name, file, undefined)))
    } finally {
      await session.close()
    }
    return file.messages
  }
  const messages = await findings([
    [cleanBook, 'clean.epub'],
    [broken, 'broken.epub']
  ])
  assert.ok(messages.length > 0)
  assert.ok(messages.every((message) => message.ruleId === 'epubcheck' && message.reason.startsWith('EPUBCheck on broken.epub: ')))
  assert.ok(messages.some((message) => message.fatal === true))
  // A Java that cannot run a program from its source (a runtime without its compiler) says so
  // and ends: each book then gets `java -jar` of its own, with the same findings.
  const java = execFileSync('sh', ['-c', 'command -v java'], {encoding: 'utf8'}).trim()
  const bin = await tempDir('no-source-launcher-')
  const calls = path.join(bin, 'calls')
  await writeFile(
    path.join(bin, 'java'),
    `#!/bin/sh\necho "$*" >> '${calls}'\ncase "$*" in *.java) echo 'error: module not found: jdk.compiler' >&2; exit 1;; esac\nexec '${java}' "$@"\n`,
    {mode: 0o755}
  )
  const PATH = process.env.PATH
  process.env.PATH = `${bin}${path.delimiter}${PATH}`
  try {
    const again = await findings([[broken, 'broken.epub']])
    assert.deepEqual(
      again.map((message) => [message.reason, message.fatal]),
      messages.map((message) => [message.reason, message.fatal])
    )
    const launched = (await readFile(calls, 'utf8')).trim().split('\n')
    assert.equal(launched.length, 2, launched.join('\n'))
    assert.match(launched[0]!, /\.java$/)
    assert.ok(
      launched.slice(1).every((call) => / -jar .* --json /.test(call)),
      launched.join('\n')
    )
  } finally {
    process.env.PATH = PATH
    await removeDir(bin)
  }
})

test('--epubcheck without EPUBCheck installed is a usage error that says how to install it', () => {
  assert.throws(() => findEpubcheck({EPUBCHECK_JAR: '/nowhere/epubcheck.jar'}, ['/nowhere/either.jar']), /apt-get install epubcheck/)
})
