// Each listed review, read and run through the unified pipeline exactly once (on worker
// threads when there are many), into the Review records every book shares. Problems go on
// each review's VFile; a review the pipeline cannot handle becomes an error on that file,
// never a crash. A cache carried between runs (watch, preview) skips reviews whose text has
// not changed, and the content-hash cache on disk (cache.ts) skips them across runs.
// Reads files.
import {existsSync} from 'node:fs'
import {stat} from 'node:fs/promises'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {hasErrors, report, restoreMessages} from '../shared/diagnostics.js'
import {chapterFileName} from '../shared/names.js'
import type {ReviewDiskCache} from './cache.js'
import {convertAll, type Converter, type Job, type JobResult, type PipelineConfig} from './jobs.js'
import {readReview} from '../project/review-files.js'
import {frontMatterHead} from './head.js'
import {escapeXml} from '../shared/xml.js'
import type {LoadedPage, Manifest, PageSpec, Review, ReviewEntry} from '../model.js'

/** Processed reviews by path, valid only for the processor (so the manifest) that made them. */
export interface ReviewCacheEntry {
  text: string
  chapterFile: string
  file: VFile
  /** The messages of reading and converting it; each run reports them on a new file, as later stages add their own. */
  messages: VFileMessage[]
  review: Review | undefined
  /** Size and modification time when it was read: unchanged, the file is not read again. */
  stamp?: string | undefined
  /** Converted whole (false: its front matter only). */
  full?: boolean | undefined
}
export type ReviewCache = Map<string, ReviewCacheEntry>

export interface LoadedReviews {
  /** The reviews that go into books, by absolute path. */
  reviews: Map<string, Review>
  /** Drafts left out (without `--drafts`). */
  drafts: Set<string>
  /** Every review read this run, drafts left out included (links may name any of them). */
  all: Map<string, Review>
  /** How many reviews were converted this run (the rest came from the cache). */
  converted: number
  /** Each review file's size and modification time, as read this run. */
  times: Map<string, {mtimeMs: number; size: number}>
}

/** What a review or page conversion needs: the pipeline settings and where results are kept. */
export interface Conversion {
  config: PipelineConfig
  /** A converter on this thread, built once per settings (watch and preview convert a few at a time). */
  local: () => Promise<Converter>
  disk: ReviewDiskCache | undefined
  /** How many conversions ran this build (the rest came from a cache). */
  converted: number
  /** Called when the main thread is to convert alone (too little text for workers): the other cores are free meanwhile. */
  alone?: (() => void) | undefined
}

/**
 * `inBooks` says which reviews go into the books this build makes; the others (in volumes
 * `--volume` left out) are read for their front matter only: titles and places are all the
 * chosen books need of them.
 */
export async function loadReviews(
  manifest: Manifest,
  cwd: string,
  files: VFile[],
  conversion: Conversion,
  readable: (entry: ReviewEntry) => boolean,
  options: {cache?: ReviewCache | undefined; drafts?: boolean | undefined; inBooks?: ((entry: ReviewEntry) => boolean) | undefined} = {}
): Promise<LoadedReviews> {
  const entries = manifest.volumes.flatMap((volume) => volume.reviews)
  const chapterFiles = uniqueChapterFiles(entries.map((entry) => entry.name))
  const seen = new Set<string>()
  const times = new Map<string, {mtimeMs: number; size: number}>()
  const read = await Promise.all(
    entries.map(async (entry, index) => {
      // A review listed twice is reported by the manifest rules; read it once.
      if (!readable(entry) || seen.has(entry.path)) return undefined
      seen.add(entry.path)
      const chapterFile = chapterFiles[index]!
      // In a session (watch, preview), a file whose size and time are as they were is not read again.
      const cached = options.cache?.get(entry.path)
      const info = options.cache ? await stat(entry.path).catch(() => undefined) : undefined
      const stamp = info ? `${info.size}:${info.mtimeMs}` : undefined
      if (info) times.set(entry.path, {mtimeMs: info.mtimeMs, size: info.size})
      if (cached && stamp && cached.stamp === stamp && reusable(cached, chapterFile, options.inBooks?.(entry) ?? true))
        return {entry, file: cached.file, text: cached.text, chapterFile, stamp, messages: cached.messages}
      const file = await readReview(entry.path, cwd)
      return {entry, file, text: String(file.value), chapterFile, stamp, messages: file.messages.slice()}
    })
  )
  const processed: Array<ReviewCacheEntry | undefined> = new Array(entries.length)
  const pending: Array<{index: number; job: Job}> = []
  for (const [index, item] of read.entries()) {
    if (!item) continue
    const cached = options.cache?.get(item.entry.path)
    const full = options.inBooks?.(item.entry) ?? true
    if (cached && cached.text === item.text && reusable(cached, item.chapterFile, full)) {
      processed[index] = {...cached, stamp: item.stamp}
      options.cache?.set(item.entry.path, processed[index]!)
      continue
    }
    if (hasErrors([item.file])) {
      processed[index] = {...item, review: undefined}
      continue
    }
    // A review read for its front matter only is sent (and kept in the cache) as just that: an
    // edit to its words changes nothing this build reads.
    const text = full ? item.text : frontMatterHead(item.text)
    pending.push({index, job: {kind: full ? 'review' : 'meta', path: item.entry.path, reportPath: String(item.file.path), text}})
  }
  const results = await convertCached(
    pending.map(({job}) => job),
    conversion
  )
  for (const [n, {index}] of pending.entries()) {
    const item = read[index]!
    const {compiled} = results[n]!
    restoreMessages(item.file, compiled.messages)
    const review: Review | undefined =
      compiled.meta && compiled.body
        ? {
            entry: item.entry,
            file: item.file,
            meta: compiled.meta,
            body: compiled.body,
            chapterFile: item.chapterFile,
            images: compiled.images,
            words: compiled.words
          }
        : undefined
    processed[index] = {
      text: item.text,
      chapterFile: item.chapterFile,
      file: item.file,
      messages: item.file.messages.slice(),
      review,
      stamp: item.stamp,
      full: pending[n]!.job.kind === 'review'
    }
    options.cache?.set(item.entry.path, processed[index]!)
  }
  reportIdenticalReviews(manifest.file, entries, processed)
  const reviews = new Map<string, Review>()
  const drafts = new Set<string>()
  const all = new Map<string, Review>()
  for (const item of processed) {
    if (!item) continue
    // A new file each run, holding what reading and converting said; later stages add theirs.
    const file = new VFile({path: item.file.path, cwd: item.file.cwd, value: item.text})
    file.messages.push(...item.messages)
    files.push(file)
    if (!item.review) continue
    const review = {...item.review, file}
    all.set(review.entry.path, review)
    if (review.meta.draft && !options.drafts) drafts.add(review.entry.path)
    else reviews.set(review.entry.path, review)
  }
  return {reviews, drafts, all, converted: conversion.converted, times}
}

/**
 * Whether a session's earlier result stands for this run: the same chapter file, no errors (a
 * review that had some is converted again, as its messages may come from outside it, such as
 * an image), and converted whole if it goes into a book now.
 */
function reusable(cached: ReviewCacheEntry, chapterFile: string, full: boolean): boolean {
  return cached.chapterFile === chapterFile && !cached.messages.some((message) => message.fatal === true) && (cached.full === true || !full)
}

/** Each job's result: from the disk cache when it holds, else converted (and stored). */
async function convertCached(jobs: readonly Job[], conversion: Conversion): Promise<JobResult[]> {
  const {disk} = conversion
  const keys = disk ? jobs.map((job) => disk.key(job)) : []
  const results: Array<JobResult | undefined> = disk ? await Promise.all(keys.map((key) => disk.get(key))) : new Array<JobResult | undefined>(jobs.length)
  const missing = jobs.flatMap((_job, index) => (results[index] ? [] : [index]))
  const fresh = await convertAll(
    missing.map((index) => jobs[index]!),
    conversion.config,
    conversion.local,
    conversion.alone
  )
  conversion.converted += missing.length
  await Promise.all(
    missing.map((index, n) => {
      results[index] = fresh[n]
      return disk?.set(keys[index]!, fresh[n]!)
    })
  )
  return results as JobResult[]
}

/** Two files with the same text are usually a copy made by mistake: both stay, with a warning at the second listing. */
function reportIdenticalReviews(manifestFile: VFile, entries: readonly ReviewEntry[], processed: ReadonlyArray<{text: string} | undefined>): void {
  const first = new Map<string, ReviewEntry>()
  for (const [index, item] of processed.entries()) {
    const entry = entries[index]!
    if (!item || item.text.trim() === '') continue
    const earlier = first.get(item.text)
    if (!earlier) {
      first.set(item.text, entry)
      continue
    }
    report(manifestFile, {
      reason: `Review \`${entry.name}\` has exactly the same text as \`${earlier.name}\`${earlier.place ? ` (line ${earlier.place.start.line})` : ''}; both go into the books`,
      ruleId: 'duplicate-content',
      severity: 'warning',
      place: entry.place,
      note: 'If one is a copy made by mistake, delete it and its line here; otherwise write the review it should hold.'
    })
  }
}

const defaultTitles: Record<PageSpec['role'], string> = {foreword: 'Foreword', introduction: 'Introduction', about: 'About the Author'}

/** Each page the manifest names, read and converted once (a page named twice is read once). */
export async function loadPages(
  specs: readonly PageSpec[],
  cwd: string,
  files: VFile[],
  conversion: Conversion,
  manifestFile: VFile,
  readable: (spec: PageSpec) => boolean
): Promise<Map<string, LoadedPage>> {
  const pages = new Map<string, LoadedPage>()
  const toRead: PageSpec[] = []
  for (const spec of specs) {
    if (toRead.some((other) => other.path === spec.path) || !readable(spec)) continue
    if (!existsSync(spec.path)) {
      report(manifestFile, {
        reason: `The ${spec.role} page \`${spec.name}\` does not exist`,
        ruleId: 'missing-page',
        severity: 'error',
        place: spec.place,
        note: 'Give the path of a Markdown file, relative to volumes.yaml.'
      })
      continue
    }
    toRead.push(spec)
  }
  const read = await Promise.all(toRead.map(async (spec) => ({spec, file: await readReview(spec.path, cwd)})))
  const good = read.filter(({file}) => {
    files.push(file)
    return !hasErrors([file])
  })
  const results = await convertCached(
    good.map(({spec, file}): Job => ({kind: 'page', path: spec.path, reportPath: String(file.path), text: String(file.value)})),
    conversion
  )
  for (const [n, {spec, file}] of good.entries()) {
    const {compiled} = results[n]!
    restoreMessages(file, compiled.messages)
    if (!compiled.body) continue
    let body = compiled.body
    let title = compiled.heading ?? ''
    if (!title) {
      title = defaultTitles[spec.role]
      body = {...body, html: `<h1>${escapeXml(title)}</h1>${body.html}`}
    }
    pages.set(spec.path, {spec, file, body, title, images: compiled.images})
  }
  return pages
}

/** Chapter file names from review names, made unique in manifest order. */
function uniqueChapterFiles(names: string[]): string[] {
  const used = new Set<string>()
  return names.map((name) => {
    const base = chapterFileName(name).replace(/\.xhtml$/, '')
    let candidate = `${base}.xhtml`
    for (let n = 2; used.has(candidate); n++) candidate = `${base}-${n}.xhtml`
    used.add(candidate)
    return candidate
  })
}
