// Names derived from content: slugs, file names for books and chapters, image names inside
// a book, and stable UUID v5 identifiers. Pure.
import {createHash} from 'node:crypto'
import path from 'node:path'

/** ASCII slug: accents folded, anything else becomes `-`. Never empty. */
export function slug(text: string, fallback = 'untitled'): string {
  const folded = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return folded || fallback
}

export function volumeFileName(series: string, number: number): string {
  return `${slug(series, 'series')}-volume-${String(number).padStart(2, '0')}.epub`
}

export function collectionFileName(series: string): string {
  return `${slug(series, 'series')}-collection.epub`
}

/** The chapter file of a review, from its name in the manifest (`2023/her.md` → `review-2023-her.xhtml`). */
export function chapterFileName(reviewName: string): string {
  return `review-${slug(reviewName.replace(/\.(md|markdown)$/i, ''), 'review')}.xhtml`
}

/** An image's name inside a book: readable, and unique by a short hash of its project path. */
export function imageAssetName(root: string, absolutePath: string): string {
  const relative = path.relative(root, absolutePath).split(path.sep).join('/')
  const extension = path.extname(absolutePath).toLowerCase().replace('.jpeg', '.jpg')
  const hash = createHash('sha256').update(relative).digest('hex').slice(0, 8)
  return `${slug(path.basename(absolutePath, path.extname(absolutePath)), 'image')}-${hash}${extension}`
}

const urlNamespace = '6ba7b811-9dad-11d1-80b4-00c04fd430c8'

/** RFC 4122 version 5 UUID of `name` in the URL namespace: the same name, the same id. */
export function uuidV5(name: string): string {
  const namespace = Buffer.from(urlNamespace.replace(/-/g, ''), 'hex')
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

/** A manifest identifier as a URN: ISBNs become `urn:isbn:…`, URNs stay, anything else is kept. */
export function normaliseIdentifier(identifier: string): string {
  const digits = identifier.replace(/[-\s]/g, '')
  if (/^(97[89])?\d{9}[\dX]$/i.test(digits)) return `urn:isbn:${digits.toUpperCase()}`
  return identifier
}

/**
 * An identifier that is an ISBN, as a reader is shown it after "ISBN": hyphenated as the
 * manifest writes it (where the hyphens go depends on the publisher's range, which only the
 * author knows), else its digits; undefined for anything that is no ISBN (a UUID, a DOI).
 */
export function isbnShown(identifier: string | undefined): string | undefined {
  if (identifier === undefined) return undefined
  const written = identifier.trim().replace(/^(urn:isbn:|isbn(-1[03])?:?\s*)/i, '')
  const digits = written.replace(/[-\s]/g, '')
  if (!/^(97[89])?\d{9}[\dX]$/i.test(digits)) return undefined
  return /[-\s]/.test(written) ? written.replace(/[-\s]+/g, '-').toUpperCase() : digits.toUpperCase()
}

/** "Morwenna Castellan" → "Castellan, Morwenna", for sorting by surname. */
export function fileAs(name: string): string {
  const parts = name.trim().split(/\s+/)
  if (parts.length < 2 || name.includes(',')) return name.trim()
  const last = parts.pop()!
  return `${last}, ${parts.join(' ')}`
}

/** A link's path with %-escapes decoded (`still%20one.png` → `still one.png`); as written when malformed. */
export function decodeUrlPath(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** "A and B", "A, B and C", in the book's language. */
export function joinNames(names: readonly string[], language: string): string {
  try {
    return new Intl.ListFormat(language, {style: 'long', type: 'conjunction'}).format(names)
  } catch {
    return new Intl.ListFormat('en', {style: 'long', type: 'conjunction'}).format(names)
  }
}
