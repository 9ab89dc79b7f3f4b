// A book's listing sheet: everything KDP's "Kindle eBook Details" and "Pricing" pages ask for,
// taken from the book itself so it cannot disagree with it (title, subtitle, series name and
// number, author, language, date, identifier), plus a description in KDP's HTML subset, seven
// keywords, suggested BISAC categories, the reviews inside, the bundle wording a collection
// needs, and the royalty per store and marketplace. As data (the JSON sheet) and as Markdown
// to read. The problems it finds are returned, for the caller to report. Pure.
import {marketplaces, royalty, type Royalty} from '../../book/royalties.js'
import {bookTags} from '../../book/tags.js'
import {publishedElsewhere} from '../../book/kdp-select.js'
import {wordsPerMinute} from '../../book/stats.js'
import {bisacHeadings, genreSubject} from '../../shared/bisac.js'
import {formatIsoDate} from '../../shared/dates.js'
import {escapeXml} from '../../shared/xml.js'
import {joinNames} from '../../shared/names.js'
import {storeNames} from '../../shared/stores.js'
import type {Book, Marketplace, Review, Store} from '../../model.js'

/** KDP's limits: a description of 4,000 characters (tags count), 7 keywords of 50 characters, 3 categories. */
export const kdpLimits = {description: 4000, keywords: 7, keywordLength: 50, categories: 3}

export interface ListingSheet {
  book: string
  kind: 'volume' | 'collection'
  title: string
  subtitle: string | null
  series: {name: string; number: number | null}
  authors: string[]
  language: string
  publicationDate: string | null
  identifier: {value: string; scheme: 'isbn' | 'uuid' | 'other'}
  description: {text: string; html: string; characters: number}
  keywords: string[]
  categories: Array<{code: string; heading: string; why: string}>
  words: number
  readingMinutes: number
  reviews: Array<{title: string; year: number | null; directors: string[]; rating: number | null}>
  bundle: {volumes: Array<{number: number; title: string; reviews: number}>; wording: string} | null
  cover: {file: string; width: number; height: number} | null
  bytes: number
  royalties: Royalty[]
  kdpSelect: {publishedElsewhere: number; reviews: number; enrolled: boolean | null}
}

export interface ListingProblem {
  ruleId: 'kdp-listing'
  /** What is wrong, and where in volumes.yaml (`description`, `keywords`, `title`). */
  about: 'description' | 'keywords' | 'title'
  reason: string
  note: string
}

export interface ListingInput {
  book: Book
  /** The EPUB's size in bytes (delivery costs are per megabyte). */
  bytes: number
  cover: {file: string; width: number; height: number} | undefined
  /** The author's site addresses (a dated review there was published there). */
  sites: readonly string[]
}

const bundleWords = /\b(collection|compilation|series|box(?:ed)? set|bundle|omnibus|books? \d+\s*[–-]\s*\d+|volumes? \d+\s*[–-]\s*\d+)\b/i

export function listingSheet({book, bytes, cover, sites}: ListingInput): {sheet: ListingSheet; problems: ListingProblem[]} {
  const problems: ListingProblem[] = []
  const reviews = book.parts.flatMap((part) => part.reviews)
  const words = reviews.reduce((sum, review) => sum + review.words, 0)
  const identifier = book.identifier.startsWith('urn:isbn:')
    ? {value: book.identifier.slice('urn:isbn:'.length), scheme: 'isbn' as const}
    : book.identifier.startsWith('urn:uuid:')
      ? {value: book.identifier, scheme: 'uuid' as const}
      : {value: book.identifier, scheme: 'other' as const}
  const bundle =
    book.kind === 'collection'
      ? {
          volumes: book.parts.map((part) => ({number: part.volume.number, title: part.volume.title, reviews: part.reviews.length})),
          wording:
            book.parts.length > 1
              ? `${book.parts.length} books in one: ${book.series}, Volumes ${book.parts[0]!.volume.number}–${book.parts.at(-1)!.volume.number}`
              : `${book.series}: the collected volume`
        }
      : null
  if (bundle && !bundleWords.test(`${book.title} ${book.subtitle ?? ''}`)) {
    problems.push({
      ruleId: 'kdp-listing',
      about: 'title',
      reason: `The collection's title “${book.title}” does not say it holds several books, which KDP requires of a bundle`,
      note: `Put "Collection", "Box Set" or the volumes it holds in its title or subtitle, such as \`subtitle: "${bundle.wording.split(': ')[1]}"\`.`
    })
  }
  const description = describe(book, reviews, bundle)
  if (!book.description) {
    problems.push({
      ruleId: 'kdp-listing',
      about: 'description',
      reason: `${label(book)} has no \`description\`, the text KDP shows on its page`,
      note: 'Give the series a `description:` in volumes.yaml, or the book its own.'
    })
  } else if (description.html.length > kdpLimits.description) {
    problems.push({
      ruleId: 'kdp-listing',
      about: 'description',
      reason: `${label(book)}'s description is ${description.html.length.toLocaleString('en-GB')} characters in KDP's HTML, over its limit of ${kdpLimits.description.toLocaleString('en-GB')}`,
      note: 'Shorten `description:`; KDP counts the HTML tags too.'
    })
  }
  const keywords = book.keywords ?? suggestedKeywords(book, reviews)
  if (book.keywords && book.keywords.length > kdpLimits.keywords)
    problems.push({
      ruleId: 'kdp-listing',
      about: 'keywords',
      reason: `${label(book)} names ${book.keywords.length} keywords; KDP takes ${kdpLimits.keywords}`,
      note: `Keep the ${kdpLimits.keywords} that readers search for most.`
    })
  for (const keyword of book.keywords ?? [])
    if (keyword.length > kdpLimits.keywordLength)
      problems.push({
        ruleId: 'kdp-listing',
        about: 'keywords',
        reason: `The keyword “${keyword}” is ${keyword.length} characters; KDP's keyword boxes take ${kdpLimits.keywordLength}`,
        note: 'Shorten it, or split it into two keywords.'
      })
  const prices = book.prices
  const royalties = (Object.keys(prices) as Store[])
    .filter((store) => book.stores.includes(store))
    .flatMap((store) =>
      (Object.entries(prices[store] ?? {}) as Array<[Marketplace, number]>).map(([marketplace, price]) => royalty(store, marketplace, price, bytes))
    )
  const elsewhere = reviews.filter((review) => publishedElsewhere(review, sites)).length
  const sheet: ListingSheet = {
    book: book.fileName,
    kind: book.kind,
    title: book.title,
    subtitle: book.subtitle ?? null,
    series: {name: book.series, number: book.position ?? null},
    authors: book.authors,
    language: book.language,
    publicationDate: book.published ? formatIsoDate(book.published) : null,
    identifier,
    description: {text: description.text, html: description.html, characters: description.html.length},
    keywords: keywords.slice(0, kdpLimits.keywords),
    categories: categories(book, reviews),
    words,
    readingMinutes: Math.max(1, Math.round(words / wordsPerMinute)),
    reviews: reviews.map((review) => ({
      title: review.meta.title,
      year: review.meta.year ?? null,
      directors: review.meta.directors,
      rating: review.meta.rating ?? null
    })),
    bundle,
    cover: cover ?? null,
    bytes,
    royalties,
    kdpSelect: {publishedElsewhere: elsewhere, reviews: reviews.length, enrolled: book.kdpSelect ?? null}
  }
  return {sheet, problems}
}

function label(book: Book): string {
  return book.kind === 'collection' ? 'The collection' : `Volume ${book.position}`
}

/** The description as plain text and in KDP's HTML subset (p, b, i, ul, ol, li), with the reviews (or volumes) inside, within KDP's limit. */
function describe(book: Book, reviews: readonly Review[], bundle: ListingSheet['bundle']): {text: string; html: string} {
  const paragraphs = (book.description ?? '')
    .split(/\n\s*\n|\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
  const items = bundle
    ? bundle.volumes.map((volume) => `Volume ${volume.number}: ${volume.title} (${volume.reviews} ${volume.reviews === 1 ? 'review' : 'reviews'})`)
    : reviews.map(
        (review) =>
          `${review.meta.title}${review.meta.year ? ` (${review.meta.year})` : ''}${review.meta.directors.length ? `, ${joinNames(review.meta.directors, book.language)}` : ''}`
      )
  // In the HTML, a film's title is in italics, as in the book.
  const itemsHtml = bundle
    ? items.map(escapeXml)
    : reviews.map((review, index) => escapeXml(items[index]!).replace(escapeXml(review.meta.title), `<i>${escapeXml(review.meta.title)}</i>`))
  const lead = bundle ? `This collection holds all ${bundle.volumes.length} volumes of ${book.series}:` : `The films reviewed in this volume:`
  const head = paragraphs.map((paragraph) => `<p>${escapeXml(paragraph)}</p>`).join('')
  const tag = bundle ? 'ol' : 'ul'
  let shown = items.length
  let html = ''
  for (;;) {
    const list = itemsHtml
      .slice(0, shown)
      .map((item) => `<li>${item}</li>`)
      .join('')
    const more = shown < items.length ? `<p>…and ${items.length - shown} more.</p>` : ''
    html = `${head}<p><b>${escapeXml(lead)}</b></p><${tag}>${list}</${tag}>${more}`
    if (html.length <= kdpLimits.description || shown === 0) break
    shown--
  }
  const text = [...paragraphs, '', lead, ...items.map((item, index) => (bundle ? `${index + 1}. ${item}` : `• ${item}`))].join('\n')
  return {text, html}
}

/** Up to seven keywords from the reviews, most used first: tags, directors, decades ("1970s films"). */
export function suggestedKeywords(book: Book, reviews: readonly Review[]): string[] {
  const counted = new Map<string, {keyword: string; count: number; order: number}>()
  const add = (keyword: string, order: number) => {
    const key = keyword.toLowerCase()
    const entry = counted.get(key)
    if (entry) entry.count++
    else counted.set(key, {keyword, count: 1, order})
  }
  const tags = bookTags(book, Infinity)
  for (const review of reviews) {
    const own = new Set(review.meta.tags.map((tag) => tag.toLowerCase()))
    for (const tag of tags) if (own.has(tag.toLowerCase())) add(tag, 0)
    for (const director of new Set(review.meta.directors)) add(director, 1)
    if (review.meta.year !== undefined) add(`${Math.floor(review.meta.year / 10) * 10}s films`, 2)
  }
  const inTitle = `${book.title} ${book.subtitle ?? ''} ${book.series}`.toLowerCase()
  return [...counted.values()]
    .filter(({keyword}) => keyword.length <= kdpLimits.keywordLength && !inTitle.includes(keyword.toLowerCase()))
    .sort((a, b) => b.count - a.count || a.order - b.order || (a.keyword < b.keyword ? -1 : 1))
    .slice(0, kdpLimits.keywords)
    .map(({keyword}) => keyword)
}

/** BISAC categories: the book's own `subjects`, else Film / Guides & Reviews and History & Criticism, then genres most of its tags support. */
function categories(book: Book, reviews: readonly Review[]): ListingSheet['categories'] {
  const chosen: ListingSheet['categories'] = book.subjects.map((code) => ({
    code,
    heading: bisacHeadings[code] ?? code,
    why: 'named in volumes.yaml under `subjects`'
  }))
  const add = (code: string, why: string) => {
    if (chosen.length < kdpLimits.categories && !chosen.some((category) => category.code === code)) chosen.push({code, heading: bisacHeadings[code]!, why})
  }
  add('PER004020', 'a book of film reviews')
  const genres = new Map<string, number>()
  for (const review of reviews) {
    const codes = new Set(review.meta.tags.map(genreSubject).filter((code): code is string => code !== undefined))
    for (const code of codes) genres.set(code, (genres.get(code) ?? 0) + 1)
  }
  for (const [code, count] of [...genres].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)))
    if (count >= 2 && count * 4 >= reviews.length) add(code, `${count} of its ${reviews.length} reviews are tagged with it`)
  add('PER004030', 'reviews that are also criticism')
  return chosen
}

/** The sheet as Markdown, for the author to copy field by field into KDP. */
export function listingMarkdown(sheet: ListingSheet): string {
  const lines: string[] = []
  const field = (name: string, value: string) => lines.push(`- **${name}:** ${value}`)
  lines.push(`# ${sheet.title}`, '', `The listing for \`${sheet.book}\`, field by field as KDP asks for it; every value is the book's own.`, '')
  lines.push('## Kindle eBook details', '')
  field('Language', sheet.language)
  field('Book title', sheet.title)
  field('Subtitle', sheet.subtitle ?? '(none)')
  field(
    'Series',
    `${sheet.series.name}${sheet.series.number === null ? ' (the collection: give it a number after the volumes, or leave it out of the series)' : `, number ${sheet.series.number}`}`
  )
  field('Author', sheet.authors.join(' & '))
  field('Publication date', sheet.publicationDate ?? '(none: give the book a `published` date in volumes.yaml)')
  field(
    'Identifier',
    sheet.identifier.scheme === 'isbn'
      ? `ISBN ${sheet.identifier.value}`
      : `${sheet.identifier.value} (no ISBN: KDP gives the book an ASIN, and an e-book needs no ISBN there)`
  )
  lines.push('', '### Description', '', 'Plain text:', '', '```text', sheet.description.text, '```', '')
  lines.push(
    `KDP's HTML (${sheet.description.characters.toLocaleString('en-GB')} of ${kdpLimits.description.toLocaleString('en-GB')} characters):`,
    '',
    '```html',
    sheet.description.html,
    '```',
    ''
  )
  lines.push('### Keywords', '', ...sheet.keywords.map((keyword, index) => `${index + 1}. ${keyword}`), '')
  lines.push(
    '### Categories',
    '',
    'KDP asks for up to three Amazon categories; these BISAC subjects are the nearest, and Apple and Kobo take them as they are.',
    ''
  )
  lines.push(...sheet.categories.map((category) => `- \`${category.code}\` ${category.heading} (${category.why})`), '')
  if (sheet.bundle) {
    lines.push(
      '### A bundle',
      '',
      `KDP requires a collection's title or subtitle to say it holds several books, and its description to name them. Suggested wording: “${sheet.bundle.wording}”.`,
      ''
    )
  }
  lines.push('## The book', '')
  field('Words', `${sheet.words.toLocaleString('en-GB')} (about ${sheet.readingMinutes} minutes at ${wordsPerMinute} words a minute)`)
  field('EPUB', `${(sheet.bytes / 1e6).toFixed(2)} MB`)
  field('Marketing cover', sheet.cover ? `\`${sheet.cover.file}\`, ${sheet.cover.width} × ${sheet.cover.height} px` : '(none)')
  lines.push('', '### Reviews', '')
  lines.push(
    ...sheet.reviews.map(
      (review) => `- ${review.title}${review.year ? ` (${review.year})` : ''}${review.directors.length ? `, ${review.directors.join(' & ')}` : ''}`
    ),
    ''
  )
  lines.push('## Royalties', '')
  if (sheet.royalties.length === 0)
    lines.push('No prices given: add them under `stores:` in volumes.yaml (for example `kindle: {prices: {UK: 4.99, US: 5.99}}`).', '')
  else {
    lines.push('| store | marketplace | list price | royalty | per sale | why |', '| --- | --- | ---: | ---: | ---: | --- |')
    for (const row of sheet.royalties) {
      const symbol = marketplaces[row.marketplace].symbol
      const other = row.alternative ? ` (35% option: ${symbol}${row.alternative.amount.toFixed(2)})` : ''
      lines.push(
        `| ${storeNames[row.store].author} | ${row.store === 'kindle' ? marketplaces[row.marketplace].site : `${row.marketplace} (${row.currency})`} | ${symbol}${row.price.toFixed(2)} | ${Math.round(row.rate * 100)}% | ${symbol}${row.amount.toFixed(2)}${other} | ${row.why} |`
      )
    }
    lines.push('')
  }
  lines.push('## KDP Select', '')
  if (sheet.kdpSelect.publishedElsewhere === 0) lines.push('None of its reviews says it was published elsewhere.', '')
  else
    lines.push(
      `${sheet.kdpSelect.publishedElsewhere} of its ${sheet.kdpSelect.reviews} reviews were first published on the web. While a book is enrolled in KDP Select its digital content must be exclusive to Amazon: take those reviews down (or keep it out of Select).${sheet.kdpSelect.enrolled === false ? ' volumes.yaml says it will not be enrolled.' : ''}`,
      ''
    )
  return `${lines.join('\n').trimEnd()}\n`
}
