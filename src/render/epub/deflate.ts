// Every entry of a book deflated once, by Node's own zlib on its thread pool (so several at
// once, beside the main thread's work), and kept by content for the session: a review's
// chapter is in its volume and in the collection, and watch and preview rebuild often. Node
// bundles its zlib, and its deflate makes the same bytes on every machine for one version of
// Node (the cache's key names that version too). Apart from pack.ts, so a session holds this
// cache without loading the library that zips until a book is zipped. No file I/O.
import {createHash} from 'node:crypto'
import {createRequire} from 'node:module'
import {promisify} from 'node:util'
import zlib from 'node:zlib'
import {limit} from '../../shared/limit.js'

// The entries' CRC-32 (pack.ts hands JSZip these entries as they are, with their checksums):
// Node's own (zlib's, native: a tenth of the time of JSZip's JavaScript one, 90 ms of the main
// thread for a 1,400-review series), where this Node has it (20.15 and later), else JSZip's.
// JSZip writes either form (its signed one, or zlib's unsigned) as the same four bytes.
const jszipCrc32 = createRequire(import.meta.url)('jszip/lib/crc32') as (data: Uint8Array, crc: number) => number
// (A property, not a named import: on an older Node the import itself would fail.)
const nativeCrc32 = (zlib as {crc32?: (data: Uint8Array) => number}).crc32
const crc32 = nativeCrc32 ? (data: Uint8Array) => nativeCrc32(data) : (data: Uint8Array) => jszipCrc32(data, 0)
const deflateRaw = promisify(zlib.deflateRaw)
export const level = 9

/** Images in these formats are compressed already: deflating them again costs time and saves nothing. */
const compressedFormats = /\.(?:png|jpe?g|gif|webp|woff2?)$/i

// Each zlib stream holds a few hundred KB from its start: a book's thousand pages handed to
// zlib at once would hold them all while its four threads work through them. So four at a time.
const inTurn = limit(4)

export interface Deflated {
  data: Uint8Array
  size: number
  crc32: number
  /** Stored as it is (an image that is compressed already). */
  stored?: boolean
}

/**
 * Deflated documents by their text (and files by their bytes), kept by a session (watch and
 * preview rebuild often, and a review's chapter is in its volume and the collection). Far
 * past any one series, it starts again.
 */
export class DeflateCache {
  private readonly entries = new Map<string, Promise<Deflated>>()
  private bytes = 0

  /** A document, deflated on zlib's thread pool. */
  deflate(text: string): Promise<Deflated> {
    // Encoded once: the key is the digest of the bytes that are deflated on a miss.
    return this.entry(Buffer.from(text, 'utf8'), false)
  }

  /** A file's bytes: stored when `name` says it is compressed already, else deflated. */
  file(name: string, bytes: Uint8Array): Promise<Deflated> {
    return this.entry(bytes, compressedFormats.test(name))
  }

  private entry(bytes: Uint8Array, stored: boolean): Promise<Deflated> {
    const key = `${stored ? 's' : 'd'}${createHash('sha1').update(bytes).digest('base64')}`
    let entry = this.entries.get(key)
    if (!entry) {
      const crc = crc32(bytes)
      // A compressed format is tried too: most gain nothing (JPEG, WebP) and are stored as they
      // are, but a drawn cover's PNG (long runs deflated once already) shrinks by a quarter.
      entry = inTurn(() => deflateRaw(bytes, {level})).then((data) =>
        stored && data.length > bytes.length * 0.95 ? {data: bytes, size: bytes.length, crc32: crc, stored} : {data, size: bytes.length, crc32: crc}
      )
      if (this.bytes > 256 * 1024 * 1024) {
        this.entries.clear()
        this.bytes = 0
      }
      this.entries.set(key, entry)
      // Counted by the size before compression: a bound, known at once.
      this.bytes += stored ? 64 : bytes.length
    }
    return entry
  }
}
