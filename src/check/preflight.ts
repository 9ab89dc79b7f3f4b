// Store preflight: the rules that make KDP, Apple Books or Kobo reject or degrade a book,
// checked on each rendered book before it is written. Findings are positioned messages like
// any other (on the review, page or manifest at fault). Pure over the prepared book.
import path from 'node:path'
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {bookSources} from '../book/assemble.js'
import {report} from '../shared/diagnostics.js'
import {imageInfo} from '../shared/image-info.js'
import {escapeXml} from '../shared/xml.js'
import type {Book, CompiledBody, PreparedBook, Store} from '../model.js'
import {storeNames} from '../shared/stores.js'
import {publishedElsewhere} from '../book/kdp-select.js'

/** Store limits, with their sources in the README's store rules table. */
export const limits = {
  /** Apple Books: interior images at most 4 million pixels. */
  imagePixels: 4_000_000,
  /** KDP: at most 5 MB per image. */
  imageBytes: 5_000_000,
  /** Kobo: at most 10 MB per XHTML file (recommended). */
  documentBytes: 10_000_000,
  /** Whole-book upload limits. */
  bookBytes: {kindle: 650_000_000, apple: 2_000_000_000, kobo: 100_000_000} satisfies Record<Store, number>,
  cover: {minWidth: 625, minHeight: 1000, idealWidth: 1600, idealHeight: 2560, maxSide: 10_000, ratio: 1.6, maxBytes: 50_000_000}
}

/** Hosts of e-book stores: a book sold in one store must not send readers to another. */
const storeHosts: Array<[Store | 'other', RegExp]> = [
  ['kindle', /(^|\.)amazon\.[a-z.]+$|(^|\.)amzn\.(to|eu|com)$/],
  ['apple', /^(books|itunes)\.apple\.com$|(^|\.)apple\.co$/],
  ['kobo', /(^|\.)kobo\.com$/],
  ['other', /^play\.google\.com$|(^|\.)barnesandnoble\.com$|(^|\.)smashwords\.com$|(^|\.)scribd\.com$/]
]

export function storeOfLink(href: string): Store | 'other' | undefined {
  let host: string
  try {
    host = new URL(href).hostname.toLowerCase()
  } catch {
    return undefined
  }
  if (host === 'play.google.com' && !/\/store\/books/.test(href)) return undefined
  return storeHosts.find(([, pattern]) => pattern.test(host))?.[0]
}

export interface PreflightInput {
  prepared: PreparedBook
  /** Images already checked this run (one image in a volume and the collection is reported once). */
  checkedImages: Set<string>
  /** EPUB size in bytes, when it was packed. */
  bytes: number | undefined
  manifestFile: VFile
  /** Where the book is declared in the manifest (a volume's number, or the collection). */
  place: Position | undefined
  /** Each converted review's count of notes not linked both ways, kept by the session. */
  notes: WeakMap<CompiledBody, number>
  /** The author's site addresses (`site:`): a review dated there was published there. */
  sites: readonly string[]
  /** Where `stores` is in the manifest. */
  storesPlace: Position | undefined
}

export function preflight({prepared, bytes, manifestFile, place, checkedImages, notes, sites, storesPlace}: PreflightInput): void {
  const {book} = prepared
  checkStoreLinks(book)
  checkKdpSelect(book, sites, manifestFile, storesPlace ?? place)
  checkImages(prepared, checkedImages)
  checkDocuments(prepared, manifestFile, place, notes)
  if (bytes !== undefined) checkBookSize(book, bytes, manifestFile, place)
}

/** Links to another store's pages, in a book bound for a store (KDP's and Apple's content rules). */
function checkStoreLinks(book: Book): void {
  if (book.stores.length === 0) return
  for (const source of bookSources(book)) {
    for (const {href, place} of source.body.links) {
      const store = storeOfLink(href)
      if (!store) continue
      const rivals = book.stores.filter((target) => target !== store)
      if (rivals.length === 0) continue
      report(source.file, {
        reason: `A link to ${store === 'other' ? 'another e-book store' : storeNames[store].author} (\`${href}\`) in a book for ${rivals.map((target) => storeNames[target].author).join(' and ')}; stores reject books that send readers to a competitor`,
        ruleId: 'store-link',
        severity: 'warning',
        place,
        note: 'Link to your own site instead, or give store links per volume in volumes.yaml (`links:`), which each book shows only for its stores.'
      })
    }
  }
}

function checkImages(prepared: PreparedBook, seen: Set<string>): void {
  const {book, images} = prepared
  for (const source of bookSources(book)) {
    for (const image of source.images) {
      if (seen.has(image.name)) continue
      seen.add(image.name)
      const bytes = images.get(image.name)
      if (!bytes) continue
      const info = imageInfo(bytes)
      const name = path.basename(image.path)
      if (info?.width && info.height && info.width * info.height > limits.imagePixels) {
        report(source.file, {
          reason: `Image \`${name}\` is ${info.width}×${info.height} (${((info.width * info.height) / 1e6).toFixed(1)} million pixels); Apple Books takes at most 4 million pixels per image`,
          ruleId: 'image-size',
          severity: 'warning',
          place: image.place,
          note: `Scale it down, e.g. to ${Math.floor(info.width * Math.sqrt(limits.imagePixels / (info.width * info.height)))} pixels wide.`
        })
      }
      if (bytes.byteLength > limits.imageBytes) {
        report(source.file, {
          reason: `Image \`${name}\` is ${(bytes.byteLength / 1e6).toFixed(1)} MB; KDP takes at most 5 MB per image`,
          ruleId: 'image-size',
          severity: 'warning',
          place: image.place,
          note: 'Save it as a JPEG at a lower quality, or scale it down.'
        })
      }
      if (info?.colour === 'cmyk') {
        report(source.file, {
          reason: `Image \`${name}\` is CMYK; e-readers and every store expect RGB`,
          ruleId: 'image-size',
          severity: 'warning',
          place: image.place,
          note: 'Convert it to RGB (sRGB) in an image editor.'
        })
      }
    }
  }
}

/** Note references without a two-way link, in one document's body. */
function unlinkedNotes(body: string): number {
  let count = 0
  for (const match of body.matchAll(/<a [^>]*epub:type="noteref"[^>]*>/g)) {
    const href = /href="#([^"]+)"/.exec(match[0])?.[1]
    const id = /id="([^"]+)"/.exec(match[0])?.[1]
    if (!href || !id || !body.includes(`id="${href}"`) || !body.includes(`href="#${id}"`)) count++
  }
  return count
}

/** Every document within Kobo's per-file limit; notes linked both ways (KDP); the series on the title page (KDP). */
function checkDocuments(prepared: PreparedBook, manifestFile: VFile, place: Position | undefined, notesChecked: WeakMap<CompiledBody, number>): void {
  const {book, pages} = prepared
  const reviewBodies = new Map(book.parts.flatMap((part) => part.reviews).map((review) => [review.chapterFile, review.body]))
  for (const page of pages) {
    const size = Buffer.byteLength(page.xhtml)
    if (size > limits.documentBytes) {
      report(manifestFile, {
        reason: `\`${page.file}\` in ${book.fileName} is ${(size / 1e6).toFixed(1)} MB; Kobo asks for at most 10 MB per document`,
        ruleId: 'book-size',
        severity: 'warning',
        place,
        note: 'Split the review, or move long material into its own review.'
      })
    }
    // KDP: a note reference must lead to its note and the note back to the reference. A
    // review's notes are made once, in its converted body (a book only fills in links between
    // reviews), so each converted review is checked once for every book and rebuild.
    const body = reviewBodies.get(page.file)
    let unlinked = body ? notesChecked.get(body) : undefined
    if (unlinked === undefined) {
      unlinked = unlinkedNotes(body ? body.html : page.body)
      if (body) notesChecked.set(body, unlinked)
    }
    for (let n = 0; n < unlinked; n++) {
      report(manifestFile, {
        reason: `A note reference in \`${page.file}\` of ${book.fileName} is not linked both ways to its note; KDP asks for notes that link back`,
        ruleId: 'store-footnote',
        severity: 'warning',
        place
      })
    }
  }
  const series = pages.find((page) => page.role === 'titlepage')
  if (book.kind === 'volume' && series && !(series.body.includes(`Volume ${book.position}`) && series.body.includes(escapeXml(book.series)))) {
    report(manifestFile, {
      reason: `The title page of ${book.fileName} does not show the series name and number; KDP asks for both inside the book`,
      ruleId: 'store-series',
      severity: 'warning',
      place
    })
  }
}

/**
 * KDP Select: while a book is enrolled its digital content must be exclusive to Amazon
 * ("During the 90-day enrollment period, the Kindle eBook can only be distributed through KDP",
 * KDP help GD9PMU58BV24QFZ7). Reviews still free on the web break that; say how many.
 */
function checkKdpSelect(book: Book, sites: readonly string[], manifestFile: VFile, place: Position | undefined): void {
  if (!book.stores.includes('kindle') || book.kdpSelect === false) return
  const reviews = book.parts.flatMap((part) => part.reviews)
  const elsewhere = reviews.filter((review) => publishedElsewhere(review, sites))
  if (elsewhere.length === 0) return
  const name = book.kind === 'collection' ? 'The collection' : `Volume ${book.position}`
  report(manifestFile, {
    reason: `${name}: ${elsewhere.length === reviews.length ? (reviews.length === 1 ? 'its review was' : `all ${reviews.length} of its reviews were`) : `${elsewhere.length} of its ${reviews.length} reviews were`} first published on the web (${elsewhere[0]!.meta.source ? `\`${elsewhere[0]!.meta.source}\`` : 'dated, on your `site`'}${elsewhere.length > 1 ? ', …' : ''}); KDP Select requires an enrolled book's digital content to be exclusive to Amazon`,
    ruleId: 'kdp-select',
    severity: 'warning',
    place,
    note: 'Before enrolling in KDP Select, take those reviews off the web (or behind a login). If the books will not be enrolled, say so and this warning goes: `stores: {kindle: {select: false}}`.'
  })
}

function checkBookSize(book: Book, bytes: number, manifestFile: VFile, place: Position | undefined): void {
  for (const store of book.stores) {
    const limit = limits.bookBytes[store]
    if (bytes > limit) {
      report(manifestFile, {
        reason: `${book.fileName} is ${(bytes / 1e6).toFixed(1)} MB; ${storeNames[store].author} takes books up to ${limit / 1e6} MB`,
        ruleId: 'book-size',
        severity: 'error',
        place,
        note: 'Make the images smaller, or split the book.'
      })
    }
  }
}

/** A cover named in the manifest, against the stores' cover rules; every finding gives the numbers. */
export function checkCover(bytes: Uint8Array, name: string, manifestFile: VFile, place: Position | undefined): void {
  const info = imageInfo(bytes)
  const {cover} = limits
  const warn = (reason: string, note?: string) =>
    report(manifestFile, {reason: `Cover \`${name}\`: ${reason}`, ruleId: 'cover-size', severity: 'warning', place, note})
  if (!info || (info.format !== 'png' && info.format !== 'jpeg')) {
    warn('is not a JPEG or PNG, which every store takes')
    return
  }
  if (bytes.byteLength > cover.maxBytes) warn(`is ${(bytes.byteLength / 1e6).toFixed(1)} MB; KDP takes covers up to 50 MB`)
  if (info.colour === 'cmyk' || info.colour === 'grey')
    warn(`is ${info.colour === 'cmyk' ? 'CMYK' : 'greyscale'}; stores expect an RGB cover`, 'Convert it to RGB (sRGB).')
  if (!info.width || !info.height) return
  const size = `${info.width}×${info.height}`
  if (info.width > cover.maxSide || info.height > cover.maxSide) {
    warn(
      `is ${size} (${((info.width * info.height) / 1e6).toLocaleString('en-GB', {maximumFractionDigits: 1})} million pixels); KDP takes covers up to 10,000×10,000 pixels`,
      'Scale it down to 1600×2560, the size KDP recommends.'
    )
  } else if (info.width < cover.minWidth || info.height < cover.minHeight) {
    warn(`is ${size}; KDP needs at least 625×1000 pixels (ideally 1600×2560)`)
  } else if (info.width < cover.idealWidth || info.height < cover.idealHeight) {
    warn(`is ${size}; KDP's ideal is 1600×2560, and it reminds you below that`)
  }
  const ratio = info.height / info.width
  if (Math.abs(ratio - cover.ratio) / cover.ratio > 0.1) {
    warn(`has a height:width ratio of ${ratio.toFixed(2)}:1; KDP's is 1.6:1 (e.g. 1600×2560)`, 'A cover far from 1.6:1 is shown with bars or cropped.')
  }
}
