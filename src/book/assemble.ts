// The book model: the manifest and the processed reviews assembled into the books to make
// (one per selected volume, plus the collection), with their metadata and chapter files.
// Renderers consume only this. Pure.
import path from 'node:path'
import {collectionFileName, isbnShown, normaliseIdentifier, uuidV5, volumeFileName} from '../shared/names.js'
import type {
  Book,
  BookSpec,
  CalendarDate,
  CoverText,
  LoadedPage,
  Manifest,
  Part,
  Review,
  ReviewImage,
  Selection,
  SeriesEntry,
  StorePrices,
  VolumeSpec
} from '../model.js'

export type {ReviewImage}

/**
 * `reviews` holds the reviews that go into books (drafts left out are absent); a volume left
 * with none is not built. `modifiedOf` dates a book from its input files (see `bookInputs`).
 */
export interface AssembleOptions {
  /** The foreword, introduction and about pages, by path. */
  pages?: ReadonlyMap<string, LoadedPage> | undefined
  /** The stylesheet and the files it brings in: every book is made from them too. */
  styleInputs?: readonly string[] | undefined
  /** A book's date (ISO 8601, seconds) from the files it is made from. */
  dateOf: (inputs: readonly string[]) => string
}

export function assembleBooks(
  manifest: Manifest,
  reviews: ReadonlyMap<string, Review>,
  selection: Selection,
  {pages = new Map(), styleInputs = [], dateOf}: AssembleOptions
): Book[] {
  const volumeOf = new Map<string, VolumeSpec>()
  for (const volume of manifest.volumes) for (const entry of volume.reviews) if (reviews.has(entry.path)) volumeOf.set(entry.path, volume)
  const ordered = [...manifest.volumes].sort((a, b) => a.number - b.number).filter((volume) => volume.reviews.some((entry) => reviews.has(entry.path)))
  const manifestPath = path.resolve(manifest.file.cwd, manifest.file.path)
  const partOf = (volume: VolumeSpec): Part => ({
    volume,
    pageFile: `volume-${String(volume.number).padStart(2, '0')}.xhtml`,
    reviews: volume.reviews.map((entry) => reviews.get(entry.path)).filter((review): review is Review => review !== undefined),
    foreword: volume.foreword && pages.get(volume.foreword.path),
    introduction: volume.introduction && pages.get(volume.introduction.path)
  })
  const common = {
    series: manifest.series,
    authors: manifest.authors,
    language: manifest.language,
    publisher: manifest.publisher,
    rights: manifest.rights,
    modified: '',
    inputs: [],
    volumeOf,
    reviewOf: reviews,
    about: manifest.about && pages.get(manifest.about.path),
    indexes: manifest.indexes,
    opening: manifest.opening,
    stores: manifest.stores,
    accessibility: manifest.accessibility,
    kdpSelect: manifest.kdpSelect,
    published: undefined
  }
  const seriesEntry = (volume: VolumeSpec): SeriesEntry => ({number: volume.number, title: volume.title, subtitle: volume.subtitle, links: volume.links})
  const describe = (spec: BookSpec) => ({
    title: spec.title,
    subtitle: spec.subtitle,
    description: spec.description ?? manifest.description,
    cover: spec.cover,
    coverPlace: spec.coverPlace,
    isbn: isbnShown(spec.identifier),
    coverText: undefined,
    subjects: spec.subjects ?? manifest.subjects,
    keywords: spec.keywords ?? manifest.keywords,
    prices: mergePrices(manifest.prices, spec.prices)
  })
  const publishedOf = (spec: BookSpec, parts: readonly Part[]): CalendarDate | undefined => spec.published ?? newest(parts.flatMap((part) => part.reviews))
  const books: Book[] = ordered
    .filter((volume) => selection.volumes.has(volume.number))
    .map((volume) => ({
      ...common,
      ...describe(volume),
      kind: 'volume' as const,
      fileName: volumeFileName(manifest.series, volume.number),
      identifier: volume.identifier ? normaliseIdentifier(volume.identifier) : `urn:uuid:${uuidV5(`build-volumes:${manifest.series}:volume:${volume.number}`)}`,
      position: volume.number,
      parts: [partOf(volume)],
      published: publishedOf(volume, [partOf(volume)]),
      otherVolumes: ordered.filter((other) => other !== volume).map(seriesEntry)
    }))
  if (manifest.collection && selection.collection) {
    books.push({
      ...common,
      ...describe(manifest.collection),
      kind: 'collection',
      fileName: collectionFileName(manifest.series),
      identifier: manifest.collection.identifier
        ? normaliseIdentifier(manifest.collection.identifier)
        : `urn:uuid:${uuidV5(`build-volumes:${manifest.series}:collection`)}`,
      position: undefined,
      parts: ordered.map(partOf),
      published: publishedOf(manifest.collection, ordered.map(partOf)),
      otherVolumes: []
    })
  }
  for (const book of books) {
    book.inputs = [
      ...new Set([
        manifestPath,
        ...(book.cover ? [book.cover] : []),
        ...styleInputs,
        ...bookSources(book).flatMap((source) => [sourcePath(source), ...source.images.map((image) => image.path)])
      ])
    ]
    book.modified = dateOf(book.inputs)
    if (!book.cover) book.coverText = coverTextOf(manifest, book, book.position)
  }
  return books
}

/** The words a drawn cover shows: from the manifest alone, so drawing can start before any review is read. */
export function coverTextOf(manifest: Manifest, spec: Pick<BookSpec, 'title' | 'subtitle'>, volume: number | undefined): CoverText {
  return {series: manifest.series, volume, title: spec.title, subtitle: spec.subtitle, author: manifest.authors.join(' & ')}
}

/** The drawn covers of the books a build may make (those the manifest gives no cover image), known before their reviews are read. */
export function expectedCoverTexts(manifest: Manifest, selection: Selection): CoverText[] {
  const texts = manifest.volumes
    .filter((volume) => selection.volumes.has(volume.number) && !volume.cover)
    .map((volume) => coverTextOf(manifest, volume, volume.number))
  if (manifest.collection && selection.collection && !manifest.collection.cover) texts.push(coverTextOf(manifest, manifest.collection, undefined))
  return texts
}

/** The series' prices with a book's own over them, marketplace by marketplace. */
function mergePrices(series: StorePrices, own: StorePrices): StorePrices {
  const merged: StorePrices = {}
  for (const store of ['kindle', 'apple', 'kobo'] as const) {
    const table = {...series[store], ...own[store]}
    if (Object.keys(table).length) merged[store] = table
  }
  return merged
}

/** The newest `published` day among the reviews. */
function newest(reviews: readonly Review[]): CalendarDate | undefined {
  let best: CalendarDate | undefined
  for (const review of reviews) {
    const date = review.meta.published
    if (date && (!best || date.year * 10000 + date.month * 100 + date.day > best.year * 10000 + best.month * 100 + best.day)) best = date
  }
  return best
}

/** What a book shows that was written in Markdown, in reading order: its pages and reviews. */
export function bookSources(book: Book): Array<Review | LoadedPage> {
  const sources = [...book.parts.flatMap((part) => [part.foreword, part.introduction, ...part.reviews]), book.about]
  return sources.filter((source): source is Review | LoadedPage => source !== undefined)
}

/** The file a review or page was read from. */
export function sourcePath(source: Review | LoadedPage): string {
  return 'entry' in source ? source.entry.path : source.spec.path
}
