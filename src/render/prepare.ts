// One book from the model to its pages and images (shared by the EPUB and the preview), and
// from those to EPUB bytes with the nav, NCX and OPF. Image bytes are read once per build
// and checked against their extension. Reads image files; no writes.
import path from 'node:path'
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {bookSources} from '../book/assemble.js'
import {renderCover} from './cover/draw.js'
import {report, type Problem} from '../shared/diagnostics.js'
import {describeProblem, readRegularFile} from '../shared/read-file.js'
import {checkImageBytes} from '../shared/image-bytes.js'
import {resolvesInside} from '../shared/paths.js'
import {renderEpub} from './epub/pack.js'
import {renderNav, renderNcx, renderOpf} from './package.js'
import {cleanSvg} from '../project/assets/svg-clean.js'
import {coverImageName, renderPages} from './pages.js'
import {stylesheet} from './style.js'
import type {Book, CoverText, Page, PreparedBook} from '../model.js'

/** Reads each image once, checking its bytes (an SVG is made safe); problems go on the file that shows it. */
export type ImageReader = (file: string, owner: VFile, place: Position | undefined) => Promise<Uint8Array | undefined>

/** Far past any image a store takes (KDP: 5 MB inside a book, 50 MB for a cover). */
export const imageReadLimit = 100_000_000
type Finding = Omit<Problem, 'place'>

export function imageReader(root: string): ImageReader {
  const cache = new Map<string, Promise<{bytes?: Uint8Array | undefined; problems: Finding[]}>>()
  // Each problem is reported once at every place that shows the image, however many books hold it.
  const reported = new Set<string>()
  return async (file, owner, place) => {
    let pending = cache.get(file)
    if (!pending) {
      const error = (reason: string, ruleId: string) => ({problems: [{reason, ruleId, severity: 'error' as const}]})
      pending = resolvesInside(root, file)
        ? readRegularFile(file, imageReadLimit).then((read) => {
            if (!('bytes' in read)) return error(`Image \`${path.relative(root, file)}\` could not be read: ${describeProblem(read, imageReadLimit)}`, 'missing-image')
            const reason = checkImageBytes(file, read.bytes)
            if (reason) return error(reason, 'image-format')
            if (path.extname(file).toLowerCase() !== '.svg') return {bytes: read.bytes, problems: []}
            const svg = cleanSvg(read.bytes, path.basename(file))
            return 'refused' in svg ? {problems: [svg.refused]} : svg
          })
        : Promise.resolve(error(`Image \`${path.relative(root, file)}\` is a symbolic link to a file outside the project; it is not read`, 'unsafe-path'))
      cache.set(file, pending)
    }
    const {bytes, problems} = await pending
    const key = `${owner.path}\0${place?.start.line}:${place?.start.column}\0${file}`
    if (problems.length > 0 && !reported.has(key)) {
      reported.add(key)
      for (const problem of problems) report(owner, {...problem, place})
    }
    return bytes
  }
}

const drawn = new Map<string, Promise<Uint8Array>>()

/** Start drawing the covers of these books now, so they render on other threads meanwhile. */
export function drawCovers(books: readonly Book[], store?: BlobStore): void {
  for (const book of books) if (book.coverText && !book.cover) void drawnCover(book.coverText, store).catch(() => {})
}

/** The typographic cover, drawn once per text in a process (watch and preview rebuild often). */
function drawnCover(text: CoverText, store?: BlobStore): Promise<Uint8Array> {
  const key = JSON.stringify(text)
  let pending = drawn.get(key)
  if (!pending) {
    pending = (async () => {
      // Drawing is the slowest step of a small build; the cache on disk keeps the PNG.
      const name = `cover-${key}`
      const stored = await store?.getBlob(name)
      if (stored) return stored
      const bytes = await inTurn(() => renderCover(text))
      await store?.setBlob(name, bytes)
      return bytes
    })()
    drawn.set(key, pending)
  }
  return pending
}

// Two covers at a time keep both cores busy; each holds about 30 MB of pixels while drawn.
let running = 0
const waiting: Array<() => void> = []
async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve))
  running++
  try {
    return await work()
  } finally {
    running--
    waiting.shift()?.()
  }
}


/** The stylesheet of a book and the files it brings in, by path inside the book. */
export interface BookStyle {
  css: string
  assets: ReadonlyMap<string, Uint8Array>
}

/** `manifestFile` receives problems with the cover, which the manifest names. */
/** `drawCover: false` leaves a drawn cover out (check and preview never show it). */
/** Bytes kept between runs under a name (the content-hash cache); a miss is undefined. */
export interface BlobStore {
  getBlob(name: string): Promise<Uint8Array | undefined>
  setBlob(name: string, bytes: Uint8Array): Promise<void>
}

export async function prepareBook(book: Book, bytesOf: ImageReader, manifestFile: VFile, style: BookStyle = {css: stylesheet, assets: new Map()}, drawCover = true, store?: BlobStore): Promise<PreparedBook> {
  const pages = renderPages(book)
  const images = new Map<string, Uint8Array>()
  for (const source of bookSources(book)) {
    for (const image of source.images) {
      if (images.has(image.name)) continue
      const bytes = await bytesOf(image.path, source.file, image.place)
      if (bytes) images.set(image.name, bytes)
    }
  }
  const contentImages = [...images.keys()].sort()
  const cover = coverImageName(book)
  if (book.cover && cover) {
    const bytes = await bytesOf(book.cover, manifestFile, book.coverPlace)
    if (bytes) images.set(cover, bytes)
  } else if (book.coverText && cover && drawCover) {
    images.set(cover, await drawnCover(book.coverText, store))
  }
  const fonts = new Map<string, Uint8Array>()
  const styleFiles: string[] = []
  for (const [file, bytes] of style.assets) {
    const [folder, name] = file.split('/') as [string, string]
    if (folder === 'fonts') fonts.set(name, bytes)
    // An image a review shows too is already in the book, listed with the reviews' images.
    else if (images.has(name)) continue
    else images.set(name, bytes)
    styleFiles.push(file)
  }
  return {book, pages, images, contentImages, css: style.css, fonts, styleFiles: styleFiles.sort()}
}

/** The EPUB bytes of a prepared book; `modified` dates every zip entry. */
export function packEpub(prepared: PreparedBook, modified: Date): Promise<Uint8Array> {
  const {book, pages, images} = prepared
  const input = {book, pages, images: prepared.contentImages, styleFiles: prepared.styleFiles}
  return renderEpub({
    title: book.title,
    language: book.language,
    identifier: book.identifier,
    css: prepared.css,
    pages,
    nav: renderNav(input),
    ncx: renderNcx(input),
    opf: renderOpf(input),
    images: byName(images),
    fonts: byName(prepared.fonts),
    modified
  })
}

function byName(files: ReadonlyMap<string, Uint8Array>): Array<{name: string; bytes: Uint8Array}> {
  return [...files].map(([name, bytes]) => ({name, bytes})).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
