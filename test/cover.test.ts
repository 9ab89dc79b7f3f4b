// Generated covers: a 1600×2560 RGB PNG, byte-identical for the same text, different for
// each volume, with the bundled font really drawing the words and any title safe in the SVG.
import assert from 'node:assert/strict'
import {inflateSync} from 'node:zlib'
import {test} from 'node:test'
import {readdir} from 'node:fs/promises'
import path from 'node:path'
import {build} from '../src/index.js'
import {renderCover} from '../src/render/cover/draw.js'
import {coverSvg} from '../src/render/cover/design.js'
import {imageInfo} from '../src/shared/image-info.js'
import type {CoverText} from '../src/model.js'
import {runCli} from './helpers/cli.js'
import {readEpub} from './helpers/epub.js'
import {makeProject, manifest, removeDir, review} from './helpers/project.js'

const volume4: CoverText = {series: 'Essential Film Reviews', volume: 4, title: 'Seventies Nerve', author: 'Morwenna Castellan'}
const collection: CoverText = {
  series: 'Essential Film Reviews',
  volume: undefined,
  title: 'Essential Film Reviews: The Complete Collection',
  author: 'Morwenna Castellan'
}

/** The title's lines: the semibold text elements (on a collection cover, which has no numeral). */
function titleLines(svg: string): Array<{size: number; text: string}> {
  return [...svg.matchAll(/<text [^>]*font-size="([\d.]+)" font-weight="600"[^>]*>([^<]*)<\/text>/g)].map((m) => ({size: Number(m[1]), text: m[2] ?? ''}))
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b))
}

/** The chunks of a PNG, in order, with their CRCs checked. */
function pngChunks(png: Uint8Array): Array<{type: string; data: Buffer}> {
  const buffer = Buffer.from(png)
  const chunks: Array<{type: string; data: Buffer}> = []
  let at = 8
  while (at < buffer.length) {
    const length = buffer.readUInt32BE(at)
    const type = buffer.toString('latin1', at + 4, at + 8)
    const data = buffer.subarray(at + 8, at + 8 + length)
    assert.equal(buffer.readUInt32BE(at + 8 + length), crc32(buffer.subarray(at + 4, at + 8 + length)), `CRC of ${type}`)
    chunks.push({type, data})
    at += 12 + length
  }
  return chunks
}

function crc32(data: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of data) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1
  }
  return (crc ^ 0xffffffff) >>> 0
}

/** The image's RGB rows (no filter bytes), undoing the row filters the encoder may write (None and Up; any other fails). */
function decodeRows(png: Uint8Array): Buffer {
  const stride = 1600 * 3 + 1
  const raw = inflateSync(
    Buffer.concat(
      pngChunks(png)
        .filter((c) => c.type === 'IDAT')
        .map((c) => c.data)
    )
  )
  const rows = Buffer.alloc(1600 * 3 * 2560)
  for (let y = 0; y < 2560; y++) {
    const filter = raw[y * stride]
    assert.ok(filter === 0 || (filter === 2 && y > 0), `row ${y}: filter type ${filter} is None, or Up below the first row`)
    for (let x = 0; x < 1600 * 3; x++) {
      const value = raw[y * stride + 1 + x] ?? 0
      rows[y * 1600 * 3 + x] = filter === 2 ? (value + (rows[(y - 1) * 1600 * 3 + x] ?? 0)) & 0xff : value
    }
  }
  return rows
}

const decoded = new WeakMap<Uint8Array, Buffer>()

/** The RGB value of one pixel. */
function pixel(png: Uint8Array, x: number, y: number): [number, number, number] {
  let rows = decoded.get(png)
  if (!rows) decoded.set(png, (rows = decodeRows(png)))
  const at = (y * 1600 + x) * 3
  return [rows[at] ?? -1, rows[at + 1] ?? -1, rows[at + 2] ?? -1]
}

let sample: Uint8Array | undefined
async function volume4Png(): Promise<Uint8Array> {
  sample ??= await renderCover(volume4)
  return sample
}

test('A cover is a PNG, starting with the PNG signature', async () => {
  const png = await volume4Png()
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
})

test('A cover is 1600×2560 RGB without an alpha channel', async () => {
  assert.deepEqual(imageInfo(await volume4Png()), {format: 'png', width: 1600, height: 2560, colour: 'rgb', alpha: false})
})

test('A cover PNG has valid chunks, no timestamp or text chunks, and decodes to the full image', async () => {
  const png = await volume4Png()
  const chunks = pngChunks(png)
  const types = chunks.map((c) => c.type)
  // The header, the image data in one or more chunks, the end: no density (a cover has no size
  // but its pixels), no time, no text.
  assert.match(types.join(' '), /^IHDR (IDAT )+IEND$/)
  const header = chunks[0]!.data
  assert.deepEqual([header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9], header[12]], [1600, 2560, 8, 2, 0], 'RGB, 8 bits, not interlaced')
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)))
  assert.equal(raw.length, (1600 * 3 + 1) * 2560)
})

test("A cover's pixels are exactly the ones resvg draws, alpha dropped", async () => {
  const {Resvg} = await import('@resvg/resvg-js')
  const rendered = await import('../src/render/cover/draw.js').then(({coverRenderOptions}) => new Resvg(coverSvg(volume4), coverRenderOptions()).render())
  const rgba = rendered.pixels
  const rows = decodeRows(await volume4Png())
  let differing = 0
  for (let i = 0, o = 0; i < rgba.length; i += 4, o += 3) {
    if (rgba[i + 3] !== 255 || rows[o] !== rgba[i] || rows[o + 1] !== rgba[i + 1] || rows[o + 2] !== rgba[i + 2]) differing++
  }
  assert.equal(differing, 0, 'pixels that differ from the rendering (or are not opaque)')
})

test('The same text renders to byte-identical PNGs', async () => {
  assert.ok(same(await volume4Png(), await renderCover({...volume4})))
})

test('The command line draws covers on a thread of its own, to the same bytes as drawn here', async () => {
  // From the TypeScript sources a cover is drawn on the calling thread; the command line (the
  // bundle) sends each to its cover thread. Two volumes, in two colour schemes, both ways.
  const project = await makeProject({
    'volumes.yaml': `${manifest(['a.md'])}  - number: 2\n    title: Second\n    reviews: [b.md]\n`,
    'reviews/a.md': review({title: 'A', year: 1950}, 'One.'),
    'reviews/b.md': review({title: 'B', year: 1960}, 'Two.')
  })
  try {
    const cli = await runCli(['-q', '-o', 'cli'], project, {BUILD_VOLUMES_CACHE: 'off'})
    assert.equal(cli.code, 0, cli.stderr)
    const here = await build({cwd: project, out: path.join(project, 'here'), cache: false, sourceDateEpoch: '1700000000'})
    assert.equal(here.written, true)
    const books = (await readdir(path.join(project, 'here'))).filter((name) => name.endsWith('.epub'))
    assert.deepEqual(books.sort(), ['test-series-volume-01.epub', 'test-series-volume-02.epub'])
    for (const book of books) {
      const [a, b] = await Promise.all(
        ['cli', 'here'].map(async (folder) => (await readEpub(path.join(project, folder, book))).bytesOf('OEBPS/images/cover.png'))
      )
      assert.ok(same(a!, b!), `${book}: the cover drawn on the cover thread`)
    }
  } finally {
    await removeDir(project)
  }
})

test('Volumes 3 and 4 get different covers, in different colours', async () => {
  const png3 = await renderCover({...volume4, volume: 3})
  const png4 = await volume4Png()
  assert.ok(!same(png3, png4))
  // A corner inside the frame shows the cloth colour, which follows the volume number.
  assert.notDeepEqual(pixel(png3, 150, 1300), pixel(png4, 150, 1300))
})

test('The colours cycle through a fixed palette, and the collection has a scheme of its own', () => {
  const background = (text: CoverText): string => /<linearGradient id="ground"[^]*?<\/linearGradient>/.exec(coverSvg(text))?.[0] ?? ''
  const schemes = new Set<string>()
  for (let v = 1; v <= 8; v++) schemes.add(background({...volume4, volume: v}))
  assert.equal(schemes.size, 8, 'eight volumes, eight colours')
  assert.equal(background({...volume4, volume: 1}), background({...volume4, volume: 9}))
  assert.ok(!schemes.has(background(collection)))
})

test('The words are really drawn with the bundled font, not dropped for want of one', async () => {
  const blank = await renderCover({series: '', volume: 4, title: '', author: ''})
  const worded = await volume4Png()
  const otherTitle = await renderCover({...volume4, title: 'Seventies Verve'})
  assert.ok(!same(blank, worded), 'text changes the pixels')
  assert.ok(!same(worded, otherTitle), 'a one-letter change in the title changes the pixels')
  // The title's first line crosses the middle of the cover in near-white ink on dark cloth.
  const middle = Array.from({length: 200}, (_, i) => pixel(worded, 700 + i, 1380))
  assert.ok(
    middle.some(([r, g, b]) => r > 200 && g > 200 && b > 200),
    'title ink in the middle of the cover'
  )
  assert.ok(
    pixel(blank, 800, 1380).every((c) => c < 150),
    'no ink where there is no title'
  )
})

test('A title with <&> and quotes is escaped into valid SVG and renders', async () => {
  const text: CoverText = {...volume4, title: 'Tom & Jerry <Uncut> "Director\'s" Cut', subtitle: '<b>bold</b> & co', author: 'A & B <c@d>'}
  const svg = coverSvg(text)
  assert.ok(svg.includes('Tom &amp; Jerry') || svg.includes('Tom &amp;'), svg)
  assert.ok(!/<(?!\/?(svg|defs|linearGradient|radialGradient|stop|rect|line|path|circle|text)[\s>/])/.test(svg), "no element but the cover's own")
  const png = await renderCover(text)
  assert.equal(imageInfo(png)?.width, 1600)
})

test('Control characters and broken surrogates in the text do not break the SVG', async () => {
  const png = await renderCover({...volume4, title: 'Bell\u0007 and \u0000nul \ud800 alone', author: 'Tab\tbed\nLines'})
  assert.equal(imageInfo(png)?.height, 2560)
})

test('Non-ASCII titles render and keep their letters', async () => {
  const text: CoverText = {series: 'Essential Film Reviews', volume: 2, title: 'Amélie in Kyō', subtitle: 'Jeunet, Ozu, Buñuel', author: 'Zoë Ångström'}
  assert.equal(
    titleLines(coverSvg({...text, volume: undefined}))
      .map((l) => l.text)
      .join(' '),
    'Amélie in Kyō'
  )
  assert.match(coverSvg(text), />Zoë Ångström</)
  const accented = await renderCover(text)
  const plain = await renderCover({...text, title: 'Amelie in Kyo'})
  assert.ok(!same(accented, plain), 'the accents are drawn')
})

test('The coverSvg function is pure: the same text gives the same SVG', () => {
  assert.equal(coverSvg(volume4), coverSvg({...volume4}))
  assert.match(coverSvg(volume4), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="1600" height="2560"/)
})

test('A long title wraps onto at most three balanced lines at a smaller size', () => {
  const short = titleLines(coverSvg({...collection, title: 'Seventies Nerve'}))
  const long = titleLines(coverSvg({...collection, title: 'The Discreet Charm of the Bourgeoisie and Other Surrealist Provocations'}))
  assert.ok(long.length >= 2 && long.length <= 3, JSON.stringify(long))
  assert.ok((long[0]?.size ?? 0) < (short[0]?.size ?? 0), 'the long title is set smaller')
  assert.equal(long.map((l) => l.text).join(' '), 'The Discreet Charm of the Bourgeoisie and Other Surrealist Provocations')
  const endless = titleLines(coverSvg({...collection, title: 'word '.repeat(200)}))
  assert.equal(endless.length, 3)
  assert.ok(endless[2]?.text.endsWith('…'), 'a title too long for three lines ends in an ellipsis')
})

test('The volume number is shown as a Roman numeral; the collection shows its label instead', () => {
  assert.match(coverSvg(volume4), />IV<\/text>/)
  assert.match(coverSvg({...volume4, volume: 12}), />XII<\/text>/)
  const svg = coverSvg(collection)
  assert.match(svg, />The Complete Collection<\/text>/)
  assert.equal(
    titleLines(svg)
      .map((l) => l.text)
      .join(' '),
    'Essential Film Reviews'
  )
  assert.doesNotMatch(svg, />Volume<\/text>/)
})

test('sharp that cannot be loaded is a setup problem with its reason and the fix (exit 3), not a bug; the real one loads', async () => {
  const {loadSharp} = await import('../src/shared/sharp.js')
  const {BuildError} = await import('../src/shared/errors.js')
  const missing = new Error('Could not load the "sharp" module using the linux-x64 runtime\nPossible solutions: …')
  await assert.rejects(
    loadSharp(() => Promise.reject(missing)),
    (error: unknown) =>
      error instanceof BuildError &&
      error.exitCode === 3 &&
      error.cause === missing &&
      error.message.includes('(Could not load the "sharp" module using the linux-x64 runtime)') &&
      error.message.includes('run `npm ci` again') &&
      !error.message.includes('Possible solutions')
  )
  const sharp = await loadSharp()
  assert.equal(typeof sharp, 'function')
  assert.equal(sharp.concurrency(), 1, 'one libvips thread per image')
})
