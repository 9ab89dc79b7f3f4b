// A rating (0 to 5) as a reader sees it: rounded once, to one decimal place, then written
// as five star glyphs and as a number. The heading block, the rating index and `stats` all
// go through here, so one rating never reads as two (★★★★½ beside "Rated 5 out of 5"). Pure.

/** The rating as shown: one decimal place, halves up (4.75 → 4.8, 4.999999999 → 5). */
export function roundRating(rating: number): number {
  // Through toPrecision first: 4.35 × 10 is 43.49999999999999 in binary, which would round down.
  return Math.round(Number((rating * 10).toPrecision(12))) / 10
}

/** Five glyphs: ★ for each whole star of the shown rating, ½ for a half or more, ☆ for the rest. */
export function stars(rating: number): string {
  const shown = roundRating(rating)
  const whole = Math.floor(shown)
  const half = shown - whole >= 0.5
  return '★'.repeat(whole) + (half ? '½' : '') + '☆'.repeat(5 - whole - (half ? 1 : 0))
}

/** The shown rating as text: "4.5", "5", "0.3". */
export function formatRating(rating: number): string {
  return String(roundRating(rating))
}

import type {RatingScale} from '../model.js'

export type {RatingScale}

/**
 * Letter grades on our 0–5 scale: the grade points (A+ 4.3 … F 0) times 5/4.3, to the nearest
 * half star, so a grade reads as the stars a reader expects (A− ★★★★½, B ★★★½, C ★★½).
 */
export const letterGrades: Readonly<Record<string, number>> = {
  'A+': 5,
  A: 4.5,
  'A-': 4.5,
  'B+': 4,
  B: 3.5,
  'B-': 3,
  'C+': 2.5,
  C: 2.5,
  'C-': 2,
  'D+': 1.5,
  D: 1,
  'D-': 1,
  F: 0
}

/**
 * A rating as an archive writes it, on our 0–5 scale: a number on `scale`; a letter grade
 * (`A+` … `F`, `B−` with a real minus too); stars (`★★★½`, `★★★☆☆`, `***1/2`); a fraction
 * that says its own scale (`7/10`, `85/100`, `3.5/5`, `4 out of 5`). Undefined when it is none
 * of these or falls outside its scale.
 */
export function parseRating(value: string | number, scale: RatingScale = 5): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 && value <= scale ? (value * 5) / scale : undefined
  const text = value
    .trim()
    .replace(/[\u2212\u2013\u2012]/g, '-')
    .replace(/\s+/g, ' ')
  if (text === '') return undefined
  if (Object.hasOwn(letterGrades, text.toUpperCase())) return letterGrades[text.toUpperCase()]
  const stars = /^([★*]*)\s*(½|1\/2|\.5)?\s*(☆*)$/.exec(text)
  if (stars && (stars[1] || stars[2])) {
    const rating = stars[1]!.length + (stars[2] ? 0.5 : 0)
    // `★★★☆☆` says its scale: the filled and empty stars together make five.
    if (stars[3] && stars[1]!.length + (stars[2] ? 1 : 0) + stars[3].length !== 5) return undefined
    return rating <= 5 ? rating : undefined
  }
  const fraction = /^(\d+(?:\.\d+)?)\s*(?:\/|out of|of)\s*(\d+)$/i.exec(text)
  if (fraction) {
    const [got, outOf] = [Number(fraction[1]), Number(fraction[2])]
    return outOf > 0 && got <= outOf ? (got * 5) / outOf : undefined
  }
  if (/^\d+(?:\.\d+)?$/.test(text)) return parseRating(Number(text), scale)
  return undefined
}
