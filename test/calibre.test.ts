// calibre as a second opinion: ebook-meta reads the series and its index from each volume,
// and ebook-convert turns each sample EPUB into AZW3 (Kindle's format) without error.
// Skipped with a loud note when calibre is not installed; CI installs it.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {readdir, stat} from 'node:fs/promises'
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
  return toolAvailable(t, {name: 'calibre', files: ['/usr/bin/ebook-meta', '/usr/bin/ebook-convert'], install: 'apt-get install -y calibre'})
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

test('ebook-meta reads the series name and number of every volume', async (t) => {
  if (!calibreAvailable(t)) return
  for (const n of [1, 2, 3, 4, 5, 6, 7]) {
    const {stdout} = await run('ebook-meta', [path.join(out, `essential-film-reviews-volume-0${n}.epub`)], {env})
    assert.match(stdout, new RegExp(`Series\\s+: Essential Film Reviews #${n}\\b`), stdout)
    assert.match(stdout, /Author\(s\)\s+: Morwenna Castellan \[Castellan, Morwenna\]/)
  }
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
