// The images a post shows, brought into the reviews folder: remote ones downloaded (a few at
// a time, each with a timeout, retried when the server or the network fails for a moment,
// never more than a size and a count limit), ones inside the export read from the archive.
// Each is kept only when its bytes are an image the books can carry, whatever the address or
// the server says, and is named by its content (`images/<sha256>.<ext>`), so the same picture
// used by ten posts is one file and a re-import finds it again. A failure is an outcome, never
// an exception: the post keeps the remote address and the report names the post and the URL.
// The network is injected (`fetch`), so tests serve images from a local server. I/O.
import {createHash} from 'node:crypto'
import {imageFormat, type ImageInfo} from '../shared/image-info.js'
import {mapLimit} from '../shared/read-file.js'
import type {Archive} from './types.js'

export interface ImageLimits {
  /** Largest image kept, in bytes. */
  maxBytes: number
  /** Most images one import downloads; the rest keep their remote addresses. */
  maxCount: number
  /** Per attempt, in milliseconds. */
  timeoutMs: number
  /** Further attempts after a failure that may pass (a timeout, a reset, a 5xx or 429). */
  retries: number
  /** Downloads at once. */
  concurrency: number
}

export const defaultImageLimits: ImageLimits = {maxBytes: 20_000_000, maxCount: 5_000, timeoutMs: 30_000, retries: 2, concurrency: 4}

export type FetchLike = (url: string, init: {signal: AbortSignal; headers: Record<string, string>; redirect: 'follow'}) => Promise<Response>

export interface ImageSource {
  /** The address as the post gives it. */
  address: string
  /** A path inside the archive, when the image came with the export. */
  entry?: string | undefined
}

export type ImageOutcome = {ok: true; name: string; bytes: Uint8Array; format: ImageInfo['format']} | {ok: false; reason: string}

const extensions: Record<ImageInfo['format'], string> = {png: 'png', jpeg: 'jpg', gif: 'gif', webp: 'webp', svg: 'svg'}

/** Ask image servers for formats every e-reader shows (a CDN that picks by Accept would send WebP otherwise). */
const accept = 'image/jpeg,image/png,image/gif,image/svg+xml;q=0.9,image/*;q=0.5'

/** The name an image's bytes get in the reviews folder. */
export function imageFileName(bytes: Uint8Array, format: ImageInfo['format']): string {
  return `images/${createHash('sha256').update(bytes).digest('hex').slice(0, 20)}.${extensions[format]}`
}

export interface FetchImagesOptions {
  archive?: Archive | undefined
  fetch?: FetchLike | undefined
  limits?: Partial<ImageLimits> | undefined
  /** Waits between attempts (tests pass one that does not wait). */
  sleep?: ((ms: number) => Promise<void>) | undefined
}

/** Every source's outcome, by address. Never throws. */
export async function fetchImages(sources: readonly ImageSource[], options: FetchImagesOptions = {}): Promise<Map<string, ImageOutcome>> {
  const limits = {...defaultImageLimits, ...options.limits}
  const fetcher: FetchLike = options.fetch ?? ((url, init) => fetch(url, init))
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const unique = [...new Map(sources.map((source) => [source.address, source])).values()]
  const outcomes = new Map<string, ImageOutcome>()
  let remote = 0
  const work = unique.map((source) => {
    if (source.entry === undefined && remote++ >= limits.maxCount)
      return {source, skip: `more than ${limits.maxCount.toLocaleString('en-GB')} images in one import; the rest keep their addresses`}
    return {source, skip: undefined}
  })
  await mapLimit(work, Math.max(1, limits.concurrency), async ({source, skip}) => {
    if (skip) {
      outcomes.set(source.address, {ok: false, reason: skip})
      return
    }
    const got = source.entry !== undefined ? await fromArchive(source.entry, options.archive, limits) : await download(source.address, fetcher, sleep, limits)
    outcomes.set(
      source.address,
      'bytes' in got ? checked(got.bytes, source.entry === undefined ? 'what came back' : 'the file') : {ok: false, reason: got.reason}
    )
  })
  return outcomes
}

function checked(bytes: Uint8Array, what: string): ImageOutcome {
  if (bytes.length === 0) return {ok: false, reason: `${what} is empty (0 bytes)`}
  const format = imageFormat(bytes)
  if (!format) return {ok: false, reason: `${what} is not an image (${describeBytes(bytes)})`}
  return {ok: true, name: imageFileName(bytes, format), bytes, format}
}

function describeBytes(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1').trimStart().toLowerCase()
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'a web page'
  if (head.startsWith('{') || head.startsWith('[')) return 'JSON'
  return `${bytes.length.toLocaleString('en-GB')} bytes of no image format the books can carry`
}

async function fromArchive(entry: string, archive: Archive | undefined, limits: ImageLimits): Promise<{bytes: Uint8Array} | {reason: string}> {
  const bytes = archive ? await archive.bytes(entry) : undefined
  if (!bytes) return {reason: `\`${entry}\` could not be read from the export`}
  if (bytes.length > limits.maxBytes) return {reason: `\`${entry}\` is ${megabytes(bytes.length)}, over the limit of ${megabytes(limits.maxBytes)}`}
  return {bytes}
}

class Retryable extends Error {}

async function download(
  address: string,
  fetcher: FetchLike,
  sleep: (ms: number) => Promise<void>,
  limits: ImageLimits
): Promise<{bytes: Uint8Array} | {reason: string}> {
  let url: URL
  try {
    url = new URL(address.startsWith('//') ? `https:${address}` : address)
  } catch {
    return {reason: 'it is not a web address'}
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return {reason: `\`${url.protocol}\` addresses are not downloaded`}
  let last = ''
  for (let attempt = 0; attempt <= limits.retries; attempt++) {
    if (attempt > 0) await sleep(500 * 2 ** (attempt - 1))
    try {
      return {bytes: await once(url.href, fetcher, limits)}
    } catch (error) {
      if (error instanceof Retryable) {
        last = error.message
        continue
      }
      return {reason: error instanceof Error ? error.message : String(error)}
    }
  }
  return {reason: `${last} (tried ${limits.retries + 1} times)`}
}

async function once(url: string, fetcher: FetchLike, limits: ImageLimits): Promise<Uint8Array> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs)
  try {
    let response: Response
    try {
      response = await fetcher(url, {signal: controller.signal, headers: {accept, 'user-agent': 'build-volumes (e-book import)'}, redirect: 'follow'})
    } catch (error) {
      throw new Retryable(
        controller.signal.aborted ? `no answer within ${limits.timeoutMs / 1000} s` : `the server could not be reached (${networkReason(error)})`
      )
    }
    if (response.status === 429 || response.status >= 500) {
      await response.body?.cancel().catch(() => {})
      throw new Retryable(`the server answered ${response.status} ${response.statusText}`.trim())
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {})
      throw new Error(`the server answered ${response.status} ${response.statusText}`.trim())
    }
    const declared = Number(response.headers.get('content-length') ?? NaN)
    if (declared > limits.maxBytes) {
      await response.body?.cancel().catch(() => {})
      throw new Error(`it is ${megabytes(declared)}, over the limit of ${megabytes(limits.maxBytes)}`)
    }
    // Counted as it arrives: a server that says nothing of the size (or lies) is cut off at the limit.
    const chunks: Uint8Array[] = []
    let size = 0
    const reader = response.body?.getReader()
    if (!reader) return new Uint8Array()
    try {
      for (;;) {
        const {done, value} = await reader.read()
        if (done) break
        size += value.length
        if (size > limits.maxBytes) {
          await reader.cancel().catch(() => {})
          throw new Error(`it is over the limit of ${megabytes(limits.maxBytes)}`)
        }
        chunks.push(value)
      }
    } catch (error) {
      if (controller.signal.aborted) throw new Retryable(`the download did not finish within ${limits.timeoutMs / 1000} s`)
      if (error instanceof Error && error.message.startsWith('it is over')) throw error
      throw new Retryable(`the download broke off (${networkReason(error)})`)
    }
    return Buffer.concat(chunks)
  } finally {
    clearTimeout(timer)
  }
}

function networkReason(error: unknown): string {
  const cause = (error as {cause?: {code?: string; message?: string}} | undefined)?.cause
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`
}
