// What the author earns on one sale, store by store and marketplace by marketplace, with the
// rule that decides it. Kindle (KDP) pays 70% of the list price less VAT and a delivery charge
// per megabyte, but only inside a price band per marketplace, and 35% of the price less VAT
// outside it; Apple Books pays 70% of the price less VAT at any price; Kobo Writing Life 70%
// from 2.99 in the marketplace's currency, 45% below. The figures and their sources are in
// `marketplaces` below and in the README ("Royalties"). Pure.
import type {Marketplace, Store} from '../model.js'

interface MarketplaceRule {
  /** The store front KDP sells through, for messages. */
  site: string
  currency: 'USD' | 'GBP' | 'EUR' | 'CAD'
  symbol: string
  /**
   * VAT included in the list price the author sets (KDP: EU list prices include VAT; the UK's
   * rate on e-books has been 0% since 1 May 2020; US and Canadian sales taxes are added at
   * checkout, not taken from the list price).
   */
  vat: number
  /** KDP's 70% band, list price inclusive of VAT (KDP G200634560 "eBook List Price Requirements"). */
  kindleBand: [number, number]
  /** KDP's delivery charge under the 70% option, per megabyte of the converted book (KDP G200634500). */
  deliveryPerMb: number
  /** Kobo Writing Life: 70% from this price, 45% below it. */
  koboMinimum: number
}

/**
 * The marketplaces whose rules are known well enough to compute: KDP's list-price page (US,
 * Canada and the euro band as published; the UK's £1.77 minimum since VAT left e-books in
 * 2020), the delivery table of KDP's pricing page, the EU's reduced VAT rates on e-books, and
 * Kobo's 2.99 minimum. Others (Japan, India, Brazil, Mexico: 70% only with KDP Select;
 * Australia: a band KDP's pages do not state) are refused in volumes.yaml rather than guessed.
 */
export const marketplaces: Readonly<Record<Marketplace, MarketplaceRule>> = {
  US: {site: 'Amazon.com', currency: 'USD', symbol: '$', vat: 0, kindleBand: [2.99, 9.99], deliveryPerMb: 0.15, koboMinimum: 2.99},
  UK: {site: 'Amazon.co.uk', currency: 'GBP', symbol: '£', vat: 0, kindleBand: [1.77, 9.99], deliveryPerMb: 0.1, koboMinimum: 2.99},
  CA: {site: 'Amazon.ca', currency: 'CAD', symbol: 'C$', vat: 0, kindleBand: [2.99, 9.99], deliveryPerMb: 0.15, koboMinimum: 2.99},
  DE: {site: 'Amazon.de', currency: 'EUR', symbol: '€', vat: 0.07, kindleBand: [2.69, 9.99], deliveryPerMb: 0.12, koboMinimum: 2.99},
  FR: {site: 'Amazon.fr', currency: 'EUR', symbol: '€', vat: 0.055, kindleBand: [2.69, 9.99], deliveryPerMb: 0.12, koboMinimum: 2.99},
  ES: {site: 'Amazon.es', currency: 'EUR', symbol: '€', vat: 0.04, kindleBand: [2.69, 9.99], deliveryPerMb: 0.12, koboMinimum: 2.99},
  IT: {site: 'Amazon.it', currency: 'EUR', symbol: '€', vat: 0.04, kindleBand: [2.69, 9.99], deliveryPerMb: 0.12, koboMinimum: 2.99},
  NL: {site: 'Amazon.nl', currency: 'EUR', symbol: '€', vat: 0.09, kindleBand: [2.69, 9.99], deliveryPerMb: 0.12, koboMinimum: 2.99}
}

export const marketplaceCodes = Object.keys(marketplaces) as Marketplace[]

export interface Royalty {
  store: Store
  marketplace: Marketplace
  currency: string
  /** The list price the author set (including VAT where the marketplace's prices do). */
  price: number
  /** The rate that applies. */
  rate: number
  /** Per sale, in the marketplace's currency, at the rate that applies. */
  amount: number
  /** The other option, where the store has one (KDP's 35% inside the band, 70% outside it is not offered). */
  alternative: {rate: number; amount: number} | undefined
  vat: number
  /** KDP's delivery charge at 70% (0 elsewhere, and when 35% applies). */
  delivery: number
  /** Why this rate applies, in a sentence. */
  why: string
}

/** The royalty on one sale of a book of `bytes` at `price` in `marketplace` of `store`. */
export function royalty(store: Store, marketplace: Marketplace, price: number, bytes: number): Royalty {
  const rule = marketplaces[marketplace]
  const money = (amount: number) => `${rule.symbol}${amount.toFixed(2)}`
  const net = price / (1 + rule.vat)
  const vatNote = rule.vat > 0 ? ` less ${(rule.vat * 100).toLocaleString('en-GB')}% VAT` : ''
  const base = {store, marketplace, currency: rule.currency, price, vat: roundCents(price - net)}
  if (store === 'kindle') {
    const [low, high] = rule.kindleBand
    const delivery = deliveryCost(bytes, rule.deliveryPerMb)
    const at35 = roundCents(0.35 * net)
    const at70 = Math.max(0, roundCents(0.7 * (net - delivery)))
    if (price < low - 1e-9 || price > high + 1e-9) {
      return {
        ...base,
        rate: 0.35,
        amount: at35,
        alternative: undefined,
        delivery: 0,
        why: `${money(price)} is ${price < low ? 'below' : 'above'} KDP's 70% band on ${rule.site} (${money(low)}–${money(high)}), so 35%${vatNote} applies`
      }
    }
    return {
      ...base,
      rate: 0.7,
      amount: at70,
      alternative: {rate: 0.35, amount: at35},
      delivery,
      why: `${money(price)} is inside KDP's 70% band on ${rule.site} (${money(low)}–${money(high)}): 70%${vatNote} less ${money(delivery)} delivery for ${megabytes(bytes)}${at35 > at70 ? '; the 35% option, with no delivery charge, would pay more for a book this large' : ''}`
    }
  }
  if (store === 'apple') {
    return {...base, rate: 0.7, amount: roundCents(0.7 * net), alternative: undefined, delivery: 0, why: `Apple Books pays 70%${vatNote} at any price`}
  }
  const inBand = price >= rule.koboMinimum - 1e-9
  return {
    ...base,
    rate: inBand ? 0.7 : 0.45,
    amount: roundCents((inBand ? 0.7 : 0.45) * net),
    alternative: undefined,
    delivery: 0,
    why: inBand
      ? `${money(price)} is at or above Kobo's ${money(rule.koboMinimum)} minimum for 70%${vatNote}`
      : `${money(price)} is below Kobo's ${money(rule.koboMinimum)} minimum for 70%, so 45%${vatNote} applies`
  }
}

/**
 * KDP rounds the file up to the next kilobyte and charges at least one cent or penny. It
 * measures the file it converts, which is near the EPUB's size for text; this is an estimate.
 */
export function deliveryCost(bytes: number, ratePerMb: number): number {
  const megabytes = Math.ceil(bytes / 1024) / 1024
  return Math.max(0.01, roundCents(megabytes * ratePerMb))
}

export function roundCents(amount: number): number {
  return Math.round(amount * 100 + Number.EPSILON) / 100
}

export function formatMoney(marketplace: Marketplace, amount: number): string {
  return `${marketplaces[marketplace].symbol}${amount.toFixed(2)}`
}

function megabytes(bytes: number): string {
  return `${(Math.ceil(bytes / 1024) / 1024).toFixed(2)} MB`
}
