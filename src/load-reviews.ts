// Each listed review, read and run through the unified pipeline exactly once, into the
// Review records every book shares. Problems go on each review's VFile; a review the
// pipeline cannot handle becomes an error on that file, never a crash. A cache carried
// between runs (watch, preview) skips reviews whose text has not changed. Reads files.
import {existsSync} from 'node:fs'
import type {Element, Root} from 'hast'
import {textOf} from './hast-text.js'
import type {Node as UnistNode} from 'unist'
import type {VFile} from 'vfile'
import type {Review} from './book.js'
import {hasErrors, report} from './diagnostics.js'
import type {Manifest, PageSpec, ReviewEntry} from './manifest.js'
import {chapterFileName} from './names.js'
import type {ReviewProcessor} from './processor.js'
import {readReview, reviewLimits} from './reviews.js'

/** Processed reviews by path, valid only for the processor (so the manifest) that made them. */
export type ReviewCache = Map<string, {text: string; chapterFile: string; file: VFile; review: Review | undefined}>

export interface LoadedReviews {
  /** The reviews that go into books, by absolute path. */
  reviews: Map<string, Review>
  /** Drafts left out (without `--drafts`). */
  drafts: Set<string>
  /** How many reviews were converted this run (the rest came from the cache). */
  converted: number
}

export async function loadReviews(manifest: Manifest, cwd: string, files: VFile[], processor: ReviewProcessor, readable: (entry: ReviewEntry) => boolean, options: {cache?: ReviewCache | undefined; drafts?: boolean | undefined} = {}): Promise<LoadedReviews> {
  const entries = manifest.volumes.flatMap((volume) => volume.reviews)
  const chapterFiles = uniqueChapterFiles(entries.map((entry) => entry.name))
  const seen = new Set<string>()
  let converted = 0
  const processed = await Promise.all(
    entries.map(async (entry, index) => {
      // A review listed twice is reported by the manifest rules; read it once.
      if (!readable(entry) || seen.has(entry.path)) return undefined
      seen.add(entry.path)
      const chapterFile = chapterFiles[index]!
      const file = await readReview(entry.path, cwd)
      const text = String(file.value)
      const cached = options.cache?.get(entry.path)
      // A review that had errors is converted again: its messages may come from outside it (an image).
      if (cached && cached.text === text && cached.chapterFile === chapterFile && !hasErrors([cached.file])) return cached
      converted++
      const item = {text, chapterFile, ...(await processReview(processor, entry, file, chapterFile))}
      options.cache?.set(entry.path, {review: undefined, ...item})
      return item
    })
  )
  reportIdenticalReviews(manifest.file, entries, processed)
  const reviews = new Map<string, Review>()
  const drafts = new Set<string>()
  for (const item of processed) {
    if (!item) continue
    const {file, review} = item
    files.push(file)
    if (!review) continue
    if (review.meta.draft && !options.drafts) drafts.add(review.entry.path)
    else reviews.set(review.entry.path, review)
  }
  return {reviews, drafts, converted}
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

async function processReview(processor: ReviewProcessor, entry: Review['entry'], file: VFile, chapterFile: string): Promise<{file: VFile; review?: Review}> {
  if (hasErrors([file])) return {file}
  let tree: Root
  try {
    const mdast = processor.parse(file)
    const deepest = deepestNode(mdast)
    if (deepest.depth > reviewLimits.nesting) {
      report(file, {reason: `The review is nested too deeply (${deepest.depth} levels, such as block quotes inside block quotes; at most ${reviewLimits.nesting})`, ruleId: 'review-too-large', severity: 'error', place: deepest.node.position?.start})
      return {file}
    }
    tree = (await processor.run(mdast, file)) as Root
  } catch (error) {
    // A review the pipeline cannot handle is that review's problem, not a crash of the build.
    report(file, {reason: `The review could not be converted: ${error instanceof Error ? error.message : String(error)}`, ruleId: 'unprocessable-review', severity: 'error', place: {line: 1, column: 1}, note: 'Please report this with the file, so the converter can learn to handle it.'})
    return {file}
  }
  const meta = file.data.meta
  if (!meta) return {file}
  return {file, review: {entry, file, meta, tree, chapterFile, images: file.data.images ?? [], words: countWords(tree)}}
}

/** A foreword, introduction or about page: its own Markdown, through the page pipeline. */
export interface LoadedPage {
  spec: PageSpec
  file: VFile
  tree: Root
  title: string
  images: Review['images']
}

const defaultTitles: Record<PageSpec['role'], string> = {foreword: 'Foreword', introduction: 'Introduction', about: 'About the Author'}

/** Each page the manifest names, read and converted once (a page named twice is read once). */
export async function loadPages(specs: readonly PageSpec[], cwd: string, files: VFile[], processor: ReviewProcessor, manifestFile: VFile, readable: (spec: PageSpec) => boolean): Promise<Map<string, LoadedPage>> {
  const pages = new Map<string, LoadedPage>()
  for (const spec of specs) {
    if (pages.has(spec.path) || !readable(spec)) continue
    if (!existsSync(spec.path)) {
      report(manifestFile, {reason: `The ${spec.role} page \`${spec.name}\` does not exist`, ruleId: 'missing-page', severity: 'error', place: spec.place, note: 'Give the path of a Markdown file, relative to volumes.yaml.'})
      continue
    }
    const file = await readReview(spec.path, cwd)
    files.push(file)
    if (hasErrors([file])) continue
    try {
      const tree = (await processor.run(processor.parse(file), file)) as Root
      const heading = tree.children.find((node): node is Element => node.type === 'element' && node.tagName === 'h1')
      let title = heading ? textOf(heading).trim() : ''
      if (!title) {
        title = defaultTitles[spec.role]
        tree.children.unshift({type: 'element', tagName: 'h1', properties: {}, children: [{type: 'text', value: title}]})
      }
      pages.set(spec.path, {spec, file, tree, title, images: file.data.images ?? []})
    } catch (error) {
      report(file, {reason: `The page could not be converted: ${error instanceof Error ? error.message : String(error)}`, ruleId: 'unprocessable-review', severity: 'error', place: {line: 1, column: 1}})
    }
  }
  return pages
}

/** The deepest node of a tree, found without recursion (the tree may be deeper than the stack). */
function deepestNode(tree: UnistNode): {depth: number; node: UnistNode} {
  let deepest = {depth: 0, node: tree}
  const stack: Array<{node: UnistNode; depth: number}> = [{node: tree, depth: 0}]
  while (stack.length > 0) {
    const {node, depth} = stack.pop()!
    if (depth > deepest.depth) deepest = {depth, node}
    const children = (node as {children?: UnistNode[]}).children
    if (children) for (const child of children) stack.push({node: child, depth: depth + 1})
  }
  return deepest
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

/** Words a reader reads: the body and its notes, not the heading block the tool adds. */
export function countWords(tree: Root): number {
  let words = 0
  const stack: Array<Root | Root['children'][number]> = [tree]
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.type === 'text') {
      words += node.value.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length
    } else if ('children' in node) {
      if (node.type === 'element' && node.tagName === 'header') continue
      stack.push(...node.children)
    }
  }
  return words
}
