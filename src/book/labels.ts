// How a book names its reviews in the contents (nav, NCX) and the indexes: title and year,
// and where two reviews in one book would read the same (a rewatch of one film), what tells
// them apart: the day each was first published, or else its place, "second review". Pure.
import {formatLongDate} from '../shared/dates.js'
import type {Book, Review} from '../model.js'

const ordinals = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth']

/**
 * For each review (by path) that shares its title and year with another in this book: the
 * words that set it apart. Dates when each has its own; otherwise, in reading order,
 * "first review", "second review" …, as a date alone would still leave two the same.
 */
export function reviewDistinctions(book: Book): Map<string, string> {
  const groups = new Map<string, Review[]>()
  for (const part of book.parts) {
    for (const review of part.reviews) {
      // JSON keeps the title and the year apart ("A (1)" and "A" with year 1 never meet).
      const key = JSON.stringify([review.meta.title, review.meta.year ?? null])
      const group = groups.get(key)
      if (group) group.push(review)
      else groups.set(key, [review])
    }
  }
  const distinctions = new Map<string, string>()
  for (const reviews of groups.values()) {
    if (reviews.length < 2) continue
    const dates = reviews.map((review) => (review.meta.published ? formatLongDate(review.meta.published, book.language) : undefined))
    const byDate = dates.every((date) => date !== undefined) && new Set(dates).size === dates.length
    reviews.forEach((review, index) => {
      distinctions.set(review.entry.path, byDate ? dates[index]! : index < ordinals.length ? `${ordinals[index]} review` : `review ${index + 1}`)
    })
  }
  return distinctions
}

/** "Her (2013)", or "Her (2013), 14 March 2021" beside a rewatch: the contents' label. */
export function reviewLabel(review: Review, distinctions: ReadonlyMap<string, string>): string {
  const distinction = distinctions.get(review.entry.path)
  return `${review.meta.title}${review.meta.year === undefined ? '' : ` (${review.meta.year})`}${distinction ? `, ${distinction}` : ''}`
}
