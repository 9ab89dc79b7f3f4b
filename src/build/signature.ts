// Everything a book's bytes depend on, as one hash: the manifest's text, the book's name and
// date, the stylesheet and what it brings in, what it shows of the rest of the series, and
// each of its inputs (a review by its text, anything else by its size and time). Equal
// signatures mean an identical book, so a session writes it again only when it changed. Pure.
import {createHash} from 'node:crypto'
import type {Book, CompiledBody} from '../model.js'
import type {Stylesheet} from '../project/assets/stylesheet.js'
import type {FileTime} from '../project/inputs.js'

export interface SignatureInput {
  manifestText: string
  times: ReadonlyMap<string, FileTime>
  seriesKey: string
  style: Stylesheet
  /** Review text digests kept by the session (a review unchanged between runs keeps its body). */
  digests: WeakMap<CompiledBody, string>
}

export function bookSignature(book: Book, {manifestText, times, seriesKey, style, digests}: SignatureInput): string {
  const hash = createHash('sha256').update(manifestText).update('\0').update(book.fileName).update('\0').update(book.modified).update('\0').update(style.css)
  // The stylesheet's images and fonts: their names are of their paths, so their bytes count here.
  for (const [file, bytes] of [...style.assets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`\0${file}\0`).update(bytes)
  hash.update(seriesKey)
  const texts = new Map<string, string>()
  for (const review of book.parts.flatMap((part) => part.reviews)) {
    let digest = digests.get(review.body)
    if (digest === undefined) {
      digest = createHash('sha256').update(String(review.file.value)).digest('hex')
      digests.set(review.body, digest)
    }
    texts.set(review.entry.path, digest)
  }
  for (const input of book.inputs) {
    const time = times.get(input)
    hash.update(`\0${input}\0${texts.get(input) ?? `${time?.size}:${time?.mtimeMs}`}`)
  }
  return hash.digest('hex')
}
