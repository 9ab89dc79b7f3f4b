// imageInfo reads size, colour model and transparency from hand-built headers of every
// format it knows, and never throws on truncated, corrupted or random bytes.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {imageInfo} from '../src/shared/image-info.js'
import {checkImageBytes} from '../src/shared/image-bytes.js'
import {random} from './helpers/random.js'

function bytes(...parts: Array<number[] | string | Uint8Array>): Uint8Array {
  const out: number[] = []
  for (const part of parts) {
    if (typeof part === 'string') for (const c of part) out.push(c.charCodeAt(0) & 0xff)
    else for (const b of part) out.push(b)
  }
  return Uint8Array.from(out)
}
const be32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]
const be16 = (n: number): number[] => [(n >>> 8) & 0xff, n & 0xff]
const le16 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff]
const le24 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff]
const le32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]

// CRCs are left as zeros: imageInfo reads headers, it does not validate chunks.
function pngChunk(type: string, data: number[]): Uint8Array {
  return bytes(be32(data.length), type, data, [0, 0, 0, 0])
}
function png(width: number, heightPx: number, colourType: number, ...extra: Uint8Array[]): Uint8Array {
  return bytes(
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    pngChunk('IHDR', [...be32(width), ...be32(heightPx), 8, colourType, 0, 0, 0]),
    ...extra,
    pngChunk('IDAT', [0x78, 0x9c]),
    pngChunk('IEND', [])
  )
}

function jpeg(sofMarker: number, width: number, heightPx: number, components: number, before: number[] = []): Uint8Array {
  const app0 = [0xff, 0xe0, ...be16(16), ...Array.from('JFIF\0', (c) => c.charCodeAt(0)), 1, 1, 0, 0, 1, 0, 1, 0, 0]
  const sofBody = [8, ...be16(heightPx), ...be16(width), components]
  for (let i = 0; i < components; i++) sofBody.push(i + 1, 0x11, 0)
  const sof = [0xff, sofMarker, ...be16(sofBody.length + 2), ...sofBody]
  return bytes([0xff, 0xd8], app0, before, sof, [0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0], [0x12, 0x34, 0xff, 0x00, 0x56], [0xff, 0xd9])
}

function gif(width: number, heightPx: number, transparent: boolean): Uint8Array {
  const globalTable = [0, 0, 0, 255, 255, 255]
  const gce = [0x21, 0xf9, 4, transparent ? 0x01 : 0x00, 0, 0, 0, 0]
  const image = [0x2c, 0, 0, 0, 0, ...le16(width), ...le16(heightPx), 0, 2, 2, 0x4c, 0x01, 0]
  return bytes('GIF89a', le16(width), le16(heightPx), [0x80, 0, 0], globalTable, [0x21, 0xfe, 3, 0x61, 0x62, 0x63, 0], gce, image, [0x3b])
}

function riff(chunk: string, data: number[]): Uint8Array {
  return bytes('RIFF', le32(4 + 8 + data.length), 'WEBP', chunk, le32(data.length), data)
}
const vp8 = (w: number, h: number): Uint8Array => riff('VP8 ', [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, ...le16(w), ...le16(h), 0, 0, 0, 0])
function vp8l(w: number, h: number, alpha: boolean): Uint8Array {
  const bits = ((w - 1) | ((h - 1) << 14) | ((alpha ? 1 : 0) << 28)) >>> 0
  return riff('VP8L', [0x2f, ...le32(bits), 0, 0, 0])
}
const vp8x = (w: number, h: number, alpha: boolean): Uint8Array => riff('VP8X', [alpha ? 0x10 : 0, 0, 0, 0, ...le24(w - 1), ...le24(h - 1)])

const svg = (text: string): Uint8Array => new TextEncoder().encode(text)

const samples: Record<string, Uint8Array> = {
  png: png(640, 480, 6),
  jpeg: jpeg(0xc0, 1024, 768, 3),
  gif: gif(320, 200, true),
  vp8: vp8(400, 300),
  vp8l: vp8l(400, 300, true),
  vp8x: vp8x(4000, 3000, true),
  svg: svg('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"/>')
}

test('PNG headers give the size and each colour type', () => {
  assert.deepEqual(imageInfo(png(640, 480, 0)), {format: 'png', width: 640, height: 480, colour: 'grey', alpha: false})
  assert.deepEqual(imageInfo(png(640, 480, 2)), {format: 'png', width: 640, height: 480, colour: 'rgb', alpha: false})
  assert.deepEqual(imageInfo(png(640, 480, 3)), {format: 'png', width: 640, height: 480, colour: 'indexed', alpha: false})
  assert.deepEqual(imageInfo(png(640, 480, 4)), {format: 'png', width: 640, height: 480, colour: 'grey', alpha: true})
  assert.deepEqual(imageInfo(png(1600, 2560, 6)), {format: 'png', width: 1600, height: 2560, colour: 'rgb', alpha: true})
  assert.equal(imageInfo(png(1, 1, 5))?.colour, 'unknown')
})

test('A PNG with a tRNS chunk before its data counts as transparent', () => {
  assert.equal(imageInfo(png(16, 16, 3, pngChunk('PLTE', [0, 0, 0]), pngChunk('tRNS', [0])))?.alpha, true)
  assert.equal(imageInfo(png(16, 16, 2, pngChunk('tRNS', [0, 0, 0, 0, 0, 0])))?.alpha, true)
})

test('PNG sizes beyond 2^31 are read as unsigned numbers', () => {
  assert.equal(imageInfo(png(0x80000001, 1, 2))?.width, 0x80000001)
})

test('A PNG cut off inside its header is still a PNG, of unknown size', () => {
  assert.deepEqual(imageInfo(png(640, 480, 2).subarray(0, 20)), {format: 'png', width: undefined, height: undefined, colour: 'unknown', alpha: false})
})

test('JPEG frame headers give the size and the colour model from the component count', () => {
  assert.deepEqual(imageInfo(jpeg(0xc0, 1024, 768, 3)), {format: 'jpeg', width: 1024, height: 768, colour: 'rgb', alpha: false})
  assert.deepEqual(imageInfo(jpeg(0xc2, 50, 60, 1)), {format: 'jpeg', width: 50, height: 60, colour: 'grey', alpha: false})
  assert.deepEqual(imageInfo(jpeg(0xc1, 7, 9, 4)), {format: 'jpeg', width: 7, height: 9, colour: 'cmyk', alpha: false})
  assert.equal(imageInfo(jpeg(0xc0, 7, 9, 2))?.colour, 'unknown')
  for (const marker of [0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]) {
    assert.equal(imageInfo(jpeg(marker, 33, 44, 3))?.width, 33, `marker ${marker.toString(16)}`)
  }
})

test('JPEG tables and metadata before the frame are skipped, even when they contain frame-like bytes', () => {
  const dht = [0xff, 0xc4, 0, 6, 0x00, 1, 2, 3]
  const dqt = [0xff, 0xdb, 0, 5, 0, 1, 2]
  // An EXIF segment holding a thumbnail, whose own SOF0 must not be taken for the image's.
  const exif = [0xff, 0xe1, 0, 16, 0x45, 0x78, 0x69, 0x66, 0, 0, 0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0, 1, 0]
  const padded = [0xff, 0xff, 0xff, 0xfe, 0, 4, 0x68, 0x69] // fill bytes, then a comment
  assert.deepEqual(imageInfo(jpeg(0xc0, 800, 600, 3, [...dht, ...dqt, ...exif, ...padded])), {
    format: 'jpeg',
    width: 800,
    height: 600,
    colour: 'rgb',
    alpha: false
  })
})

test('A JPEG whose frame header declares height 0 (set later by DNL) has an unknown height', () => {
  assert.deepEqual(imageInfo(jpeg(0xc0, 800, 0, 3)), {format: 'jpeg', width: 800, height: undefined, colour: 'rgb', alpha: false})
})

test('A JPEG with no frame header, or cut off before it, is a JPEG of unknown size', () => {
  const unknown = {format: 'jpeg', width: undefined, height: undefined, colour: 'unknown', alpha: false}
  assert.deepEqual(imageInfo(bytes([0xff, 0xd8, 0xff])), unknown)
  assert.deepEqual(imageInfo(bytes([0xff, 0xd8, 0xff, 0xd9])), unknown)
  assert.deepEqual(imageInfo(bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a])), unknown)
  assert.deepEqual(imageInfo(bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x00])), unknown)
  const full = jpeg(0xc0, 1024, 768, 3)
  const sofAt = full.findIndex((b, i) => b === 0xff && full[i + 1] === 0xc0)
  assert.deepEqual(imageInfo(full.subarray(0, sofAt + 6)), unknown)
})

test('GIF headers give the logical screen size, indexed colour, and transparency from the control extension', () => {
  assert.deepEqual(imageInfo(gif(320, 200, true)), {format: 'gif', width: 320, height: 200, colour: 'indexed', alpha: true})
  assert.deepEqual(imageInfo(gif(320, 200, false)), {format: 'gif', width: 320, height: 200, colour: 'indexed', alpha: false})
  assert.deepEqual(imageInfo(bytes('GIF87a', le16(5), le16(6), [0, 0, 0], [0x3b])), {format: 'gif', width: 5, height: 6, colour: 'indexed', alpha: false})
  assert.deepEqual(imageInfo(bytes('GIF89a', [1])), {format: 'gif', width: undefined, height: undefined, colour: 'indexed', alpha: false})
})

test('WebP sizes come from the VP8, VP8L and VP8X headers', () => {
  assert.deepEqual(imageInfo(vp8(400, 300)), {format: 'webp', width: 400, height: 300, colour: 'rgb', alpha: false})
  assert.deepEqual(imageInfo(vp8l(16383, 1, true)), {format: 'webp', width: 16383, height: 1, colour: 'rgb', alpha: true})
  assert.deepEqual(imageInfo(vp8l(400, 300, false)), {format: 'webp', width: 400, height: 300, colour: 'rgb', alpha: false})
  assert.deepEqual(imageInfo(vp8x(4000, 3000, true)), {format: 'webp', width: 4000, height: 3000, colour: 'rgb', alpha: true})
  assert.deepEqual(imageInfo(vp8x(1, 16777216, false)), {format: 'webp', width: 1, height: 16777216, colour: 'rgb', alpha: false})
})

test('A WebP with a broken or unknown first chunk is a WebP of unknown size', () => {
  const unknown = {format: 'webp', width: undefined, height: undefined, colour: 'rgb', alpha: false}
  assert.deepEqual(imageInfo(riff('VP8 ', [0x30, 0x01, 0x00, 0x00, 0x00, 0x00, 1, 0, 1, 0])), unknown)
  assert.deepEqual(imageInfo(riff('VP8L', [0x00, 0, 0, 0, 0])), unknown)
  assert.deepEqual(imageInfo(riff('ALPH', [0, 0])), unknown)
  assert.deepEqual(imageInfo(bytes('RIFF', le32(4), 'WEBP')), unknown)
})

test('SVG sizes come from plain or px width and height attributes', () => {
  assert.deepEqual(imageInfo(svg('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"></svg>')), {
    format: 'svg',
    width: 120,
    height: 80,
    colour: 'rgb',
    alpha: true
  })
  assert.deepEqual(imageInfo(svg("<svg width='12.5px' height = ' 40 ' viewBox='0 0 1 1'/>")), {
    format: 'svg',
    width: 12.5,
    height: 40,
    colour: 'rgb',
    alpha: true
  })
})

test('SVG sizes fall back to the viewBox, keeping its aspect ratio when one side is given', () => {
  assert.deepEqual(imageInfo(svg('<svg viewBox="0 0 1600 2560"/>')), {format: 'svg', width: 1600, height: 2560, colour: 'rgb', alpha: true})
  assert.deepEqual(imageInfo(svg('<svg width="100%" height="100%" viewBox="10,10,300,150"/>')), {
    format: 'svg',
    width: 300,
    height: 150,
    colour: 'rgb',
    alpha: true
  })
  assert.deepEqual(imageInfo(svg('<svg width="600" viewBox="0 0 300 150"/>')), {format: 'svg', width: 600, height: 300, colour: 'rgb', alpha: true})
  assert.deepEqual(imageInfo(svg('<svg height="30mm" viewBox="0 0 300 150"/>')), {format: 'svg', width: 300, height: 150, colour: 'rgb', alpha: true})
  assert.deepEqual(imageInfo(svg('<svg width="10em" height="2in"/>')), {format: 'svg', width: undefined, height: undefined, colour: 'rgb', alpha: true})
  assert.deepEqual(imageInfo(svg('<svg viewBox="0 0 -5 10"/>')), {format: 'svg', width: undefined, height: undefined, colour: 'rgb', alpha: true})
})

test('SVG is found after a BOM, XML declaration, comments, processing instructions and a doctype with an internal subset', () => {
  const text =
    '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- made <by> hand -->\n<?xml-stylesheet href="a.css"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [<!ENTITY e "<x>">]>\n<svg:svg xmlns:svg="http://www.w3.org/2000/svg" width="7" height="9"/>'
  assert.deepEqual(imageInfo(svg(text)), {format: 'svg', width: 7, height: 9, colour: 'rgb', alpha: true})
  // The check of an image's bytes against its name reads the prolog the same way: this is an SVG.
  assert.equal(checkImageBytes('drawing.svg', svg(text)), undefined)
  assert.equal(checkImageBytes('drawing.svg', svg('<!DOCTYPE svg [<!ENTITY arrow "->">]><svg xmlns="http://www.w3.org/2000/svg"/>')), undefined)
})

test('Text that is not an SVG root element is not an image', () => {
  for (const text of [
    '<html><svg width="1" height="1"/></html>',
    '<svgfoo width="1"/>',
    'hello <svg/>',
    '<!-- unterminated <svg/>',
    '<?xml version="1.0"?>',
    '',
    '   ',
    '<!DOCTYPE html>',
    '{"svg": true}'
  ]) {
    assert.equal(imageInfo(svg(text)), undefined, text)
    assert.match(checkImageBytes('drawing.svg', svg(text)) ?? '', /is (not really a SVG file|empty)/, text)
  }
})

test('Bytes of no known format are not an image', () => {
  assert.equal(imageInfo(new Uint8Array(0)), undefined)
  assert.equal(imageInfo(bytes('%PDF-1.7\n')), undefined)
  assert.equal(imageInfo(bytes([0x89, 0x50, 0x4e, 0x47])), undefined)
  assert.equal(imageInfo(bytes('GIF90a', [1, 0, 1, 0])), undefined)
  assert.equal(imageInfo(bytes('RIFF', le32(4), 'WAVE')), undefined)
  assert.equal(imageInfo(bytes([0xff, 0xd8])), undefined)
})

test('Every truncation of every sample gives the same format or nothing, and never throws', () => {
  for (const [name, sample] of Object.entries(samples)) {
    const format = imageInfo(sample)?.format
    assert.ok(format, name)
    for (let end = 0; end <= sample.length; end++) {
      const info = imageInfo(sample.subarray(0, end))
      if (info) assert.equal(info.format, format, `${name} cut at ${end}`)
    }
  }
})

test('Random bytes and randomly corrupted samples never make imageInfo throw', () => {
  const next = random(20240611)
  const sampleList = Object.values(samples)
  for (let round = 0; round < 4000; round++) {
    let input: Uint8Array
    if (round % 2 === 0) {
      input = new Uint8Array(Math.floor(next() * 300))
      for (let i = 0; i < input.length; i++) input[i] = Math.floor(next() * 256)
    } else {
      // Keep the signature most of the time, so the corruption reaches the format readers.
      const base = sampleList[round % sampleList.length] ?? new Uint8Array(0)
      input = base.slice(0, Math.floor(next() * (base.length + 20)))
      const flips = 1 + Math.floor(next() * 6)
      for (let f = 0; f < flips && input.length > 0; f++) input[Math.floor(next() * input.length)] = Math.floor(next() * 256)
    }
    const info = imageInfo(input)
    if (info) {
      for (const value of [info.width, info.height]) assert.ok(value === undefined || (Number.isFinite(value) && value > 0), `round ${round}`)
    }
  }
})

test('Huge and hostile inputs are answered quickly', () => {
  const started = performance.now()
  imageInfo(svg(`<svg width="${'1'.repeat(100_000)}x" viewBox="${' '.repeat(100_000)}"/>`))
  imageInfo(svg(`<svg ${'a'.repeat(200_000)}`))
  imageInfo(bytes([0xff, 0xd8, 0xff, 0xda, 0, 2], new Uint8Array(5_000_000).fill(0xff)))
  imageInfo(bytes('GIF89a', [1, 0, 1, 0, 0, 0, 0], new Uint8Array(2_000_000).fill(0x21)))
  // A bound for a hang or a quadratic read, not a speed target: the work is a few milliseconds.
  assert.ok(performance.now() - started < 10_000, `took ${Math.round(performance.now() - started)} ms`)
})
