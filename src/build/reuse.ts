// A build that would make exactly the books the last one wrote: when every book has the
// signature it had then and the output folder still holds those very bytes, the books are
// taken from the folder instead of being rendered and zipped again, and the messages that
// rendering gave are given again, to the same files, so the report and the exit code are
// those of a build that made them. A record per set of books, kept in the disk cache beside
// the converted reviews. All books or none: the checks that look across books (an image is
// checked once a run) make a book's messages depend on the books before it. I/O: reads the
// output folder and the cache.
import {createHash} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import type {VFile} from 'vfile'
import type {Book, BuildOutput} from '../model.js'
import {coverBlobName, type BlobStore} from '../render/prepare.js'
import {report, type Problem} from '../shared/diagnostics.js'

interface StoredMessage extends Omit<Problem, 'severity'> {
  /** The file the message is about, by its path as the run names it. */
  file: string
  fatal: boolean | null
}

interface BooksRecord {
  books: Array<{fileName: string; sha256: string}>
  messages: StoredMessage[]
}

/** The record's name in the cache: the books, in order, by name and signature. */
export function recordName(books: readonly Book[], signatures: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256')
  for (const book of books) hash.update(`${book.fileName}\0${signatures.get(book.fileName)}\0`)
  return `books-${hash.digest('hex')}`
}

/** Where each file's messages stand before rendering, to take what rendering added. */
export function markMessages(files: readonly VFile[]): Map<VFile, number> {
  return new Map(files.map((file) => [file, file.messages.length]))
}

/** The record of a rendering that is about to be written: its books' digests and the messages it added since `marks`. */
export function makeRecord(books: readonly Book[], outputs: readonly BuildOutput[], marks: ReadonlyMap<VFile, number>): Uint8Array | undefined {
  const digests = new Map(outputs.map((output) => [path.basename(output.path), output.sha256]))
  const record: BooksRecord = {books: [], messages: []}
  for (const book of books) {
    const sha256 = digests.get(book.fileName)
    if (!sha256) return undefined
    record.books.push({fileName: book.fileName, sha256})
  }
  for (const [file, from] of marks) {
    for (const message of file.messages.slice(from)) {
      record.messages.push({
        file: file.path,
        reason: message.reason,
        ruleId: message.ruleId ?? '',
        fatal: message.fatal ?? null,
        place: message.place,
        note: message.note,
        actual: message.actual,
        expected: message.expected
      })
    }
  }
  return Buffer.from(JSON.stringify(record))
}

export interface Reused {
  epubs: Map<string, Uint8Array>
  outputs: BuildOutput[]
}

/**
 * The books of `record` read back from `outDir`, when each is there with the bytes it was
 * written with; their messages are reported again. Undefined (and nothing reported) otherwise.
 */
export async function reuseBooks(
  name: string,
  books: readonly Book[],
  outDir: string,
  files: readonly VFile[],
  store: BlobStore & {keepBlob(name: string): void}
): Promise<Reused | undefined> {
  const body = await store.getBlob(name)
  if (!body) return undefined
  let record: BooksRecord
  try {
    record = JSON.parse(Buffer.from(body).toString('utf8')) as BooksRecord
  } catch {
    return undefined
  }
  if (record.books.length !== books.length) return undefined
  const byPath = new Map(files.map((file) => [file.path, file]))
  if (record.messages.some((message) => !byPath.has(message.file))) return undefined
  const epubs = new Map<string, Uint8Array>()
  const outputs: BuildOutput[] = []
  const read = await Promise.all(books.map((book) => readFile(path.join(outDir, book.fileName)).catch(() => undefined)))
  for (const [index, book] of books.entries()) {
    const bytes = read[index]
    const sha256 = bytes && createHash('sha256').update(bytes).digest('hex')
    if (!bytes || record.books[index]!.fileName !== book.fileName || record.books[index]!.sha256 !== sha256) return undefined
    epubs.set(book.fileName, bytes)
    const reviews = book.parts.flatMap((part) => part.reviews)
    outputs.push({
      kind: book.kind,
      volume: book.position,
      title: book.title,
      path: path.join(outDir, book.fileName),
      bytes: bytes.byteLength,
      sha256,
      reviews: reviews.length,
      words: reviews.reduce((sum, review) => sum + review.words, 0),
      ms: 0,
      rebuilt: false,
      kit: []
    })
  }
  for (const {file, fatal, ...problem} of record.messages) {
    report(byPath.get(file)!, {...problem, severity: fatal === true ? 'error' : fatal === false ? 'warning' : 'info'})
  }
  // The covers were not needed this time, but the next book that changes will need them.
  for (const book of books) if (book.coverText) store.keepBlob(coverBlobName(book.coverText))
  return {epubs, outputs}
}
