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
