// One book from the model to its pages and images (shared by the EPUB and the preview), and
// from those to EPUB bytes with the nav, NCX and OPF. Images come through the build's image
// reader (read once, checked); a drawn cover through the session's cover cache and the disk
// cache. Reads image files (through the reader); no writes.

import type {VFile} from 'vfile'
import {bookSources} from '../book/assemble.js'
import type {IndexCache} from '../book/indexes.js'
import {renderCover} from './cover/draw.js'
import type {DeflateCache} from './epub/deflate.js'
import {renderNav, renderNcx, renderOpf} from './package.js'
import {coverImageName, renderPages} from './pages.js'
import {stylesheet} from './style.js'
import type {Book, CoverText, PreparedBook} from '../model.js'
import type {ImageReader} from '../project/assets/images.js'
import {limit} from '../shared/limit.js'

/** Drawn covers by their text, kept by a session (watch and preview rebuild often). */
export type CoverCache = Map<string, Promise<Uint8Array>>

/**
 * Start drawing these covers now, so they render on other threads meanwhile. The promise
 * settles when all are drawn (a failure is the business of the book that awaits its cover).
 */
export async function drawCovers(texts: ReadonlyArray<CoverText | undefined>, covers: CoverCache, store?: BlobStore): Promise<void> {
  await Promise.all(texts.map((text) => (text ? drawnCover(text, covers, store).catch(() => undefined) : undefined)))
}

/** The typographic cover, drawn once per text in a session. */
function drawnCover(text: CoverText, drawn: CoverCache, store?: BlobStore): Promise<Uint8Array> {
  const key = JSON.stringify(text)
  let pending = drawn.get(key)
  if (!pending) {
    pending = (async () => {
      // Drawing is the slowest step of a small build; the cache on disk keeps the PNG.
      const name = coverBlobName(text)
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

/** A drawn cover's name in the disk cache. */
export function coverBlobName(text: CoverText): string {
  return `cover-${JSON.stringify(text)}`
}

// Two covers at a time keep both cores busy; each holds about 30 MB of pixels while drawn. A
// limit on the process's own cores, not a cache: every session shares it on purpose.
const inTurn = limit(2)

/** The author's stylesheet (after the default one) and the files it brings in, by path inside the book. */
export interface BookStyle {
  css: string
  assets: ReadonlyMap<string, Uint8Array>
}

/** Bytes kept between runs under a name (the content-hash cache); a miss is undefined. */
export interface BlobStore {
  getBlob(name: string): Promise<Uint8Array | undefined>
  setBlob(name: string, bytes: Uint8Array): Promise<void>
}

export interface PrepareOptions {
  bytesOf: ImageReader
  /** Receives problems with a cover the manifest names. */
  manifestFile: VFile
  style: BookStyle
  /** False leaves a drawn cover out (check and preview never show it). */
  drawCover: boolean
  covers: CoverCache
  store?: BlobStore | undefined
  /** A session's index pages, kept while their reviews' fields are unchanged. */
  indexes?: IndexCache | undefined
  /** The book's images when the caller has read them already (`readBookImages`). */
  read?: BookImages | undefined
}

export interface BookImages {
  images: Map<string, Uint8Array>
  cover: Uint8Array | undefined
}

/**
 * A book's images (and the cover the manifest names), read in the order the book shows them.
 * The reader reports each problem once at each place however many books show the image, so a
 * book taken from the last build (build/reuse.ts) is read too, for the books after it.
 */
export async function readBookImages(book: Book, bytesOf: ImageReader, manifestFile: VFile): Promise<BookImages> {
  const images = new Map<string, Uint8Array>()
  for (const source of bookSources(book)) {
    for (const image of source.images) {
      if (images.has(image.name)) continue
      const bytes = await bytesOf(image.path, source.file, image.place)
      if (bytes) images.set(image.name, bytes)
    }
  }
  const cover = book.cover && coverImageName(book) ? await bytesOf(book.cover, manifestFile, book.coverPlace) : undefined
  return {images, cover}
}

export async function prepareBook(book: Book, {bytesOf, manifestFile, style, drawCover, covers, store, indexes, read}: PrepareOptions): Promise<PreparedBook> {
  const pages = renderPages(book, indexes)
  const {images, cover: coverBytes} = read ?? (await readBookImages(book, bytesOf, manifestFile))
  const contentImages = [...images.keys()].sort()
  const cover = coverImageName(book)
  if (book.cover && cover) {
    if (coverBytes) images.set(cover, coverBytes)
  } else if (book.coverText && cover && drawCover) {
    images.set(cover, await drawnCover(book.coverText, covers, store))
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
  return {book, pages, images, contentImages, css: style.css ? `${stylesheet}\n${style.css}` : stylesheet, fonts, styleFiles: styleFiles.sort()}
}

/**
 * The EPUB bytes of a prepared book; `modified` dates every zip entry, `deflated` is the
 * session's. The zipping library (and the dozen packages it loads) is loaded by the first book
 * zipped: a build that takes its books from the last one (build/reuse.ts), a check or a preview
 * never loads it.
 */
export async function packEpub(prepared: PreparedBook, modified: Date, deflated: DeflateCache, onWarning: (text: string) => void): Promise<Uint8Array> {
  const {renderEpub} = await import('./epub/pack.js')
  const {book, pages, images} = prepared
  const input = {book, pages, images: prepared.contentImages, styleFiles: prepared.styleFiles}
  return renderEpub(
    {
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
    },
    deflated,
    onWarning
  )
}

function byName(files: ReadonlyMap<string, Uint8Array>): Array<{name: string; bytes: Uint8Array}> {
  return [...files].map(([name, bytes]) => ({name, bytes})).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
