// The drawn cover as an image: design.ts's SVG rendered by resvg with the bundled EB Garamond
// (never system fonts, which differ between machines), encoded by sharp as an RGB PNG with no
// chunk that varies by time, so the same text always gives the same bytes. Reads the font
// files; no other I/O.
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'
import {BuildError} from '../../shared/errors.js'
import {loadSharp} from '../../shared/sharp.js'
import {coverFamily, coverHeight, coverSvg, coverWidth} from './design.js'
import type {CoverText} from '../../model.js'

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
 * The process's cover thread, started on first use and ended as soon as it has no cover left
 * to draw: a drawn cover leaves tens of megabytes of pixels behind it in the thread (resvg's
 * and sharp's buffers, freed only when the thread's collections get to them), so a thread kept
 * for the process's life held some 90 MB through the rest of a build. A book's covers are asked
 * for together, so a build starts it once (and `--print` once more). If it fails, every cover
 * waiting on it fails with its message.
 */
function coverThread(script: string): CoverThread {
  if (thread) return thread
  const worker = new Worker(script)
  const waiting = new Map<number, {resolve(png: Uint8Array): void; reject(error: Error): void}>()
  let next = 0
  const self: CoverThread = {
    draw(text, pixelsWide) {
      const id = next++
      return new Promise<Uint8Array>((resolve, reject) => {
        waiting.set(id, {resolve, reject})
        worker.postMessage({id, text, pixelsWide} satisfies CoverRequest)
      })
    }
  }
  /** This thread takes no more covers; those waiting on it fail with `error`, if any. */
  const retire = (error?: Error) => {
    if (thread === self) thread = undefined
    if (error) for (const pending of waiting.values()) pending.reject(error)
    waiting.clear()
  }
  worker.on('message', ({id, png, error, exitCode}: {id: number; png?: Uint8Array; error?: string; exitCode?: number}) => {
    const pending = waiting.get(id)
    waiting.delete(id)
    if (png) pending?.resolve(new Uint8Array(png.buffer, png.byteOffset, png.byteLength))
    else pending?.reject(exitCode === undefined ? new Error(error) : new BuildError(error ?? '', exitCode))
    if (waiting.size === 0) {
      retire()
      void worker.terminate()
    }
  })
  worker.on('error', retire)
  worker.on('exit', (code) => retire(new Error(`The cover thread stopped (exit code ${code})`)))
  thread = self
  return self
}

/** renderCover on this thread. */
export async function renderCoverHere(text: CoverText, pixelsWide?: number): Promise<Uint8Array> {
  const [{Resvg}, sharp] = await Promise.all([import('@resvg/resvg-js'), loadSharp()])
  const image = new Resvg(coverSvg(text), coverRenderOptions(pixelsWide)).render()
  const expected = pixelsWide === undefined ? {w: width, h: height} : {w: pixelsWide, h: Math.round((pixelsWide * height) / width)}
  if (image.width !== expected.w || Math.abs(image.height - expected.h) > 1)
    throw new Error(`resvg rendered the cover at ${image.width}×${image.height}, not ${expected.w}×${expected.h}`)
  // resvg only writes RGBA PNGs; a cover is opaque (its background fills the canvas, so alpha
  // is 255 everywhere and dropping it loses nothing), and stores and readers (KDP among them)
  // prefer plain RGB. So libvips (through sharp) writes the PNG: RGB, no chunk that varies by
  // time, and without the pixel density libvips adds (1,000 pixels a metre, 25 dpi: a cover
  // has no size but its pixels). No row filter: a cover is large flat areas and gradients,
  // where deflate alone compresses smaller (and the zip deflates the result again by a
  // quarter); level 8 gives the size the earlier encoder (JavaScript over Node's zlib) wrote,
  // 106 kB a cover in the book, in 68 ms instead of 130 (level 9: 101 kB in 83 ms).
  const png = await sharp(image.pixels, {raw: {width: image.width, height: image.height, channels: 4}})
    .removeAlpha()
    .png({compressionLevel: 8, adaptiveFiltering: false})
    .toBuffer()
  return withoutChunk(new Uint8Array(png.buffer, png.byteOffset, png.byteLength), 'pHYs')
}

/** The PNG without its chunks of this type (each chunk carries its own CRC, so the rest stand as they are). */
function withoutChunk(png: Uint8Array, type: string): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  const kept: Uint8Array[] = [png.subarray(0, 8)]
  for (let at = 8; at + 12 <= png.length;) {
    const end = at + 12 + view.getUint32(at)
    if (String.fromCharCode(...png.subarray(at + 4, at + 8)) !== type) kept.push(png.subarray(at, end))
    at = end
  }
  // A buffer of its own (not from Node's pool): the cover thread hands it over whole.
  const out = new Uint8Array(kept.reduce((n, part) => n + part.length, 0))
  let at = 0
  for (const part of kept) {
    out.set(part, at)
    at += part.length
  }
  return out
}
