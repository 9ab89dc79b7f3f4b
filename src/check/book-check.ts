// The last guard before a book is zipped, on every build and check: in each of its documents
// every id is unique, every link and image inside the book lands on a document (and a
// fragment) that exists, and every other address is a valid web or mailto address. The
// review stages already turn what an author wrote into links that land (or into text, with a
// warning); anything this finds was made by the tool itself, so it is an error that keeps the
// book from being written, placed where the review holds that address. Pure.
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {report} from '../shared/diagnostics.js'
import {isExternalLink} from '../shared/urls.js'
import type {Book, Page} from '../model.js'

export interface CheckedDocument {
  file: string
  xhtml: string
}

export interface BookProblem {
  /** The document at fault. */
  document: string
  reason: string
  /** The address or id, as written in the document. */
  value: string
}

const startTag = /<([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*\/?>/g
const attribute = /([\w:.-]+)\s*=\s*"([^"]*)"/g

/** What one document holds: its ids (and those it repeats) and its addresses. Depends on its text alone. */
interface Scan {
  ids: Set<string>
  repeated: string[]
  links: Array<{value: string; tag: string; attribute: string}>
}

/**
 * Scans of documents by their text, kept by a session that rebuilds (watch, preview): a rebuild
 * scans again only the pages that changed. Only the last run's scans are kept.
 */
export class DocumentScans {
  private last = new Map<string, Scan>()
  private current = new Map<string, Scan>()

  /** A new run: what the last one did not use goes. */
  nextRun(): void {
    this.last = this.current
    this.current = new Map()
  }

  scan(xhtml: string): Scan {
    let found = this.current.get(xhtml) ?? this.last.get(xhtml)
    found ??= scanDocument(xhtml)
    this.current.set(xhtml, found)
    return found
  }
}

function scanDocument(xhtml: string): Scan {
  const scan: Scan = {ids: new Set(), repeated: [], links: []}
  for (const tag of xhtml.matchAll(startTag)) {
    for (const [, name, raw] of tag[2]!.matchAll(attribute)) {
      const value = unescapeXml(raw!)
      if (name === 'id') {
        if (scan.ids.has(value)) scan.repeated.push(value)
        scan.ids.add(value)
      } else if (name === 'href' || name === 'src') {
        scan.links.push({value, tag: tag[1]!, attribute: name})
      }
    }
  }
  return scan
}

/** Every problem with the ids and addresses of a book's documents (`resources`: its other files, such as `images/x.png`). */
export function checkDocuments(documents: readonly CheckedDocument[], resources: ReadonlySet<string>, scans?: DocumentScans): BookProblem[] {
  const problems: BookProblem[] = []
  const ids = new Map<string, Set<string>>()
  const links: Array<{document: string; value: string; tag: string; attribute: string}> = []
  for (const document of documents) {
    const scan = scans ? scans.scan(document.xhtml) : scanDocument(document.xhtml)
    ids.set(document.file, scan.ids)
    for (const value of scan.repeated) problems.push({document: document.file, reason: `has the id \`${value}\` twice`, value})
    for (const link of scan.links) links.push({document: document.file, ...link})
  }
  for (const link of links) {
    const {value} = link
    if (/^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//')) {
      if (!isExternalLink(value)) problems.push({document: link.document, reason: `links to \`${value}\`, which is not a valid web or mailto address`, value})
      continue
    }
    const hash = value.indexOf('#')
    const target = decode(hash < 0 ? value : value.slice(0, hash)) || link.document
    const fragment = hash < 0 ? undefined : decode(value.slice(hash + 1))
    if (/[?]/.test(value)) {
      problems.push({document: link.document, reason: `links to \`${value}\`, which has a query no file in a book answers`, value})
    } else if (!ids.has(target) && !resources.has(target)) {
      problems.push({document: link.document, reason: `links to \`${value}\`, which is not in the book`, value})
    } else if (fragment !== undefined && !ids.get(target)?.has(fragment)) {
      problems.push({document: link.document, reason: `links to \`${value}\`, but \`${target}\` has no id \`${fragment}\``, value})
    }
  }
  return problems
}

/** Checks a rendered book; each problem is an error on the file the document came from. */
export function checkBook(
  book: Book,
  pages: readonly Page[],
  extra: readonly CheckedDocument[],
  resources: ReadonlySet<string>,
  manifestFile: VFile,
  place: Position | undefined,
  scans?: DocumentScans
): number {
  const problems = checkDocuments([...pages, ...extra], resources, scans)
  const sourceOf = new Map<string, VFile>()
  for (const part of book.parts) for (const review of part.reviews) sourceOf.set(review.chapterFile, review.file)
  for (const problem of problems) {
    const file = sourceOf.get(problem.document) ?? manifestFile
    report(file, {
      reason: `\`${problem.document}\` of ${book.fileName} ${problem.reason}; the book is not written`,
      ruleId: 'broken-book',
      severity: 'error',
      place: file === manifestFile ? place : whereWritten(file, problem.value),
      note: 'This is a bug in build-volumes, not in your text: please report it with this review. Meanwhile, rewrite or remove the link here.'
    })
  }
  return problems.length
}

/** The first place the review's text holds `value` (an address or id), for a message that points at it. */
function whereWritten(file: VFile, value: string): Position | undefined {
  const text = String(file.value)
  const at = value === '' ? -1 : text.indexOf(value)
  if (at < 0) return {start: {line: 1, column: 1}, end: {line: 1, column: 1}}
  const before = text.slice(0, at)
  const line = before.split('\n').length
  const column = at - before.lastIndexOf('\n')
  return {start: {line, column}, end: {line, column: column + value.length}}
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function unescapeXml(text: string): string {
  return text.replace(
    /&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi,
    (_all, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
      if (hex) return String.fromCodePoint(parseInt(hex, 16))
      if (dec) return String.fromCodePoint(Number(dec))
      return {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'"}[name!.toLowerCase() as 'amp']
    }
  )
}
