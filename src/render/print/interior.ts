// A book's interior as one Typst document: half title, title page, copyright page and
// contents (roman folios), then the reviews and back matter (arabic from 1, on a recto), each
// opening on a new page, every page of the EPUB's reading order through markup.ts. Pure: it
// gives the source and the images it uses; index.ts lays it out.
import type {Page, PreparedBook, PrintSpec} from '../../model.js'
import {joinNames} from '../../shared/names.js'
import {fullTitle} from '../pages.js'
import {escapeMarkup, labelFor, typstString} from './escape.js'
import {trimSizes} from './kdp.js'
import {pageMarkup, type MarkupContext} from './markup.js'
import {interiorTemplate} from './template.js'

export interface InteriorLayout {
  /** The inside margin, from the band of the page count it was laid out for, in inches. */
  gutter: number
}

/** The margins beyond KDP's least: the text block sits this far inside them, so heads and folios do too. */
const outside = 0.5
const top = 0.75
const bottom = 0.7
/** Added to KDP's least gutter: a book opened flat loses some of its inside margin to the binding. */
const insideExtra = 0.25

/**
 * A first guess at the page count, so the first layout is usually in the right gutter band:
 * about 250 words to a 5.5 × 8.5 in page of 11 pt, scaled by the text area, and half a page
 * more for each opening. The layout loop corrects a wrong guess.
 */
export function estimatePages(prepared: PreparedBook, spec: PrintSpec): number {
  const trim = trimSizes[spec.trim]
  const margins = marginsFor({gutter: 0.375})
  const area = (trim.width - margins.inside - margins.outside) * (trim.height - margins.top - margins.bottom)
  const size = trim.width < 5.5 ? 10.5 : 11
  const perPage = 250 * (area / 31) * (11 / size) ** 2
  const pages = prepared.pages.filter((page) => listed.has(page.role))
  const words = pages.reduce(
    (sum, page) =>
      sum +
      page.body
        .replace(/<[^>]*>/g, ' ')
        .split(/\s+/)
        .filter(Boolean).length,
    0
  )
  return Math.ceil(8 + words / perPage + pages.length * (spec.recto ? 1 : 0.5))
}

export function marginsFor(layout: InteriorLayout): {inside: number; outside: number; top: number; bottom: number} {
  return {inside: layout.gutter + insideExtra, outside, top, bottom}
}

export interface InteriorSource {
  source: string
  files: Map<string, Uint8Array>
}

/** The roles that open on a new page and have a line in the contents. */
const listed: ReadonlySet<Page['role']> = new Set(['foreword', 'introduction', 'part', 'review', 'index', 'series', 'about-collection', 'about'])

export function interiorSource(
  prepared: PreparedBook,
  spec: PrintSpec,
  layout: InteriorLayout,
  lowResolution: (page: Page, image: string, dpi: number, inches: number) => void,
  missingGlyphs: (page: Page, chars: string[]) => void = () => {}
): InteriorSource {
  const {book} = prepared
  const trim = trimSizes[spec.trim]
  const margins = marginsFor(layout)
  const files = new Map<string, Uint8Array>()
  const pages = prepared.pages.filter((page) => listed.has(page.role))
  const labelled = new Set(pages.map((page) => page.file))
  const author = joinNames(book.authors, book.language)
  const [lang, region] = book.language.toLowerCase().split('-')
  const date = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(book.modified)
  const settings = [
    `#let doc-title = ${typstString(fullTitle(book))}`,
    `#let doc-authors = (${book.authors.map(typstString).join(', ')},)`,
    `#let doc-subject = ${book.description ? typstString(book.description) : 'none'}`,
    `#let doc-keywords = (${[book.series, ...(book.position === undefined ? [] : [`Volume ${book.position}`])].map(typstString).join(', ')},)`,
    `#let doc-date = ${date ? `datetime(year: ${Number(date[1])}, month: ${Number(date[2])}, day: ${Number(date[3])}, hour: ${Number(date[4])}, minute: ${Number(date[5])}, second: ${Number(date[6])})` : 'none'}`,
    `#let doc-lang = ${typstString(/^[a-z]{2,3}$/.test(lang ?? '') ? lang! : 'en')}`,
    `#let doc-region = ${region && /^[a-z]{2}$/.test(region) ? typstString(region) : 'none'}`,
    `#let trim-width = ${trim.width}in`,
    `#let trim-height = ${trim.height}in`,
    `#let margin-inside = ${margins.inside}in`,
    `#let margin-outside = ${margins.outside}in`,
    `#let margin-top = ${margins.top}in`,
    `#let margin-bottom = ${margins.bottom}in`,
    `#let body-size = ${trim.width < 5.5 ? 10.5 : 11}pt`,
    `#let openings-on-recto = ${spec.recto ? 'true' : 'false'}`,
    `#let verso-head = ${typstString(book.kind === 'volume' ? book.title : book.series)}`
  ]
  const out: string[] = [...settings, interiorTemplate]

  // Half title, then the title page on the next recto, the copyright page behind it.
  out.push(`#opening(none)`)
  out.push(`#v(2.2in)\n#block(width: 100%, align(center, text(size: 1.5em, ${typstString(book.title)})))`)
  out.push(`#opening(none, recto: true)`)
  out.push(titlePage(prepared))
  out.push(`#opening(none, recto: false)`)
  out.push(copyrightPage(prepared, author))
  out.push(`#opening(${typstString('Contents')}, recto: true)`)
  out.push(`#front-title[Contents]`)
  out.push(contents(pages))

  const context: MarkupContext = {
    files: labelled,
    images: prepared.images,
    measure: trim.width - margins.inside - margins.outside,
    used: files,
    lowResolution: () => {},
    missingGlyphs: () => {}
  }
  let mainMatter = false
  for (const page of pages) {
    const front = book.kind === 'volume' && (page.role === 'foreword' || page.role === 'introduction')
    if (!front && !mainMatter) {
      out.push('#show: main-matter')
      mainMatter = true
    }
    context.lowResolution = (image, dpi, inches) => lowResolution(page, image, dpi, inches)
    context.missingGlyphs = (chars) => missingGlyphs(page, chars)
    if (page.role === 'part' && page.part) {
      // A volume's half title in the collection: its number, title and subtitle, centred; the
      // heading is there (hidden) for the PDF's bookmarks.
      const {volume} = page.part
      out.push(`#opening(none, recto: true)`)
      out.push(`#metadata(none) <${labelFor(page.file)}>`)
      out.push(`#place(hide(heading(level: 1, outlined: false, bookmarked: true, ${typstString(page.title)})))`)
      out.push(
        [
          `#v(1.8in)`,
          `#block(width: 100%, {`,
          `set align(center)`,
          `set par(justify: false, first-line-indent: 0em)`,
          `block(below: 1.2em, smallcaps(all: true, tracking[Volume ${volume.number}]))`,
          `block(below: 1em, text(size: 1.9em, hyphenate: false, ${typstString(volume.title)}))`,
          volume.subtitle ? `emph(${typstString(volume.subtitle)})` : '',
          `})`
        ]
          .filter(Boolean)
          .join('\n')
      )
      continue
    }
    out.push(`#opening(${typstString(page.title)})`)
    out.push(`#metadata(none) <${labelFor(page.file)}>`)
    out.push(pageMarkup(page.body, context).replace('#heading(level: 1, outlined: false)', '#heading(level: 1, outlined: false, bookmarked: true)'))
  }
  if (!mainMatter) out.push('#show: main-matter')
  // KDP prints an even number of pages; an odd count gets a blank last page (no head, no folio), so the spine is measured on what is printed.
  out.push('#metadata(none) <book-end>\n#context if calc.odd(locate(<book-end>).page()) { pagebreak(); [#metadata(none) <opening>] }')
  return {source: `${out.join('\n\n')}\n`, files}
}

function titlePage(prepared: PreparedBook): string {
  const {book} = prepared
  const lines = [
    `#v(1.1in)`,
    `#block(width: 100%, {`,
    `set align(center)`,
    `set par(justify: false, first-line-indent: 0em)`,
    `block(below: 1.2em, smallcaps(all: true, tracking(text(size: 1.05em, ${typstString(book.series)}))))`,
    book.kind === 'volume' ? `block(below: 1.6em, emph[Volume ${book.position}])` : '',
    `block(below: 1em, text(size: 2.1em, hyphenate: false, ${typstString(book.title)}))`,
    book.subtitle ? `block(below: 1em, emph(text(size: 1.1em, ${typstString(book.subtitle)})))` : '',
    `v(0.9in)`,
    `text(size: 1.25em, ${typstString(joinNames(book.authors, book.language))})`,
    `})`,
    book.publisher ? `#place(bottom + center, smallcaps(all: true, tracking(${typstString(book.publisher)})))` : ''
  ]
  return lines.filter(Boolean).join('\n')
}

function copyrightPage(prepared: PreparedBook, author: string): string {
  const {book} = prepared
  const year = book.modified.slice(0, 4)
  const series = book.kind === 'volume' ? `Volume ${book.position} of ${book.series}.` : `All ${book.parts.length} volumes of ${book.series} in one book.`
  const lines = [
    `#emph[${escapeMarkup(book.title)}]${book.subtitle ? `: ${escapeMarkup(book.subtitle)}` : ''}`,
    escapeMarkup(series),
    escapeMarkup(book.rights ?? `Copyright © ${year} ${author}. All rights reserved.`),
    escapeMarkup(book.publisher ? `This edition published in ${year} by ${book.publisher}.` : `This edition published in ${year}.`),
    book.isbn ? escapeMarkup(`ISBN ${book.isbn}`) : ''
  ].filter(Boolean)
  return `#v(1fr)\n#block(width: 100%, text(size: 0.85em, {\nset par(justify: false, first-line-indent: 0em, spacing: 0.9em)\n[${lines.join('\n\n')}]\n}))`
}

function contents(pages: readonly Page[]): string {
  return pages
    .map((page) => {
      const level = page.role !== 'part' && page.part && pages.some((other) => other.role === 'part') ? 2 : 1
      return `#toc-line(<${labelFor(page.file)}>, level: ${level})[${escapeMarkup(page.label)}]`
    })
    .join('\n')
}
