// A book's content documents, in reading order: cover, title page, copyright page, then the
// reviews (in the collection, each volume opens with a half-title page). Review links are
// pointed per book here: inside the book a live link, elsewhere the volume named in text.
// Pure: each review was serialised once (review/compile.ts); a book only fills in its marks.
import path from 'node:path'
import {hrefMark, slotPattern} from '../review/compile.js'
import {buildIndexes, type IndexCache} from '../book/indexes.js'
import {joinNames} from '../shared/names.js'
import {reviewDistinctions, reviewLabel} from '../book/labels.js'
import {escapeXml, xhtmlDocument} from '../shared/xml.js'
import {openReview} from './opening.js'
import type {Book, CompiledBody, LinkTarget, LoadedPage, Page, PageRole, Part} from '../model.js'
import {storeNames} from '../shared/stores.js'

export const coverPageFile = 'cover.xhtml'
export const titlePageFile = 'title-page.xhtml'
export const copyrightPageFile = 'copyright.xhtml'

export function coverImageName(book: Book): string | undefined {
  if (book.cover) return `cover${path.extname(book.cover).toLowerCase().replace('.jpeg', '.jpg')}`
  return book.coverText ? 'cover.png' : undefined
}

/** The book's pages; `indexes`, a session's, keeps index pages whose reviews' fields did not change. */
export function renderPages(book: Book, indexes?: IndexCache): Page[] {
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
    pages.push(
      page(
        coverPageFile,
        'Cover',
        'cover',
        `<section epub:type="cover" class="cover-image"><img src="images/${cover}" alt="${escapeXml(`Cover of ${fullTitle(book)}`)}"/></section>`,
        'frontmatter'
      )
    )
  }
  pages.push(page(titlePageFile, 'Title Page', 'titlepage', titlePage(book), 'frontmatter'))
  pages.push(page(copyrightPageFile, 'Copyright', 'copyright-page', copyrightPage(book), 'frontmatter'))
  const inBook = new Map<string, string>()
  for (const part of book.parts) for (const review of part.reviews) inBook.set(review.entry.path, review.chapterFile)
  const textPage = (loaded: LoadedPage, file: string, role: 'foreword' | 'introduction' | 'about', bodyType: string, part?: Part) => {
    const semantics = role === 'about' ? '' : ` epub:type="${role}" role="doc-${role}"`
    const body = `<section${semantics} class="${role === 'about' ? 'about-author' : role}">\n${bodyFor(loaded.body, loaded.linked, book, inBook)}\n</section>`
    pages.push(page(file, loaded.title, role, body, bodyType, part))
  }
  const distinctions = reviewDistinctions(book)
  for (const part of book.parts) {
    const collection = book.kind === 'collection'
    if (collection) pages.push(page(part.pageFile, volumeLabel(part), 'part', halfTitle(part), 'bodymatter', part))
    const prefix = `volume-${String(part.volume.number).padStart(2, '0')}`
    if (part.foreword) textPage(part.foreword, `${prefix}-foreword.xhtml`, 'foreword', collection ? 'bodymatter' : 'frontmatter', part)
    if (part.introduction) textPage(part.introduction, `${prefix}-introduction.xhtml`, 'introduction', collection ? 'bodymatter' : 'frontmatter', part)
    for (const review of part.reviews) {
      const body = `<section epub:type="chapter" role="doc-chapter" class="review">\n${openReview(bodyFor(review.body, review.linked, book, inBook), book.opening)}\n</section>`
      pages.push(page(review.chapterFile, review.meta.title, 'review', body, 'bodymatter', part, reviewLabel(review, distinctions)))
    }
  }
  const indexPages = indexes ? indexes.pagesOf(book) : buildIndexes(book)
  for (const index of indexPages) pages.push(page(index.file, index.title, 'index', index.body, 'backmatter'))
  if (book.kind === 'volume' && book.otherVolumes.length > 0) pages.push(page(seriesPageFile, 'Also in This Series', 'series', seriesPage(book), 'backmatter'))
  if (book.kind === 'collection')
    pages.push(page(aboutCollectionFile, 'About This Collection', 'about-collection', aboutCollection(book, indexPages.length > 0), 'backmatter'))
  if (book.about) textPage(book.about, aboutPageFile, 'about', 'backmatter')
  return pages
}

export const seriesPageFile = 'also-in-this-series.xhtml'
export const aboutCollectionFile = 'about-this-collection.xhtml'
export const aboutPageFile = 'about-the-author.xhtml'

/** The other volumes, by number and title; store links only for the stores this book is sold in. */
function seriesPage(book: Book): string {
  // A store rejects a book that links to a rival, and one EPUB goes to every store named:
  // one store shows its own links, several show only the web links.
  const shown = book.stores.length === 0 ? ['kindle', 'apple', 'kobo', 'web'] : book.stores.length === 1 ? [book.stores[0]!, 'web'] : ['web']
  const items = book.otherVolumes.map((volume) => {
    const links = shown.flatMap((store) => {
      const href = volume.links[store as keyof typeof volume.links]
      return href ? [`<a href="${escapeXml(href)}">${escapeXml(storeNames[store as keyof typeof storeNames]?.reader ?? store)}</a>`] : []
    })
    return [
      `<li>`,
      `<p class="series-entry"><span class="series-number">Volume ${volume.number}</span> <cite>${escapeXml(volume.title)}</cite>${volume.subtitle ? `<span class="series-subtitle">: ${escapeXml(volume.subtitle)}</span>` : ''}</p>`,
      links.length ? `<p class="series-links">${links.join(' · ')}</p>` : '',
      `</li>`
    ]
      .filter(Boolean)
      .join('\n')
  })
  return [
    `<section class="also-in-series" aria-labelledby="series-title">`,
    `<h1 id="series-title">Also in This Series</h1>`,
    `<p class="series-intro">${escapeXml(`${book.series}, by ${joinNames(book.authors, book.language)}:`)}</p>`,
    `<ul class="series-list">`,
    ...items,
    `</ul>`,
    `</section>`
  ].join('\n')
}

function aboutCollection(book: Book, indexed: boolean): string {
  const reviews = book.parts.reduce((sum, part) => sum + part.reviews.length, 0)
  const volumes = book.parts.map(
    (part) => `<li><span class="series-number">Volume ${part.volume.number}</span> <cite>${escapeXml(part.volume.title)}</cite></li>`
  )
  return [
    `<section class="about-collection" aria-labelledby="about-collection-title">`,
    `<h1 id="about-collection-title">About This Collection</h1>`,
    `<p>${escapeXml(`This book brings together all ${book.parts.length} volumes of ${book.series}, by ${joinNames(book.authors, book.language)}: ${reviews} reviews in the order the volumes present them${indexed ? ', with one set of indexes covering them all' : ''}.`)}</p>`,
    `<ul class="series-list">`,
    ...volumes,
    `</ul>`,
    `</section>`
  ].join('\n')
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
    book.kind === 'volume'
      ? `<p class="series-name">${escapeXml(book.series)}</p>\n<p class="volume-number">Volume ${book.position}</p>`
      : `<p class="series-name">${escapeXml(book.series)}</p>`,
    `<h1 class="book-title">${escapeXml(book.title)}</h1>`,
    book.subtitle ? `<p class="book-subtitle">${escapeXml(book.subtitle)}</p>` : '',
    `<p class="book-author">${escapeXml(joinNames(book.authors, book.language))}</p>`,
    book.publisher ? `<p class="book-publisher">${escapeXml(book.publisher)}</p>` : '',
    `</section>`
  ]
  return lines.filter(Boolean).join('\n')
}

/**
 * The copyright page. Its year is the edition's, the book's own date (`SOURCE_DATE_EPOCH`, else
 * its newest input), so a rebuilt book says when it was made and the bytes stay reproducible.
 * Only an ISBN is shown as an identifier: a `urn:uuid:` means nothing to a reader.
 */
function copyrightPage(book: Book): string {
  const series = book.kind === 'volume' ? `Volume ${book.position} of ${book.series}.` : `All ${book.parts.length} volumes of ${book.series} in one book.`
  const year = book.modified.slice(0, 4)
  const lines = [
    `<section epub:type="copyright-page" class="copyright-page">`,
    `<h1 class="copyright-heading">Copyright</h1>`,
    `<p><i>${escapeXml(book.title)}</i>${book.subtitle ? `: ${escapeXml(book.subtitle)}` : ''}</p>`,
    `<p>${escapeXml(series)}</p>`,
    `<p>${escapeXml(book.rights ?? `Copyright © ${year} ${joinNames(book.authors, book.language)}. All rights reserved.`)}</p>`,
    `<p class="edition">${book.publisher ? `This edition published in ${year} by ${escapeXml(book.publisher)}.` : `This edition published in ${year}.`}</p>`,
    book.isbn ? `<p class="identifier">ISBN ${escapeXml(book.isbn)}</p>` : '',
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
/**
 * A review's (or page's) serialised body for this book: each link to a review points at its
 * chapter when the review is in this book, and otherwise names its volume in text, "*Alien*
 * (see Volume 4)"; each autolinked title becomes such a link; other marks give back their text.
 */
function bodyFor(body: CompiledBody, linked: ReadonlyMap<number, LinkTarget> | undefined, book: Book, inBook: ReadonlyMap<string, string>): string {
  if (body.slots.length === 0) return body.html
  return body.html.replace(slotPattern, (_mark, number: string) => {
    const index = Number(number)
    const slot = body.slots[index]!
    const target = linked?.get(index)
    if (slot.kind === 'link') {
      // A link that names no review was reported when it was resolved; its text stays.
      if (!target) return slot.inner
      if ('external' in target) return `${slot.open.replace(hrefMark, escapeXml(target.external))}${slot.inner}</a>`
      return pointLink(target.review, slot.open, slot.inner, slot.text, slot.emphasised, book, inBook)
    }
    return target && 'review' in target ? pointLink(target.review, `<a href="${hrefMark}">`, slot.html, slot.text, true, book, inBook) : slot.html
  })
}

function pointLink(target: string, open: string, inner: string, text: string, emphasised: boolean, book: Book, inBook: ReadonlyMap<string, string>): string {
  const chapter = inBook.get(target)
  if (chapter) return `${open.replace(hrefMark, chapter)}${inner}</a>`
  const volume = book.volumeOf.get(target)
  const title = book.reviewOf.get(target)?.meta.title
  // The film's title as link text is set in italics, as a title is.
  const shown = title !== undefined && text === title && !emphasised ? `<i>${inner}</i>` : inner
  return `<span class="series-reference">${shown}${volume ? ` (see Volume\u00a0${volume.number})` : ''}</span>`
}
