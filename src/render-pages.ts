// A book's content documents, in reading order: cover, title page, copyright page, then the
// reviews (in the collection, each volume opens with a half-title page). Review links are
// pointed per book here: inside the book a live link, elsewhere the volume named in text.
// Pure; `stringify` is the review processor's serialiser.
import path from 'node:path'
import type {Element, ElementContent, Root} from 'hast'
import {SKIP, visit} from 'unist-util-visit'
import type {Book, Part} from './book.js'
import {joinNames} from './names.js'
import {escapeXml, xhtmlDocument} from './xml.js'

export type PageRole = 'cover' | 'titlepage' | 'copyright-page' | 'part' | 'review'

export interface Page {
  file: string
  title: string
  role: PageRole
  xhtml: string
  /** The `<body>` content alone (the preview wraps it in its own page). */
  body: string
  /** The label in the table of contents (a review's title with its year). */
  label: string
  /** For reviews: the part (volume) it belongs to. */
  part?: Part
}

export const coverPageFile = 'cover.xhtml'
export const titlePageFile = 'title-page.xhtml'
export const copyrightPageFile = 'copyright.xhtml'

export function coverImageName(book: Book): string | undefined {
  return book.cover ? `cover${path.extname(book.cover).toLowerCase().replace('.jpeg', '.jpg')}` : undefined
}

export function renderPages(book: Book, stringify: (tree: Root) => string): Page[] {
  const page = (file: string, title: string, role: PageRole, body: string, bodyType?: string, part?: Part, label = title): Page => ({
    file,
    title,
    label,
    role,
    part,
    body,
    xhtml: xhtmlDocument({title, language: book.language, body, bodyType, bodyClass: role})
  })
  const pages: Page[] = []
  const cover = coverImageName(book)
  if (cover) {
    pages.push(page(coverPageFile, 'Cover', 'cover', `<section epub:type="cover" class="cover-image"><img src="images/${cover}" alt="${escapeXml(`Cover of ${fullTitle(book)}`)}"/></section>`, 'frontmatter'))
  }
  pages.push(page(titlePageFile, 'Title Page', 'titlepage', titlePage(book), 'frontmatter'))
  pages.push(page(copyrightPageFile, 'Copyright', 'copyright-page', copyrightPage(book), 'frontmatter'))
  const inBook = new Map<string, string>()
  for (const part of book.parts) for (const review of part.reviews) inBook.set(review.entry.path, review.chapterFile)
  for (const part of book.parts) {
    if (book.kind === 'collection') {
      pages.push(page(part.pageFile, volumeLabel(part), 'part', halfTitle(part), 'bodymatter', part))
    }
    for (const review of part.reviews) {
      const tree = pointLinks(review.tree, book, inBook)
      const body = `<section epub:type="chapter" role="doc-chapter" class="review">\n${stringify(tree)}\n</section>`
      const label = review.meta.year === undefined ? review.meta.title : `${review.meta.title} (${review.meta.year})`
      pages.push(page(review.chapterFile, review.meta.title, 'review', body, 'bodymatter', part, label))
    }
  }
  return pages
}

export function fullTitle(book: Book): string {
  return book.kind === 'volume' ? `${book.series}, Volume ${book.position}: ${book.title}` : book.title
}

export function volumeLabel(part: Part): string {
  return `Volume ${part.volume.number}: ${part.volume.title}`
}

function titlePage(book: Book): string {
  const lines = [
    `<section epub:type="titlepage" class="title-page">`,
    book.kind === 'volume' ? `<p class="series-name">${escapeXml(book.series)}</p>\n<p class="volume-number">Volume ${book.position}</p>` : `<p class="series-name">${escapeXml(book.series)}</p>`,
    `<h1 class="book-title">${escapeXml(book.title)}</h1>`,
    book.subtitle ? `<p class="book-subtitle">${escapeXml(book.subtitle)}</p>` : '',
    `<p class="book-author">${escapeXml(joinNames(book.authors, book.language))}</p>`,
    book.publisher ? `<p class="book-publisher">${escapeXml(book.publisher)}</p>` : '',
    `</section>`
  ]
  return lines.filter(Boolean).join('\n')
}

function copyrightPage(book: Book): string {
  const series = book.kind === 'volume' ? `Volume ${book.position} of ${book.series}.` : `All ${book.parts.length} volumes of ${book.series} in one book.`
  const lines = [
    `<section epub:type="copyright-page" class="copyright-page">`,
    `<h1 class="copyright-heading">Copyright</h1>`,
    `<p><i>${escapeXml(book.title)}</i>${book.subtitle ? `: ${escapeXml(book.subtitle)}` : ''}</p>`,
    `<p>${escapeXml(series)}</p>`,
    `<p>${escapeXml(book.rights ?? `Copyright © ${joinNames(book.authors, book.language)}. All rights reserved.`)}</p>`,
    book.publisher ? `<p>Published by ${escapeXml(book.publisher)}.</p>` : '',
    `<p class="identifier">${escapeXml(book.identifier)}</p>`,
    `</section>`
  ]
  return lines.filter(Boolean).join('\n')
}

function halfTitle(part: Part): string {
  return [
    `<section epub:type="part" role="doc-part" class="half-title">`,
    `<p class="volume-number">Volume ${part.volume.number}</p>`,
    `<h1 class="part-title">${escapeXml(part.volume.title)}</h1>`,
    part.volume.subtitle ? `<p class="book-subtitle">${escapeXml(part.volume.subtitle)}</p>` : '',
    `</section>`
  ]
    .filter(Boolean)
    .join('\n')
}

/** A copy of `tree` whose review links point inside this book, or name the volume in text. */
function pointLinks(tree: Root, book: Book, inBook: ReadonlyMap<string, string>): Root {
  let hasLinks = false
  visit(tree, 'element', (node: Element) => {
    if (node.data?.reviewLink) hasLinks = true
  })
  if (!hasLinks) return tree
  const copy = structuredClone(tree)
  visit(copy, 'element', (node: Element, index, parent) => {
    const target = node.data?.reviewLink
    if (!target) return undefined
    const chapter = inBook.get(target)
    if (chapter) {
      node.properties.href = chapter
      return undefined
    }
    const volume = book.volumeOf.get(target)
    if (!parent || typeof index !== 'number') return undefined
    const replacement: ElementContent[] = [...node.children, {type: 'text', value: volume ? ` (Volume ${volume.number})` : ''}]
    parent.children.splice(index, 1, {type: 'element', tagName: 'span', properties: {className: ['series-reference']}, children: replacement})
    return [SKIP, index + 1]
  })
  return copy
}
