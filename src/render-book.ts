// One book from the model to EPUB bytes: its pages, nav, NCX and OPF, and the bytes of
// every image it shows (read once per build, checked against their extension). Reads
// image files; no writes.
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import type {Root} from 'hast'
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import type {Book} from './book.js'
import {describeOsError, report} from './diagnostics.js'
import {checkImageBytes} from './images.js'
import {renderEpub} from './render-epub.js'
import {renderNav, renderNcx, renderOpf} from './render-package.js'
import {coverImageName, renderPages} from './render-pages.js'
import {stylesheet} from './style.js'

/** Reads each image once, checking its bytes; problems go on the file that shows it. */
export type ImageReader = (file: string, owner: VFile, place: Position | undefined) => Promise<Uint8Array | undefined>

export function imageReader(root: string): ImageReader {
  const cache = new Map<string, Promise<Uint8Array | undefined>>()
  return (file, owner, place) => {
    let pending = cache.get(file)
    if (!pending) {
      pending = readFile(file).then(
        (bytes) => {
          const problem = checkImageBytes(file, bytes)
          if (problem) report(owner, {reason: problem, ruleId: 'image-format', severity: 'error', place})
          return problem ? undefined : bytes
        },
        (error: NodeJS.ErrnoException) => {
          report(owner, {reason: `Image \`${path.relative(root, file)}\` could not be read: ${describeOsError(error)}`, ruleId: 'missing-image', severity: 'error', place})
          return undefined
        }
      )
      cache.set(file, pending)
    }
    return pending
  }
}

/** `manifestFile` receives problems with the cover, which the manifest names. */
export async function renderBook(book: Book, stringify: (tree: Root) => string, bytesOf: ImageReader, modified: Date, manifestFile: VFile): Promise<Uint8Array> {
  const pages = renderPages(book, stringify)
  const images = new Map<string, Uint8Array>()
  for (const review of book.parts.flatMap((part) => part.reviews)) {
    for (const image of review.images) {
      if (images.has(image.name)) continue
      const bytes = await bytesOf(image.path, review.file, image.place)
      if (bytes) images.set(image.name, bytes)
    }
  }
  const contentImages = [...images.keys()].sort()
  const cover = coverImageName(book)
  if (book.cover && cover) {
    const bytes = await bytesOf(book.cover, manifestFile, book.coverPlace)
    if (bytes) images.set(cover, bytes)
  }
  const input = {book, pages, images: contentImages}
  return renderEpub({
    title: book.title,
    language: book.language,
    identifier: book.identifier,
    css: stylesheet,
    pages,
    nav: renderNav(input),
    ncx: renderNcx(input),
    opf: renderOpf(input),
    images: [...images].map(([name, bytes]) => ({name, bytes})).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    modified
  })
}
