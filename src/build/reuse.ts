// A book the last build wrote, taken from the output folder instead of being rendered and
// zipped again: when the book's signature is the one it had then and the folder still holds
// those very bytes, it is read back, and the messages rendering it gave are given again, to
// the same files, so the report and the exit code are those of a build that made it. A record
// per book and signature, kept in the disk cache beside the converted reviews. One check looks
// across books (an image in a volume and the collection is checked once, by the first book
// that has it), so a record also says which of its images earlier books had checked; it is
// used only when that is so again. I/O: reads the output folder and the cache.
import {createHash} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import type {VFile} from 'vfile'
import {bookSources} from '../book/assemble.js'
import type {Book} from '../model.js'
import {coverBlobName, type BlobStore} from '../render/prepare.js'
import {report, serialMessages, type Problem} from '../shared/diagnostics.js'

interface StoredMessage extends Problem {
  /** The file the message is about, by its path as the run names it. */
  file: string
}

interface BookRecord {
  sha256: string
  /** The book's images that books before it had checked when it was rendered, sorted. */
  checkedBefore: string[]
  messages: StoredMessage[]
}

export type ReuseStore = BlobStore & {keepBlob(name: string): void}

/** A book's record's name in the cache: the book's file name and signature. */
export function recordName(book: Book, signature: string): string {
  return `book-${createHash('sha256').update(`${book.fileName}\0${signature}`).digest('hex')}`
}

/** The names of a book's images, once each, sorted. */
export function imagesOf(book: Book): string[] {
  return [...new Set(bookSources(book).flatMap((source) => source.images.map((image) => image.name)))].sort()
}

/** Where each file's messages stand before a book is rendered, to take what rendering added. */
export function markMessages(files: readonly VFile[]): Map<VFile, number> {
  return new Map(files.map((file) => [file, file.messages.length]))
}

/** The record of a book just rendered: its digest, the images checked before it, and the messages it added since `marks`. */
export function makeRecord(sha256: string, checkedBefore: readonly string[], marks: ReadonlyMap<VFile, number>): Uint8Array {
  const record: BookRecord = {sha256, checkedBefore: [...checkedBefore], messages: []}
  for (const [file, from] of marks) record.messages.push(...serialMessages(file, from).map((message) => ({...message, file: file.path})))
  return Buffer.from(JSON.stringify(record))
}

export interface Candidate {
  record: BookRecord
  bytes: Buffer
}

/** The book's record and its bytes in `outDir`, when both are there and the bytes are the ones recorded. */
export async function findCandidate(name: string, outPath: string, store: ReuseStore): Promise<Candidate | undefined> {
  const [body, bytes] = await Promise.all([store.getBlob(name), readFile(outPath).catch(() => undefined)])
  if (!body || !bytes) return undefined
  try {
    const record = JSON.parse(Buffer.from(body).toString('utf8')) as BookRecord
    if (typeof record?.sha256 !== 'string' || !Array.isArray(record.checkedBefore) || !Array.isArray(record.messages)) return undefined
    return record.sha256 === createHash('sha256').update(bytes).digest('hex') ? {record, bytes} : undefined
  } catch {
    return undefined
  }
}

/**
 * Whether the book of `candidate` can be taken: the images checked before it are the ones its
 * record names. If so, its messages are reported again; if not, nothing is reported.
 */
export function reuseBook(book: Book, {record}: Candidate, checkedBefore: readonly string[], files: readonly VFile[], store: ReuseStore): boolean {
  if (record.checkedBefore.join('\0') !== checkedBefore.join('\0')) return false
  const byPath = new Map(files.map((file) => [file.path, file]))
  if (record.messages.some((message) => !byPath.has(message.file))) return false
  for (const {file, ...problem} of record.messages) report(byPath.get(file)!, problem)
  // Its cover was not needed this time, but the next build that changes the book will need it.
  if (book.coverText) store.keepBlob(coverBlobName(book.coverText))
  return true
}
