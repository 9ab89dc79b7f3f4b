// The generated indexes of a book: films by title (filed without leading articles), by
// director (filed by surname), by genre (the reviews' tags), by year (grouped by decade) and
// by rating. A volume has them from `indexes.from` reviews (the collection always). Every
// entry links to its review's chapter, and two reviews of one film are told apart as in the
// contents. Each index is the XHTML body of one page. Pure.
import {formatIsoDate} from '../shared/dates.js'
import {formatRating, roundRating, stars} from '../shared/ratings.js'
import {reviewDistinctions} from './labels.js'
import {escapeXml} from '../shared/xml.js'
import {nonBreakingSpaces} from '../review/typography.js'
import type {Book, Review} from '../model.js'

export type IndexKind = 'title' | 'director' | 'genre' | 'year' | 'rating'

export interface IndexPage {
  kind: IndexKind
  file: string
  title: string
  body: string
}

/** Leading articles a title is filed without: English, French, German, Spanish, Italian. */
const articles = [
  'the',
  'a',
  'an',
  'le',
  'la',
  'les',
  "l'",
  'l’',
  'un',
  'une',
  'der',
  'das',
  'ein',
  'eine',
  'el',
  'los',
  'las',
  'una',
  'il',
  'lo',
  'gli',
  'uno',
  "un'",
  'un’'
]
// Left out on purpose: German "die" and Italian "i" are English words too ("Die Hard", "I, Daniel Blake").

/**
 * The words a title is filed under: "The Third Man" → "Third Man", "L'Atalante" → "Atalante",
 * and a leading apostrophe goes as a quote does ("’Salem’s Lot" → "Salem’s Lot").
 */
export function filingTitle(title: string): string {
  const trimmed = title.trim().replace(/^[\s"'“‘’(\[¡¿]+/, '')
  const lower = trimmed.toLowerCase()
  for (const article of articles) {
    if (article.endsWith("'") || article.endsWith('’')) {
      if (lower.startsWith(article) && trimmed.length > article.length) return trimmed.slice(article.length)
    } else if (lower.startsWith(`${article} `) && trimmed.length > article.length + 1) {
      return trimmed.slice(article.length + 1).trimStart()
    }
  }
  return trimmed
}

/** A name filed by surname: the last word, keeping particles with it ("Lean, David", "von Trier, Lars"). */
export function filingName(name: string): string {
  const words = name.trim().split(/\s+/)
  if (words.length < 2) return name.trim()
  let split = words.length - 1
  while (split > 1 && /^(von|van|de|der|den|del|della|di|da|du|le|la|ten|ter)$/i.test(words[split - 1]!)) split--
  return `${words.slice(split).join(' ')}, ${words.slice(0, split).join(' ')}`
}

/** The book's tags by their lower-case form: how the first review to use each spells it, and the reviews using it in reading order. */
export function bookTags(reviews: readonly Review[], language: string): Map<string, {name: string; reviews: Review[]}> {
  const tags = new Map<string, {name: string; reviews: Review[]}>()
  // A spelling's lower-case form worked out once (a language's case mapping is not cheap), and
  // a review added to a tag once however many of its spellings share it.
  const keys = new Map<string, string>()
  for (const review of reviews) {
    const added = new Set<string>()
    for (const name of review.meta.tags) {
      const tag = name.trim()
      if (!tag) continue
      let key = keys.get(tag)
      if (key === undefined) keys.set(tag, (key = tag.toLocaleLowerCase(language)))
      if (added.has(key)) continue
      added.add(key)
      const found = tags.get(key)
      if (found) found.reviews.push(review)
      else tags.set(key, {name: tag, reviews: [review]})
    }
  }
  return tags
}

/**
 * Whether a book has a genre index: as `indexes.genre` says, else only when at least two of
 * its tags are each shared by two or more of its reviews; below that the page would list
 * each film under a heading of its own, which the contents already do better.
 */
function genreIndexWanted(book: Book, tags: ReturnType<typeof bookTags>): boolean {
  if (book.indexes.genre !== undefined) return book.indexes.genre
  return [...tags.values()].filter((tag) => tag.reviews.length >= 2).length >= 2
}

/**
 * Everything `buildIndexes` reads of a book, as one string: the book's kind, language and index
 * settings, and for each review in order its volume, file, chapter and the fields an index shows
 * or sorts by. Equal strings give equal index pages.
 */
export function indexesKey(book: Book): string {
  return JSON.stringify([
    book.kind,
    book.language,
    book.indexes,
    book.parts.map((part) => [
      part.volume.number,
      part.reviews.map(({entry, chapterFile, meta}) => [
        entry.path,
        chapterFile,
        meta.title,
        meta.sortTitle ?? null,
        meta.year ?? null,
        meta.directors,
        meta.tags,
        meta.rating ?? null,
        meta.published ? formatIsoDate(meta.published) : null
      ])
    ])
  ])
}

/**
 * A session's last index pages for each book (watch and preview rebuild often, and an edit to
 * a review's words leaves every index as it was): made again only when `indexesKey` changes.
 */
export class IndexCache {
  private readonly last = new Map<string, {key: string; pages: IndexPage[]}>()

  pagesOf(book: Book): IndexPage[] {
    const key = indexesKey(book)
    const kept = this.last.get(book.fileName)
    if (kept?.key === key) return kept.pages
    const pages = buildIndexes(book)
    this.last.set(book.fileName, {key, pages})
    return pages
  }
}

export function buildIndexes(book: Book): IndexPage[] {
  const entries = book.parts.flatMap((part) => part.reviews.map((review) => ({review, volume: part.volume.number})))
  if (entries.length === 0) return []
  if (book.kind === 'volume' && entries.length < book.indexes.from) return []
  const collator = new Intl.Collator(book.language, {sensitivity: 'base', numeric: true})
  // Each review's filing title worked out once, not at every comparison of a sort.
  const filed = new Map<Review, string>()
  const filing = (review: Review) => {
    let title = filed.get(review)
    if (title === undefined) filed.set(review, (title = filingTitle(review.meta.sortTitle ?? review.meta.title)))
    return title
  }
  // Two reviews of one film (a rewatch) follow each other by their first publication.
  const compareTitles = (a: Review, b: Review) => collator.compare(filing(a), filing(b)) || (a.meta.year ?? 0) - (b.meta.year ?? 0) || publishedOrder(a, b)
  // The book's reviews put in title order once; every later sort by title compares their places
  // there. Each list sorted below is in reading order, as the book's reviews are, so reviews
  // the titles cannot tell apart keep their reading order either way (the sorts are stable).
  const titleOrder = new Map<Review, number>()
  for (const [index, {review}] of [...entries].sort((a, b) => compareTitles(a.review, b.review)).entries())
    if (!titleOrder.has(review)) titleOrder.set(review, index)
  const byTitle = (a: Review, b: Review) => titleOrder.get(a)! - titleOrder.get(b)!
  const inCollection = book.kind === 'collection'
  const distinctions = reviewDistinctions(book)
  /** `, 14 March 2021` after a review that shares its title and year with another, as XHTML. */
  const apart = (review: Review) => {
    const distinction = distinctions.get(review.entry.path)
    return distinction ? `, ${escapeXml(distinction)}` : ''
  }
  const link = ({review, volume}: (typeof entries)[number], label = `${titleWithYear(review)}${apart(review)}`) =>
    `<a href="${escapeXml(review.chapterFile)}">${label}</a>${inCollection ? ` <span class="index-volume">Volume ${volume}</span>` : ''}`
  const pages: IndexPage[] = []
  /** `heading` is XHTML (escape text before). */
  const page = (kind: IndexKind, title: string, intro: string, groups: Array<{heading: string; items: string[]}>) => {
    const body = [
      `<section epub:type="index" role="doc-index" class="index index-${kind}" aria-labelledby="index-${kind}-title">`,
      `<h1 id="index-${kind}-title">${escapeXml(title)}</h1>`,
      intro ? `<p class="index-intro">${escapeXml(intro)}</p>` : '',
      ...groups.map((group) =>
        [
          `<section class="index-group">`,
          `<h2>${group.heading}</h2>`,
          `<ul class="index-entries">`,
          ...group.items.map((item) => `<li>${item}</li>`),
          `</ul>`,
          `</section>`
        ].join('\n')
      ),
      `</section>`
    ]
    pages.push({kind, file: `index-${kind}.xhtml`, title, body: body.filter(Boolean).join('\n')})
  }

  if (book.indexes.title) {
    const sorted = [...entries].sort((a, b) => byTitle(a.review, b.review))
    const groups = new Map<string, string[]>()
    for (const entry of sorted) {
      const first = filing(entry.review).charAt(0).toLocaleUpperCase(book.language)
      const letter = /\p{L}/u.test(first) ? first.normalize('NFD').charAt(0) : '#'
      const group = groups.get(letter)
      if (group) group.push(link(entry))
      else groups.set(letter, [link(entry)])
    }
    page(
      'title',
      'Films by Title',
      'Titles are filed without a leading “The”, “A” or “An” (or “Le”, “La”, “Der”, “El”, “Il” …).',
      [...groups].map(([heading, items]) => ({heading: escapeXml(heading), items}))
    )
  }

  if (book.indexes.director) {
    const directors = new Map<string, typeof entries>()
    for (const entry of entries)
      for (const name of entry.review.meta.directors) {
        const films = directors.get(name)
        if (films) films.push(entry)
        else directors.set(name, [entry])
      }
    if (directors.size > 0) {
      const names = [...directors.keys()].sort((a, b) => collator.compare(filingName(a), filingName(b)))
      page(
        'director',
        'Films by Director',
        '',
        names.map((name) => ({
          // Filing rejoins the name with plain spaces; its initials keep together again.
          heading: escapeXml(nonBreakingSpaces(filingName(name), book.language)),
          items: directors
            .get(name)!
            .sort((a, b) => (a.review.meta.year ?? 0) - (b.review.meta.year ?? 0) || byTitle(a.review, b.review))
            .map((entry) => link(entry))
        }))
      )
    }
  }

  const tagged = bookTags(
    entries.map((entry) => entry.review),
    book.language
  )
  if (genreIndexWanted(book, tagged)) {
    const tags = [...tagged.values()]
    if (tags.length > 0) {
      const volumeOf = new Map(entries.map((entry) => [entry.review, entry]))
      // A tag written in lower case ("science fiction") heads its group as a heading does.
      const heading = (name: string) =>
        name === name.toLocaleLowerCase(book.language) ? name.charAt(0).toLocaleUpperCase(book.language) + name.slice(1) : name
      page(
        'genre',
        'Films by Genre',
        '',
        tags
          .map((tag) => ({name: heading(tag.name), reviews: tag.reviews}))
          .sort((a, b) => collator.compare(a.name, b.name))
          .map((tag) => ({
            heading: escapeXml(tag.name),
            items: [...tag.reviews].sort(byTitle).map((review) => link(volumeOf.get(review)!))
          }))
      )
    }
  }

  if (book.indexes.year) {
    const dated = entries
      .filter((entry) => entry.review.meta.year !== undefined)
      .sort((a, b) => a.review.meta.year! - b.review.meta.year! || byTitle(a.review, b.review))
    if (dated.length > 0) {
      const decades = new Map<string, string[]>()
      for (const entry of dated) {
        const decade = `${Math.floor(entry.review.meta.year! / 10) * 10}s`
        const item = `<span class="index-year">${entry.review.meta.year}</span> ${link(entry, `<i>${escapeXml(entry.review.meta.title)}</i>${apart(entry.review)}`)}`
        const films = decades.get(decade)
        if (films) films.push(item)
        else decades.set(decade, [item])
      }
      page(
        'year',
        'Films by Year',
        '',
        [...decades].map(([heading, items]) => ({heading, items}))
      )
    }
  }

  if (book.indexes.rating) {
    const rated = entries.filter((entry) => entry.review.meta.rating !== undefined)
    if (rated.length > 0) {
      // Grouped by the rating as shown: 4.999999999 is filed with the fives, as its heading block says.
      const groups = new Map<number, typeof rated>()
      for (const entry of rated) {
        const shown = roundRating(entry.review.meta.rating!)
        const group = groups.get(shown)
        if (group) group.push(entry)
        else groups.set(shown, [entry])
      }
      page(
        'rating',
        'Films by Rating',
        '',
        [...groups.keys()]
          .sort((a, b) => b - a)
          .map((rating) => ({
            heading: `<span class="stars" aria-hidden="true">${stars(rating)}</span> ${rating === 1 ? '1 star' : `${formatRating(rating)} stars`}`,
            items: groups
              .get(rating)!
              .sort((a, b) => byTitle(a.review, b.review))
              .map((entry) => link(entry))
          }))
      )
    }
  }
  return pages
}

/** Earlier first publication first; undated after dated; otherwise as they were. */
function publishedOrder(a: Review, b: Review): number {
  const day = (review: Review) => (review.meta.published ? formatIsoDate(review.meta.published) : '~')
  return day(a) < day(b) ? -1 : day(a) > day(b) ? 1 : 0
}

function titleWithYear(review: Review): string {
  return `<i>${escapeXml(review.meta.title)}</i>${review.meta.year === undefined ? '' : ` (${review.meta.year})`}`
}
