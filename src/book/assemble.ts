// The book model: the manifest and the processed reviews assembled into the books to make
// (one per selected volume, plus the collection), with their metadata and chapter files.
// Renderers consume only this. Pure.
import path from 'node:path'
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {collectionFileName, normaliseIdentifier, uuidV5, volumeFileName} from '../shared/names.js'
import type {Book, BookSpec, CompiledBody, CoverText, IndexSwitches, LinkTarget, LoadedPage, Manifest, Part, Review, ReviewEntry, ReviewImage, ReviewMeta, Selection, SeriesEntry, Store, StoreLinks, VolumeSpec} from '../model.js'

export type {ReviewImage}






/**
 * `reviews` holds the reviews that go into books (drafts left out are absent); a volume left
 * with none is not built. `modifiedOf` dates a book from its input files (see `bookInputs`).
 */
export function assembleBooks(manifest: Manifest, reviews: ReadonlyMap<string, Review>, selection: Selection, modifiedOf: (inputs: string[]) => string, pages: ReadonlyMap<string, LoadedPage> = new Map()): Book[] {
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
    volumeOf,
    reviewOf: reviews,
    about: manifest.about && pages.get(manifest.about.path),
    indexes: manifest.indexes,
    stores: manifest.stores,
    accessibility: manifest.accessibility
  }
  const seriesEntry = (volume: VolumeSpec): SeriesEntry => ({number: volume.number, title: volume.title, subtitle: volume.subtitle, links: volume.links})
  const describe = (spec: BookSpec) => ({title: spec.title, subtitle: spec.subtitle, description: spec.description ?? manifest.description, cover: spec.cover, coverPlace: spec.coverPlace, coverText: undefined})
  const books: Book[] = ordered
    .filter((volume) => selection.volumes === undefined || selection.volumes.includes(volume.number))
    .map((volume) => ({
      ...common,
      ...describe(volume),
      kind: 'volume' as const,
      fileName: volumeFileName(manifest.series, volume.number),
      identifier: volume.identifier ? normaliseIdentifier(volume.identifier) : `urn:uuid:${uuidV5(`build-volumes:${manifest.series}:volume:${volume.number}`)}`,
      position: volume.number,
      parts: [partOf(volume)],
      otherVolumes: ordered.filter((other) => other !== volume).map(seriesEntry)
    }))
  if (manifest.collection && selection.collection) {
    books.push({
      ...common,
      ...describe(manifest.collection),
      kind: 'collection',
      fileName: collectionFileName(manifest.series),
      identifier: manifest.collection.identifier ? normaliseIdentifier(manifest.collection.identifier) : `urn:uuid:${uuidV5(`build-volumes:${manifest.series}:collection`)}`,
      position: undefined,
      parts: ordered.map(partOf),
      otherVolumes: []
    })
  }
  for (const book of books) {
    book.modified = modifiedOf(bookInputs(book, manifestPath))
    if (!book.cover) book.coverText = {series: book.series, volume: book.position, title: book.title, subtitle: book.subtitle, author: book.authors.join(' & ')}
  }
  return books
}

/** What a book shows that was written in Markdown, in reading order: its pages and reviews. */
export function bookSources(book: Book): Array<Review | LoadedPage> {
  const sources = [...book.parts.flatMap((part) => [part.foreword, part.introduction, ...part.reviews]), book.about]
  return sources.filter((source): source is Review | LoadedPage => source !== undefined)
}

/** Every file a book is made from: the manifest, its cover, its pages and reviews and their images. */
export function bookInputs(book: Book, manifestPath: string): string[] {
  const sourcePath = (source: Review | LoadedPage) => ('entry' in source ? source.entry.path : source.spec.path)
  return [manifestPath, ...(book.cover ? [book.cover] : []), ...bookSources(book).flatMap((source) => [sourcePath(source), ...source.images.map((image) => image.path)])]
}
