// The numbers an author publishing on Kindle wants per book: reviews, words, reading time,
// films by decade, the spread of ratings, EPUB size, and what Amazon charges to deliver it
// under the 70% royalty option, with the royalty left at a list price. Pure.
import path from 'node:path'
import {roundRating, stars} from '../shared/ratings.js'
import type {BuildResult, Marketplace, Store} from '../model.js'
import {deliveryCost, marketplaces, royalty, type Royalty} from './royalties.js'

export {deliveryCost}

/** KDP delivery cost per megabyte under the 70% royalty option (KDP's pricing page). */
export const deliveryRates = {gbp: marketplaces.UK.deliveryPerMb, usd: marketplaces.US.deliveryPerMb, eur: marketplaces.DE.deliveryPerMb} as const
/** Words a minute an adult reads non-fiction silently (Brysbaert, 2019). */
export const wordsPerMinute = 238

export interface BookStats {
  kind: 'volume' | 'collection'
  volume: number | null
  title: string
  file: string
  reviews: number
  words: number
  readingMinutes: number
  /** Films by decade of release ("1970s"), oldest first; films with no `year` under "unknown". */
  decades: Record<string, number>
  /** `spread`: how many reviews got each rating, highest first. */
  ratings: {average: number | null; rated: number; spread: Array<{rating: number; reviews: number}>}
  bytes: number
  /** Amazon's delivery charge at the 70% option, in each marketplace's currency. */
  delivery: {gbp: number; usd: number; eur: number}
  /** On Amazon.co.uk at the price asked about (or the book's own UK Kindle price): 70% inside KDP's band, 35% outside. */
  royalty: Royalty
  /** The same as `royalty.amount`. */
  royaltyGbp: number
  /** Per store and marketplace, at the prices volumes.yaml gives. */
  royalties: Royalty[]
}

/** `priceGbp`: the UK Kindle price to show for every book; undefined uses each book's own (`stores` prices), else £4.99. */
export function computeStats(result: BuildResult, priceGbp?: number): BookStats[] {
  const sizes = new Map(result.outputs.map((output) => [path.basename(output.path), output.bytes ?? 0]))
  return result.prepared.map(({book}) => {
    const reviews = book.parts.flatMap((part) => part.reviews)
    const words = reviews.reduce((sum, review) => sum + review.words, 0)
    const decades = new Map<string, number>()
    for (const review of reviews) {
      const decade = review.meta.year === undefined ? 'unknown' : `${Math.floor(review.meta.year / 10) * 10}s`
      decades.set(decade, (decades.get(decade) ?? 0) + 1)
    }
    // Ratings as the books show them, so the spread never splits 4.999999999 from 5.
    const rated = reviews.flatMap((review) => (review.meta.rating === undefined ? [] : [roundRating(review.meta.rating)]))
    const spread = new Map<number, number>()
    for (const rating of [...rated].sort((a, b) => b - a)) spread.set(rating, (spread.get(rating) ?? 0) + 1)
    const bytes = sizes.get(book.fileName) ?? 0
    const delivery = {gbp: deliveryCost(bytes, deliveryRates.gbp), usd: deliveryCost(bytes, deliveryRates.usd), eur: deliveryCost(bytes, deliveryRates.eur)}
    const uk = royalty('kindle', 'UK', priceGbp ?? book.prices.kindle?.UK ?? 4.99, bytes)
    // `--price` asks "what if" for Amazon.co.uk: it replaces the book's own UK Kindle price everywhere.
    const prices = priceGbp === undefined ? book.prices : {...book.prices, kindle: {...book.prices.kindle, UK: priceGbp}}
    const royalties = (Object.keys(prices) as Store[]).flatMap((store) =>
      (Object.entries(prices[store] ?? {}) as Array<[Marketplace, number]>).map(([marketplace, price]) => royalty(store, marketplace, price, bytes))
    )
    return {
      kind: book.kind,
      volume: book.position ?? null,
      title: book.title,
      file: book.fileName,
      reviews: reviews.length,
      words,
      readingMinutes: Math.max(1, Math.round(words / wordsPerMinute)),
      decades: Object.fromEntries([...decades].sort(([a], [b]) => (a === 'unknown' ? 1 : b === 'unknown' ? -1 : a < b ? -1 : 1))),
      ratings: {
        average: rated.length ? Math.round((rated.reduce((sum, r) => sum + r, 0) / rated.length) * 100) / 100 : null,
        rated: rated.length,
        spread: [...spread].map(([rating, reviews]) => ({rating, reviews}))
      },
      bytes,
      delivery,
      royalty: uk,
      royaltyGbp: uk.amount,
      royalties
    }
  })
}

export function formatReadingTime(minutes: number): string {
  if (minutes < 60) return `${minutes} min`
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}

/** The statistics as text: a table of the books, then each book's decades and ratings. */
export function formatStats(stats: readonly BookStats[], paint: {bold: (text: string) => string; dim: (text: string) => string}): string {
  const money = (amount: number, symbol: string) => `${symbol}${amount.toFixed(2)}`
  const header = ['book', 'reviews', 'words', 'reading', 'size', 'delivery UK/US/EU', 'UK price', 'royalty']
  const rows = stats.map((book) => [
    book.volume === null ? 'Collection' : `Volume ${book.volume}`,
    String(book.reviews),
    book.words.toLocaleString('en-GB'),
    formatReadingTime(book.readingMinutes),
    `${(book.bytes / 1000).toFixed(1)} kB`,
    `${money(book.delivery.gbp, '£')} / ${money(book.delivery.usd, '$')} / ${money(book.delivery.eur, '€')}`,
    money(book.royalty.price, '£'),
    `${money(book.royalty.amount, '£')} (${Math.round(book.royalty.rate * 100)}%)`
  ])
  const all = [header, ...rows]
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)))
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')
  const details = stats.map((book) => {
    const decades = Object.entries(book.decades)
      .map(([decade, n]) => `${decade} ${n}`)
      .join(' · ')
    const ratings =
      book.ratings.rated === 0
        ? 'no ratings'
        : `${book.ratings.spread.map(({rating, reviews}) => `${stars(rating)} ${reviews}`).join(' · ')}  (average ${book.ratings.average})`
    const royalties = (book.royalties.length ? book.royalties : [book.royalty]).map(
      (row) =>
        `${row.store === 'kindle' ? marketplaces[row.marketplace].site : `${row.store} ${row.marketplace}`} ${marketplaces[row.marketplace].symbol}${row.price.toFixed(2)} → ${marketplaces[row.marketplace].symbol}${row.amount.toFixed(2)} (${Math.round(row.rate * 100)}%): ${row.why}`
    )
    return `${paint.bold(book.volume === null ? `Collection: ${book.title}` : `Volume ${book.volume}: ${book.title}`)}\n  decades  ${decades}\n  ratings  ${ratings}\n${royalties.map((line, index) => `  ${index === 0 ? 'royalty' : '       '}  ${line}`).join('\n')}`
  })
  const notes = paint.dim(
    `Reading time at ${wordsPerMinute} words a minute. Delivery: KDP's charge per download under the 70% royalty option (£0.10, $0.15, €0.12 per MB, 2025), estimated from the EPUB size; KDP measures the file it converts. Royalty: KDP pays 70% of the list price less VAT and delivery inside its band for the marketplace (UK £1.77–£9.99, US $2.99–$9.99), 35% less VAT outside it; Apple 70% at any price; Kobo 70% from 2.99, 45% below.`
  )
  return [paint.bold(line(header)), ...rows.map(line), '', ...details, '', notes].join('\n')
}
