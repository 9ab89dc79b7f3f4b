// The seam to epub-gen-memory and the JSZip inside it (render/epub/pack.ts), which reaches
// three of JSZip's own files and subclasses the library's EPub: pinned versions, one copy of
// JSZip, the shapes the seam relies on, and a book packed through it that JSZip's public API
// reads back entry for entry. If a release of either library changes any of this, this
// test fails first and says which part moved.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {randomBytes} from 'node:crypto'
import {createRequire} from 'node:module'
import path from 'node:path'
import {test} from 'node:test'
import zlib from 'node:zlib'
import JSZip from 'jszip'
import {DeflateCache} from '../src/render/epub/deflate.js'
import {renderEpub} from '../src/render/epub/pack.js'
import {repoRoot} from './helpers/project.js'

const require = createRequire(path.join(repoRoot, 'src', 'render', 'epub', 'pack.ts'))

test('epub-gen-memory and jszip are pinned to exact versions, and the library zips with the one JSZip installed', () => {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {dependencies: Record<string, string>}
  for (const name of ['epub-gen-memory', 'jszip']) {
    const installed = (JSON.parse(readFileSync(path.join(path.dirname(require.resolve(`${name}/package.json`)), 'package.json'), 'utf8')) as {version: string})
      .version
    assert.match(manifest.dependencies[name] ?? '', /^\d+\.\d+\.\d+$/, `${name} is pinned`)
    assert.equal(installed, manifest.dependencies[name], `${name} installed is the pinned version`)
  }
  assert.equal(createRequire(require.resolve('epub-gen-memory')).resolve('jszip'), require.resolve('jszip'), 'one copy of JSZip')
})

test('the library and JSZip still have the shapes the seam uses', () => {
  const {EPub} = require('epub-gen-memory') as {default: unknown; EPub: {prototype: Record<string, unknown>}}
  for (const method of ['render', 'generateTemplateFiles', 'generateAsync', 'downloadAllImages', 'makeCover'])
    assert.equal(typeof EPub.prototype[method], 'function', `EPub.prototype.${method}`)
  const crc32 = require('jszip/lib/crc32') as (data: Uint8Array, crc: number) => number
  assert.equal(crc32(Buffer.from('123456789'), 0) >>> 0, 0xcbf43926, 'crc32 of the check string')
  // deflate.ts takes Node's own CRC-32 where Node has it (20.15 on), JSZip's where not: the two
  // must be the same four bytes in the zip, over empty, short, long and every-byte inputs.
  const native = (zlib as {crc32?: (data: Uint8Array) => number}).crc32
  if (native) {
    const inputs = [new Uint8Array(0), Buffer.from('123456789'), Uint8Array.from({length: 256}, (_, i) => i), randomBytes(1 << 20)]
    for (const input of inputs) assert.equal(native(input), crc32(input, 0) >>> 0, `CRC-32 of ${input.length} bytes`)
  }
  const CompressedObject = require('jszip/lib/compressedObject') as new (...args: unknown[]) => {
    compressedSize: number
    uncompressedSize: number
    crc32: number
  }
  const object = new CompressedObject(3, 5, 7, {}, new Uint8Array(3))
  assert.deepEqual(
    [object.compressedSize, object.uncompressedSize, object.crc32],
    [3, 5, 7],
    'CompressedObject(compressedSize, uncompressedSize, crc32, compression, data)'
  )
  const {DEFLATE} = require('jszip/lib/compressions') as {DEFLATE: {magic: string}}
  assert.equal(DEFLATE.magic, '\x08\x00', 'the DEFLATE compression')
})

test("a book packed through the seam reads back with JSZip's public API: mimetype first and stored, every document as given, every date fixed", async () => {
  const page = (file: string, body: string) => ({
    file,
    title: file,
    role: 'review' as const,
    label: file,
    body,
    xhtml: `<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>${body}</body></html>\n`
  })
  const pages = [page('a.xhtml', '<p>First</p>'), page('b.xhtml', '<p>Second, with é and “quotes”.</p>')]
  const modified = new Date('2020-05-06T07:08:10Z')
  const warnings: string[] = []
  const bytes = await renderEpub(
    {
      title: 'T',
      language: 'en',
      identifier: 'urn:uuid:x',
      css: 'p { margin: 0 }',
      pages,
      nav: '<nav/>',
      ncx: '<ncx/>',
      opf: '<package/>',
      images: [{name: 'x.png', bytes: new Uint8Array([1, 2, 3])}],
      modified
    },
    new DeflateCache(),
    (text) => warnings.push(text)
  )
  assert.equal(bytes.subarray(30, 38).toString('latin1'), 'mimetype', 'mimetype is the first entry')
  assert.equal(bytes.readUInt16LE(8), 0, 'and stored, not deflated')
  const zip = await JSZip.loadAsync(bytes)
  for (const {file, xhtml} of pages) assert.equal(await zip.file(`OEBPS/${file}`)!.async('string'), xhtml)
  assert.equal(await zip.file('OEBPS/content.opf')!.async('string'), '<package/>')
  assert.deepEqual([...(await zip.file('OEBPS/images/x.png')!.async('uint8array'))], [1, 2, 3])
  for (const entry of Object.values(zip.files)) assert.equal(entry.date.getTime(), modified.getTime(), `${entry.name} is dated`)
  assert.deepEqual(warnings, [])
})
