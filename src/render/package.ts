// The package documents of a book: the EPUB 3 navigation document (the HTML table of
// contents near the front, nested volume → review in the collection, plus landmarks), the
// NCX for older readers, and the OPF with metadata, manifest, spine and guide. Pure.
import {fileAs} from '../shared/names.js'
import {bisacHeadings} from '../shared/bisac.js'
import {formatIsoDate} from '../shared/dates.js'
import {bookTags} from '../book/tags.js'
import {coverImageName, coverPageFile, copyrightPageFile, titlePageFile} from './pages.js'
import {escapeXml, xhtmlDocument} from '../shared/xml.js'
import {fontMediaType} from '../shared/fonts.js'
import {imageMediaType} from '../shared/image-bytes.js'
import type {Book, Page} from '../model.js'

export const navFile = 'toc.xhtml'

interface TocEntry {
  label: string
  href: string
  children: TocEntry[]
}

export interface PackageInput {
  book: Book
  pages: Page[]
  /** Image names inside `images/`, sorted. */
  images: string[]
  /** Files only the stylesheet uses (`images/…`, `fonts/…`), sorted. */
  styleFiles?: string[]
}

/** Everything after the copyright page; in the collection, a volume's pages nest under it. */
function tocEntries(pages: Page[], book: Book): TocEntry[] {
  const entries: TocEntry[] = []
  let part: TocEntry | undefined
  for (const page of pages) {
    if (page.role === 'cover' || page.role === 'titlepage' || page.role === 'copyright-page') continue
    const entry = {label: page.label, href: page.file, children: []}
    if (book.kind === 'collection' && page.role === 'part') {
      part = entry
      entries.push(entry)
    } else if (book.kind === 'collection' && page.part && part) {
      part.children.push(entry)
    } else {
      entries.push(entry)
    }
  }
  return entries
}

function firstBodyPage(pages: Page[]): Page | undefined {
  return pages.find((page) => page.role === 'part' || page.role === 'review')
}

function firstPage(pages: Page[], role: Page['role']): Page | undefined {
  return pages.find((page) => page.role === role)
}

export function renderNav({book, pages}: PackageInput): string {
  const list = (entries: TocEntry[], depth: number): string =>
    `${'  '.repeat(depth)}<ol>\n${entries
      .map(
        (entry) =>
          `${'  '.repeat(depth + 1)}<li><a href="${escapeXml(entry.href)}">${escapeXml(entry.label)}</a>${entry.children.length ? `\n${list(entry.children, depth + 2)}\n${'  '.repeat(depth + 1)}` : ''}</li>`
      )
      .join('\n')}\n${'  '.repeat(depth)}</ol>`
  const body = firstBodyPage(pages)
  const foreword = book.kind === 'volume' ? firstPage(pages, 'foreword') : undefined
  const introduction = book.kind === 'volume' ? firstPage(pages, 'introduction') : undefined
  const index = firstPage(pages, 'index')
  const landmarks = [
    coverImageName(book) ? ['cover', coverPageFile, 'Cover'] : undefined,
    ['titlepage', titlePageFile, 'Title Page'],
    ['copyright-page', copyrightPageFile, 'Copyright'],
    ['toc', navFile, 'Contents'],
    foreword ? ['foreword', foreword.file, 'Foreword'] : undefined,
    introduction ? ['introduction', introduction.file, 'Introduction'] : undefined,
    body ? ['bodymatter', body.file, 'Start of Reviews'] : undefined,
    index ? ['index', index.file, 'Indexes'] : undefined
  ].filter((entry): entry is string[] => entry !== undefined)
  const html = [
    `<nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-title">`,
    `<h1 id="toc-title">Contents</h1>`,
    list(tocEntries(pages, book), 0),
    `</nav>`,
    `<nav epub:type="landmarks" aria-label="Landmarks" id="landmarks" hidden="hidden">`,
    `<h2>Landmarks</h2>`,
    `<ol>`,
    ...landmarks.map(([type, href, label]) => `  <li><a epub:type="${type}" href="${href}">${escapeXml(label!)}</a></li>`),
    `</ol>`,
    `</nav>`
  ].join('\n')
  return xhtmlDocument({title: 'Contents', language: book.language, body: html, bodyType: 'frontmatter', bodyClass: 'contents'})
}

export function renderNcx({book, pages}: PackageInput): string {
  let order = 0
  const entries = tocEntries(pages, book)
  const depth = entries.some((entry) => entry.children.length) ? 2 : 1
  const points = (list: TocEntry[], indent: number): string =>
    list
      .map((entry) => {
        order += 1
        const pad = '  '.repeat(indent)
        return `${pad}<navPoint id="nav-${order}" playOrder="${order}">\n${pad}  <navLabel><text>${escapeXml(entry.label)}</text></navLabel>\n${pad}  <content src="${escapeXml(entry.href)}"/>${entry.children.length ? `\n${points(entry.children, indent + 1)}` : ''}\n${pad}</navPoint>`
      })
      .join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="${escapeXml(book.language)}">
<head>
  <meta name="dtb:uid" content="${escapeXml(book.identifier)}"/>
  <meta name="dtb:depth" content="${depth}"/>
  <meta name="dtb:totalPageCount" content="0"/>
  <meta name="dtb:maxPageNumber" content="0"/>
</head>
<docTitle><text>${escapeXml(book.title)}</text></docTitle>
<navMap>
${points(entries, 1)}
</navMap>
</ncx>
`
}

/** `dc:subject`: the BISAC codes the manifest names (with their authority and code), then the reviews' tags, most used first. */
function subjects(book: Book): string[] {
  const bisac = book.subjects.flatMap((code, index) => [
    `<dc:subject id="subject-${index + 1}">${escapeXml(bisacHeadings[code] ?? code)}</dc:subject>`,
    `<meta refines="#subject-${index + 1}" property="authority">BISAC</meta>`,
    `<meta refines="#subject-${index + 1}" property="term">${escapeXml(code)}</meta>`
  ])
  return [...bisac, ...bookTags(book).map((tag) => `<dc:subject>${escapeXml(tag)}</dc:subject>`)]
}

export function renderOpf({book, pages, images, styleFiles = []}: PackageInput): string {
  const creators = book.authors.flatMap((author, index) => [
    `<dc:creator id="creator-${index + 1}">${escapeXml(author)}</dc:creator>`,
    `<meta refines="#creator-${index + 1}" property="role" scheme="marc:relators">aut</meta>`,
    `<meta refines="#creator-${index + 1}" property="file-as">${escapeXml(fileAs(author))}</meta>`
  ])
  const series =
    book.kind === 'volume'
      ? [
          `<meta property="belongs-to-collection" id="series">${escapeXml(book.series)}</meta>`,
          `<meta refines="#series" property="collection-type">series</meta>`,
          `<meta refines="#series" property="group-position">${book.position}</meta>`,
          `<meta name="calibre:series" content="${escapeXml(book.series)}"/>`,
          `<meta name="calibre:series_index" content="${book.position}"/>`
        ]
      : []
  const cover = coverImageName(book)
  const metadata = [
    `<dc:identifier id="book-id">${escapeXml(book.identifier)}</dc:identifier>`,
    `<dc:title id="title">${escapeXml(book.title)}</dc:title>`,
    `<meta refines="#title" property="title-type">main</meta>`,
    ...creators,
    `<dc:language>${escapeXml(book.language)}</dc:language>`,
    book.publisher ? `<dc:publisher>${escapeXml(book.publisher)}</dc:publisher>` : '',
    book.rights ? `<dc:rights>${escapeXml(book.rights)}</dc:rights>` : '',
    book.description ? `<dc:description>${escapeXml(book.description)}</dc:description>` : '',
    book.published ? `<dc:date>${formatIsoDate(book.published)}</dc:date>` : '',
    ...subjects(book),
    `<meta property="dcterms:modified">${book.modified}</meta>`,
    ...series,
    ...accessibilityMetadata({book, pages, images}),
    cover ? `<meta name="cover" content="cover-image"/>` : ''
  ].filter(Boolean)
  const itemId = (file: string) => `item-${file.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_-]/g, '-')}`
  const manifest = [
    `<item id="nav" href="${navFile}" media-type="application/xhtml+xml" properties="nav"/>`,
    `<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>`,
    `<item id="css" href="style.css" media-type="text/css"/>`,
    ...pages.map((page) => `<item id="${itemId(page.file)}" href="${escapeXml(page.file)}" media-type="application/xhtml+xml"/>`),
    ...(cover ? [`<item id="cover-image" href="images/${cover}" media-type="${imageMediaType(cover)}" properties="cover-image"/>`] : []),
    ...images.map(
      (name) =>
        `<item id="image-${name.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_-]/g, '-')}" href="images/${escapeXml(name)}" media-type="${imageMediaType(name)}"/>`
    ),
    // The extension stays in the id: `fonts/a.woff2` and `fonts/a.woff` are both listed.
    ...styleFiles.map(
      (file) =>
        `<item id="style-${file.replace(/[^A-Za-z0-9_-]/g, '-')}" href="${escapeXml(file)}" media-type="${imageMediaType(file) ?? fontMediaType(file)}"/>`
    )
  ]
  const front = pages.filter((page) => page.role === 'cover' || page.role === 'titlepage' || page.role === 'copyright-page')
  const rest = pages.filter((page) => !front.includes(page))
  const spine = [
    ...front.map((page) => `<itemref idref="${itemId(page.file)}"/>`),
    `<itemref idref="nav"/>`,
    ...rest.map((page) => `<itemref idref="${itemId(page.file)}"/>`)
  ]
  const body = firstBodyPage(pages)
  const guide = [
    coverImageName(book) ? `<reference type="cover" title="Cover" href="${coverPageFile}"/>` : '',
    `<reference type="toc" title="Contents" href="${navFile}"/>`,
    body ? `<reference type="text" title="Start of Reviews" href="${escapeXml(body.file)}"/>` : ''
  ].filter(Boolean)
  const indent = (lines: string[]) => lines.map((line) => `    ${line}`).join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="${escapeXml(book.language)}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
${indent(metadata)}
  </metadata>
  <manifest>
${indent(manifest)}
  </manifest>
  <spine toc="ncx">
${indent(spine)}
  </spine>
  <guide>
${indent(guide)}
  </guide>
</package>
`
}

/**
 * schema.org accessibility metadata (EPUB Accessibility 1.1), from what the book really has:
 * visual content only when it shows images, "alternativeText" only when every image has one,
 * "index" only with the generated indexes. Conformance is claimed only when the manifest
 * names who evaluated the book: a tool cannot certify itself.
 */
function accessibilityMetadata({book, pages, images}: PackageInput): string[] {
  const reviews = book.parts.flatMap((part) => part.reviews)
  const visual = images.length > 0
  const altMissing = reviews.some((review) => review.file.messages.some((message) => message.ruleId === 'missing-alt'))
  const features = [
    'structuralNavigation',
    'tableOfContents',
    'readingOrder',
    ...(visual && !altMissing ? ['alternativeText'] : []),
    ...(pages.some((page) => page.role === 'index') ? ['index'] : [])
  ]
  const summary =
    book.accessibility.summary ??
    `This book is text with headings for every review, a table of contents, landmarks${pages.some((page) => page.role === 'index') ? ', linked indexes' : ''} and footnotes linked both ways; its reading order follows the printed order.${visual ? (altMissing ? ' Some images lack a text description.' : ' Every image has a text description.') : ' It has no images beyond the cover.'} It has no known hazards (no flashing, sound or motion).`
  const lines = [
    `<meta property="schema:accessMode">textual</meta>`,
    ...(visual ? [`<meta property="schema:accessMode">visual</meta>`] : []),
    `<meta property="schema:accessModeSufficient">${visual && altMissing ? 'textual,visual' : 'textual'}</meta>`,
    ...features.map((feature) => `<meta property="schema:accessibilityFeature">${feature}</meta>`),
    `<meta property="schema:accessibilityHazard">none</meta>`,
    `<meta property="schema:accessibilitySummary">${escapeXml(summary)}</meta>`
  ]
  if (book.accessibility.certifiedBy) {
    lines.push(
      `<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>`,
      `<meta property="a11y:certifiedBy">${escapeXml(book.accessibility.certifiedBy)}</meta>`
    )
  }
  return lines
}
