// Reading an input file safely: only a regular file is read (a named pipe or a device in its
// place would block the build forever; it is opened without blocking and refused), never
// more than a limit of bytes, and never more than a few files at once (a series of 50,000
// reviews must not run out of file handles). I/O.
import {constants} from 'node:fs'
import {open} from 'node:fs/promises'
import {describeOsError} from './diagnostics.js'
import {limit} from './limit.js'

export type ReadOutcome =
  | {bytes: Buffer}
  /** `not-a-file`: a folder, pipe, socket or device (`kind` says which); `too-large`: over the limit (`size` says how big). */
  | {problem: 'not-a-file' | 'too-large'; size?: number | undefined; kind?: string | undefined}
  | {problem: 'os'; error: NodeJS.ErrnoException}

/** Files read at once: far below any system's limit of open files, and enough to keep the disk busy. */
const inTurn = limit(32)

/** Why a file was not read, as words: "it is a named pipe, not a file". */
export function describeProblem(outcome: Exclude<ReadOutcome, {bytes: Buffer}>, limit: number): string {
  if (outcome.problem === 'os') return describeOsError(outcome.error)
  if (outcome.problem === 'too-large') return `it is ${((outcome.size ?? 0) / 1e6).toFixed(1)} MB, over the limit of ${limit / 1e6} MB`
  return `it is ${outcome.kind ?? 'not a regular file'}, not a file`
}

/** The bytes of `file` when it is a regular file of at most `maxBytes`; otherwise why not. */
export function readRegularFile(file: string, maxBytes = Infinity): Promise<ReadOutcome> {
  return inTurn(async () => {
    let handle
    try {
      handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK)
    } catch (error) {
      return {problem: 'os', error: error as NodeJS.ErrnoException}
    }
    try {
      const info = await handle.stat()
      if (!info.isFile())
        return {problem: 'not-a-file', kind: info.isDirectory() ? 'a folder' : info.isFIFO() ? 'a named pipe' : info.isSocket() ? 'a socket' : 'a device'}
      if (info.size > maxBytes) return {problem: 'too-large', size: info.size}
      return {bytes: await handle.readFile()}
    } catch (error) {
      return {problem: 'os', error: error as NodeJS.ErrnoException}
    } finally {
      await handle.close()
    }
  })
}

/** `work` over every item with at most `limit` running at once, results in order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const runners = Array.from({length: Math.min(limit, items.length)}, async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index]!, index)
    }
  })
  await Promise.all(runners)
  return results
}
