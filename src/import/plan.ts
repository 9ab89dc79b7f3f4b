// From the posts chosen to the review files: a stable, collision-free name for each (its slug,
// with the date only when two posts would share one), links between posts of the export made
// review links, images pointed at their downloaded copies, front matter in our keys, and, for
// a re-import, what to do with each file given the import record: write it new, leave it
// (unchanged, or edited by the author since), replace it (`--update`), or warn of a conflict.
// Pure: the caller reads the folder and writes the files.
import path from 'node:path'
import type {Element, ElementContent, Root} from 'hast'
import {Document, YAMLSeq} from 'yaml'
import type {CalendarDate} from '../model.js'
import {formatIsoDate} from '../shared/dates.js'
import {slug} from '../shared/names.js'
import {toMarkdownBody} from './convert.js'
import {digest, type ImportRecord} from './record.js'
import {filmFromTitle} from './titles.js'
import type {ImportedPost} from './types.js'

/** The reviews folder as the import found it. */
export interface Existing {
  /** Every file's name relative to the reviews folder (`/`-separated). */
  files: ReadonlySet<string>
  /** The text of each file the record names that is still there. */
  texts: ReadonlyMap<string, string>
  record: ImportRecord
}

export type Action =
  /** A post not imported before: a new file. */
  | 'new'
  /** Imported before, unedited, changed in the export, `--update`: replaced. */
  | 'update'
  /** Imported before and the same again: nothing to do. */
  | 'unchanged'
  /** Imported before, unedited, changed in the export, no `--update`: left as it is. */
  | 'outdated'
  /** Imported before and edited by the author since; the export's text is what was imported then: left as it is. */
  | 'edited'
  /** Edited by the author and changed in the export: left as it is, with a warning. */
  | 'conflict'
  /** Imported before and since deleted by the author: not brought back. */
  | 'deleted'

export interface PlannedReview {
  post: ImportedPost
  /** Relative to the reviews folder. */
  name: string
  text: string
  action: Action
  /** The film title and year read from the post title, or undefined when it was kept whole. */
  film: {title: string; year?: number | undefined} | undefined
}

export function recordKey(post: ImportedPost): string {
  return `${post.source}:${post.key}`
}

/** Oldest first, undated (drafts) last, then by key: the order names and volumes are given in. */
export function chronological(posts: readonly ImportedPost[]): ImportedPost[] {
  const day = (date: CalendarDate | undefined) => (date ? formatIsoDate(date) : '9999-99-99')
  return [...posts].sort((a, b) => day(a.published).localeCompare(day(b.published)) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

/** The film a post is about: the platform's word (Letterboxd), else read from its title. */
export function filmOf(post: ImportedPost): PlannedReview['film'] {
  return post.film ?? filmFromTitle(post.title)
}

/**
 * A file name per post, in `posts`' order: a post imported before keeps its name; a new one
 * takes its name (the film and year, else its slug), or, when another post of the export has it, its slug and date, then a
 * number (any case). A new post whose slug names a file already in the folder that no import
 * wrote is not named (`blocked`): it may be the same review, written by hand, and it is never
 * doubled under another name.
 */
export function assignNames(posts: readonly ImportedPost[], existing: Existing): {names: Map<ImportedPost, string>; blocked: Map<ImportedPost, string>} {
  const names = new Map<ImportedPost, string>()
  const blocked = new Map<ImportedPost, string>()
  const recorded = new Set(Object.values(existing.record.posts).map((entry) => entry.file.toLowerCase()))
  const onDisk = new Map([...existing.files].map((name) => [name.toLowerCase(), name]))
  const taken = new Set([...onDisk.keys(), ...recorded])
  const fresh: ImportedPost[] = []
  for (const post of posts) {
    const before = existing.record.posts[recordKey(post)]
    if (before) {
      names.set(post, before.file)
      taken.add(before.file.toLowerCase())
    } else fresh.push(post)
  }
  for (const post of fresh) {
    const base = baseName(post)
    const own = onDisk.get(`${base}.md`)
    if (own !== undefined && !recorded.has(own.toLowerCase())) {
      blocked.set(post, own)
      continue
    }
    const candidates = [base, ...(post.published ? [`${base}-${formatIsoDate(post.published)}`] : [])]
    let name = candidates.find((candidate) => !taken.has(`${candidate}.md`))
    for (let n = 2; name === undefined; n++) if (!taken.has(`${candidates.at(-1)}-${n}.md`)) name = `${candidates.at(-1)}-${n}`
    taken.add(`${name}.md`)
    names.set(post, `${name}.md`)
  }
  return {names, blocked}
}

/** The film and year when the title names them (`her-2013`, as the sample's reviews are named), else the platform's slug, else the title. */
function baseName(post: ImportedPost): string {
  const film = filmOf(post)
  if (film) return slug(film.year ? `${film.title} ${film.year}` : film.title, 'review')
  if (post.slug && slug(post.slug, '') !== '') return slug(post.slug)
  return slug(post.title, 'untitled')
}

/** An address as a key: host without `www.`, path without trailing slash, no query or fragment, any case. */
export function addressKey(href: string): string | undefined {
  try {
    const url = new URL(href.startsWith('//') ? `https:${href}` : href)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
    return `${url.hostname.replace(/^www\./, '')}${url.pathname.replace(/\/+$/, '')}`.toLowerCase()
  } catch {
    return undefined
  }
}

/** Every address a post is known by → its file name. */
export function addressBook(names: ReadonlyMap<ImportedPost, string>): Map<string, string> {
  const book = new Map<string, string>()
  for (const [post, name] of names) {
    for (const address of [post.url, ...post.aliases]) {
      const key = address ? addressKey(address) : undefined
      if (key && !book.has(key)) book.set(key, name)
    }
  }
  return book
}

/** Where a link in `post` goes: another post of the export → its file; a relative address → absolute from the post's own; else as written. */
export function resolveLink(href: string, post: ImportedPost, book: ReadonlyMap<string, string>): string {
  const trimmed = href.trim()
  if (trimmed === '' || trimmed.startsWith('#') || /^(mailto|tel):/i.test(trimmed)) return trimmed
  let absolute = trimmed
  if (!/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) {
    try {
      absolute = post.url ? new URL(trimmed, post.url).href : trimmed.startsWith('//') ? `https:${trimmed}` : trimmed
    } catch {
      return trimmed
    }
  }
  const key = addressKey(absolute)
  const target = key === undefined ? undefined : book.get(key)
  return target ?? absolute
}

/** Every image address in a body (as written), in order. */
export function imageAddresses(root: Root): string[] {
  const found: string[] = []
  const stack: Array<Root | ElementContent> = [root]
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.type === 'element' && node.tagName === 'img' && typeof node.properties.src === 'string' && node.properties.src.trim())
      found.push(node.properties.src.trim())
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as ElementContent)
  }
  return [...new Set(found)]
}

/** Where an image address points: an entry of the archive, or an absolute web address. */
export function locateImage(address: string, post: ImportedPost, archivePaths: ReadonlySet<string>): {entry: string} | {url: string} | undefined {
  if (/^https?:\/\//i.test(address)) return {url: address}
  if (address.startsWith('//')) return {url: `https:${address}`}
  if (/^[a-z][a-z0-9+.-]*:/i.test(address)) return undefined
  const inside = path.posix.normalize(path.posix.join(path.posix.dirname(post.origin.entry), decodeURIComponentSafe(address.split(/[?#]/)[0]!)))
  if (archivePaths.has(inside)) return {entry: inside}
  if (post.url) {
    try {
      return {url: new URL(address, post.url).href}
    } catch {
      return undefined
    }
  }
  return undefined
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** The review file's text: front matter, the subtitle as an italic first paragraph, the body, the notes. */
export function reviewText(
  post: ImportedPost,
  rewrite: {link: (href: string) => string; image: (src: string) => string}
): {text: string; film: PlannedReview['film']} {
  const film = filmOf(post)
  const body: Root = {type: 'root', children: [...post.body.children]}
  if (post.subtitle?.trim()) {
    const subtitle: Element = {
      type: 'element',
      tagName: 'p',
      properties: {},
      children: [{type: 'element', tagName: 'em', properties: {}, children: [{type: 'text', value: post.subtitle.trim()}]}]
    }
    body.children.unshift(subtitle)
  }
  const {markdown} = toMarkdownBody(body, post.notes, rewrite)
  return {text: `---\n${frontMatter(post, film)}---\n\n${markdown.trimEnd()}\n`, film}
}

function frontMatter(post: ImportedPost, film: PlannedReview['film']): string {
  const doc = new Document({})
  const title = film?.title ?? (post.title.trim() || 'Untitled')
  doc.set('title', title)
  const year = film?.year
  if (year !== undefined) doc.set('year', year)
  if (post.rating !== undefined) doc.set('rating', post.rating)
  if (post.published) doc.set('published', formatIsoDate(post.published))
  if (post.tags.length > 0) {
    const tags = doc.createNode([...post.tags]) as YAMLSeq
    tags.flow = true
    doc.set('tags', tags)
  }
  if (post.draft) doc.set('draft', true)
  if (post.url) doc.set('source', post.url)
  // Not keys the build reads, kept so nothing the export said is lost.
  if (post.watched) doc.set('watched', formatIsoDate(post.watched))
  if (post.rewatch) doc.set('rewatch', true)
  return doc.toString({lineWidth: 0, flowCollectionPadding: false})
}

/**
 * What to do with a post's file: `inputDigest` is the digest of the post as this export gives
 * it, compared with the record's (has the post changed?); the file's text on disk with the
 * digest written then (has the author edited it?).
 */
export function decide(post: ImportedPost, name: string, inputDigest: string, existing: Existing, update: boolean): Action {
  const before = existing.record.posts[recordKey(post)]
  if (!before) return 'new'
  const current = existing.texts.get(name)
  if (current === undefined) return existing.files.has(name) ? 'conflict' : 'deleted'
  const unedited = digest(current) === before.sha256
  const changed = inputDigest !== before.input
  if (!changed) return unedited ? 'unchanged' : 'edited'
  if (unedited) return update ? 'update' : 'outdated'
  return 'conflict'
}
