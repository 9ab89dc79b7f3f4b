// What a session keeps from one run to the next (watch, preview, a caller's own loop): every
// cache the stages use, owned by the session and passed to them, never a module's global, so
// two sessions in one process never share or disturb each other's. Pure data.
import type {BuildOutput, CompiledBody} from '../model.js'
import {IndexCache} from '../book/indexes.js'
import {DocumentScans} from '../check/book-check.js'
import {DeflateCache} from '../render/epub/deflate.js'
import type {CoverCache} from '../render/prepare.js'
import type {ReviewCache} from '../review/load.js'
import type {WriteState} from '../output/write.js'

export interface SessionCaches {
  /** Converted reviews by path, while their text and the manifest are unchanged. */
  reviews: ReviewCache
  /** Drawn covers by their text. */
  covers: CoverCache
  /** Deflated documents by their text (a review's chapter is in its volume and the collection). */
  deflated: DeflateCache
  /** Each converted review's count of notes not linked both ways (the store check). */
  notes: WeakMap<CompiledBody, number>
  /** Each converted review's text digest, for book signatures. */
  digests: WeakMap<CompiledBody, string>
  /** What this session last wrote: book file name → the signature of its inputs, and its output. */
  written: Map<string, {signature: string; output: BuildOutput}>
  /** The write in progress, if any (its staging folder and lock), for a signal handler to abandon. */
  write: WriteState
  /** The last guard's scans of each page, from a session's second run (a one-off build keeps none). */
  scans: DocumentScans
  /** Each book's last index pages, kept while the fields they show are unchanged. */
  indexes: IndexCache
  /** Runs this session has rendered books in. */
  runs: number
}

export function createCaches(): SessionCaches {
  return {
    reviews: new Map(),
    covers: new Map(),
    deflated: new DeflateCache(),
    notes: new WeakMap(),
    digests: new WeakMap(),
    written: new Map(),
    write: {},
    scans: new DocumentScans(),
    indexes: new IndexCache(),
    runs: 0
  }
}
