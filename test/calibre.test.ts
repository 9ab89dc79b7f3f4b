// calibre as a second opinion: its metadata reader (ebook-meta's) reads the series and its
// index from each volume, and ebook-convert turns each sample EPUB into AZW3 (Kindle's format)
// without error.
// Skipped with a loud note when calibre is not installed; CI installs it.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {readdir, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'
import {after, before, test, type TestContext} from 'node:test'
import {build} from '../src/index.js'
import {copySample, removeDir, tempDir} from './helpers/project.js'
import {toolAvailable} from './helpers/tools.js'

const run = promisify(execFile)
// calibre renders with Qt WebEngine, which needs these to run headless as root.
const env = {...process.env, QTWEBENGINE_CHROMIUM_FLAGS: '--no-sandbox', QT_QPA_PLATFORM: 'offscreen'}

function calibreAvailable(t: TestContext): boolean {
  return toolAvailable(t, {name: 'calibre', files: ['/usr/bin/calibre-debug', '/usr/bin/ebook-convert'], install: 'apt-get install -y calibre'})
}

let sample: string
let out: string
before(async () => {
  sample = await copySample()
  out = await tempDir('calibre-')
  await build({cwd: sample, out, sourceDateEpoch: '1700000000'})
})
after(async () => {
  await removeDir(sample)
  await removeDir(out)
})

test("calibre's metadata reader (ebook-meta's) reads the series name and number of every volume", async (t) => {
  if (!calibreAvailable(t)) return
  // The reader ebook-meta runs, for all seven books in one Python (calibre's start-up is most
  // of ebook-meta's 0.4 s a book).
  const script = path.join(out, 'read-metadata.py')
  await writeFile(
    script,
    [
      'import json, sys',
      'from calibre.ebooks.metadata.meta import get_metadata',
      'for book in sys.argv[1:]:',
      "    with open(book, 'rb') as f:",
      "        mi = get_metadata(f, 'epub')",
      "    print(json.dumps({'series': mi.series, 'index': mi.series_index, 'authors': mi.authors, 'sort': mi.author_sort}))",
      ''
    ].join('\n')
  )
  const numbers = [1, 2, 3, 4, 5, 6, 7]
  const {stdout} = await run('calibre-debug', ['-e', script, ...numbers.map((n) => path.join(out, `essential-film-reviews-volume-0${n}.epub`))], {env})
  const read = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown)
  assert.deepEqual(
    read,
    numbers.map((n) => ({series: 'Essential Film Reviews', index: n, authors: ['Morwenna Castellan'], sort: 'Castellan, Morwenna'}))
  )
})

test('ebook-convert turns the sample collection and a volume into AZW3 without error', async (t) => {
  if (!calibreAvailable(t)) return
  const books = (await readdir(out)).filter((name) => name.endsWith('.epub'))
  assert.equal(books.length, 8)
  // The collection has every review's page and every kind of matter; volume 1 what only a
  // volume has. The other six are the same templates again, at more than a second each.
  const converted = books.filter((book) => /-(volume-01|collection)\.epub$/.test(book))
  assert.equal(converted.length, 2)
  for (const book of converted) {
    const target = path.join(out, book.replace(/\.epub$/, '.azw3'))
    const {stdout} = await run('ebook-convert', [path.join(out, book), target], {env, maxBuffer: 16 * 1024 * 1024})
    assert.match(stdout, /AZW3 output written/)
    assert.ok((await stat(target)).size > 1000)
  }
})
