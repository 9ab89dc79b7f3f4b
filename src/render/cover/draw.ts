// The drawn cover as an image: design.ts's SVG rendered by resvg with the bundled EB Garamond
// (never system fonts, which differ between machines), re-encoded as an RGB PNG with no
// chunk that varies by time, so the same text always gives the same bytes. Reads the font
// files; no other I/O.
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {Worker} from 'node:worker_threads'
import {deflate} from 'node:zlib'
import {coverFamily, coverHeight, coverSvg, coverWidth} from './design.js'
import type {CoverText} from '../../model.js'

// zlib's asynchronous deflate runs on the thread pool, so several covers compress at once.
const deflateAsync = promisify(deflate)
const width = coverWidth
const height = coverHeight
const family = coverFamily

const fontFiles = ['400Regular/EBGaramond_400Regular.ttf', '400Regular_Italic/EBGaramond_400Regular_Italic.ttf', '600SemiBold/EBGaramond_600SemiBold.ttf']

/** The font files' paths, found through Node's resolution so they work from `src/` and `lib/` alike. */
function resolveFonts(): string[] {
  const require = createRequire(import.meta.url)
  return fontFiles.map((file) => {
    try {
      return require.resolve(`@expo-google-fonts/eb-garamond/${file}`)
    } catch {
      throw new Error(`The cover font ${file} is missing: run \`npm install\` (it comes with @expo-google-fonts/eb-garamond)`)
    }
  })
}

/** resvg's options for a cover: at its own 1600×2560, or `pixelsWide` wide at the same proportions (print). */
export function coverRenderOptions(pixelsWide?: number) {
  return {
    // System fonts differ between machines, so only the bundled files are allowed.
    font: {loadSystemFonts: false, fontFiles: resolveFonts(), defaultFontFamily: family, serifFamily: family},
    fitTo: pixelsWide === undefined ? {mode: 'original' as const} : {mode: 'width' as const, value: pixelsWide},
    logLevel: 'error' as const
  }
}

/**
 * The cover as PNG bytes, 1600×2560 (or `pixelsWide` wide, at the same proportions, for print),
 * RGB without alpha; the same text always gives the same bytes. Drawn on a worker thread of
 * its own when run from compiled code (from the TypeScript sources, the tests, on this one).
 */
export function renderCover(text: CoverText, pixelsWide?: number): Promise<Uint8Array> {
  const here = fileURLToPath(import.meta.url)
  if (here.endsWith('.ts') || process.env.BUILD_VOLUMES_WORKERS === '0') return renderCoverHere(text, pixelsWide)
  return coverThread(path.join(path.dirname(here), 'cover-worker.js')).draw(text, pixelsWide)
}

export interface CoverRequest {
  id: number
  text: CoverText
  pixelsWide: number | undefined
}

interface CoverThread {
  draw(text: CoverText, pixelsWide: number | undefined): Promise<Uint8Array>
}

let thread: CoverThread | undefined

/**
 * The process's one cover thread, started on first use. It holds the process open only while
 * a cover is being drawn; if it fails, every cover waiting on it fails with its message.
 */
function coverThread(script: string): CoverThread {
  if (thread) return thread
  const worker = new Worker(script)
  worker.unref()
  const waiting = new Map<number, {resolve(png: Uint8Array): void; reject(error: Error): void}>()
  let next = 0
  const failAll = (error: Error) => {
    thread = undefined
    for (const pending of waiting.values()) pending.reject(error)
    waiting.clear()
  }
  worker.on('message', ({id, png, error}: {id: number; png?: Uint8Array; error?: string}) => {
    const pending = waiting.get(id)
    waiting.delete(id)
    if (waiting.size === 0) worker.unref()
    if (png) pending?.resolve(new Uint8Array(png.buffer, png.byteOffset, png.byteLength))
    else pending?.reject(new Error(error))
  })
  worker.on('error', failAll)
  worker.on('exit', (code) => failAll(new Error(`The cover thread stopped (exit code ${code})`)))
  thread = {
    draw(text, pixelsWide) {
      const id = next++
      return new Promise<Uint8Array>((resolve, reject) => {
        waiting.set(id, {resolve, reject})
        worker.ref()
        worker.postMessage({id, text, pixelsWide} satisfies CoverRequest)
      })
    }
  }
  return thread
}

/** renderCover on this thread. */
export async function renderCoverHere(text: CoverText, pixelsWide?: number): Promise<Uint8Array> {
  const {renderAsync} = await import('@resvg/resvg-js')
  const image = await renderAsync(coverSvg(text), coverRenderOptions(pixelsWide))
  const expected = pixelsWide === undefined ? {w: width, h: height} : {w: pixelsWide, h: Math.round((pixelsWide * height) / width)}
  if (image.width !== expected.w || Math.abs(image.height - expected.h) > 1)
    throw new Error(`resvg rendered the cover at ${image.width}×${image.height}, not ${expected.w}×${expected.h}`)
  return encodeRgbPng(image.pixels, image.width, image.height)
}

// ---- PNG encoding ----
// resvg only writes RGBA PNGs; a cover is opaque, and stores and readers (KDP among them)
// prefer plain RGB, so the pixels are re-encoded here, with no chunk that varies by time.

async function encodeRgbPng(rgba: Uint8Array, w: number, h: number): Promise<Uint8Array> {
  // Filter type 0 on every row: a cover is large flat areas and gradients, where deflate alone
  // compresses smaller than the Up filter (128 kB against 157 kB at level 9 for the sample's
  // first cover, in about the same time), and the zip deflates the result again by a quarter.
  // Level 8: over the nine colour schemes, 20% less time than level 9 for 0.4% more bytes
  // (level 7 saves another 20% but costs 57% more bytes in the book).
  const stride = w * 3 + 1
  const raw = new Uint8Array(stride * h)
  // Each pixel read as one 32-bit word (a quarter of the reads); the byte order is the machine's.
  const aligned = rgba.byteOffset % 4 === 0 ? rgba : rgba.slice()
  const pixels = new Uint32Array(aligned.buffer, aligned.byteOffset, w * h)
  const little = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1
  for (let row = 0; row < h; row++) {
    let o = row * stride + 1
    // The background covers the whole canvas, so alpha is always 255 and dropping it loses nothing.
    for (let i = row * w, end = i + w; i < end; i++) {
      const pixel = pixels[i]!
      if (little) {
        raw[o] = pixel & 0xff
        raw[o + 1] = (pixel >>> 8) & 0xff
        raw[o + 2] = (pixel >>> 16) & 0xff
      } else {
        raw[o] = pixel >>> 24
        raw[o + 1] = (pixel >>> 16) & 0xff
        raw[o + 2] = (pixel >>> 8) & 0xff
      }
      o += 3
    }
  }
  const header = new Uint8Array(13)
  const view = new DataView(header.buffer)
  view.setUint32(0, w)
  view.setUint32(4, h)
  header[8] = 8 // bit depth
  header[9] = 2 // colour type: RGB
  const signature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)
  return concat([signature, chunk('IHDR', header), chunk('IDAT', await deflateAsync(raw, {level: 8})), chunk('IEND', new Uint8Array(0))])
}

const crcTable = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

function crc32(parts: Uint8Array[]): number {
  let crc = 0xffffffff
  for (const part of parts) for (const byte of part) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const typeBytes = new TextEncoder().encode(type)
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  out.set(typeBytes, 4)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32([typeBytes, data]))
  return out
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}
