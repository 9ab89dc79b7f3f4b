// A book's tags: its reviews' `tags`, most used first (then alphabetically), each once whatever
// its case, spelt as most reviews spell it. For `dc:subject`, the listing's keywords and the
// genre index's headings. Pure.
import type {Book} from '../model.js'

export function bookTags(book: Book, limit = 20): string[] {
  const counts = new Map<string, {count: number; spellings: Map<string, number>}>()
  for (const review of book.parts.flatMap((part) => part.reviews)) {
    for (const tag of new Set(review.meta.tags.map((t) => t.trim()).filter(Boolean))) {
      const key = tag.toLowerCase()
      const entry = counts.get(key) ?? {count: 0, spellings: new Map()}
      entry.count++
      entry.spellings.set(tag, (entry.spellings.get(tag) ?? 0) + 1)
      counts.set(key, entry)
    }
  }
  return [...counts.entries()]
    .sort(([a, x], [b, y]) => y.count - x.count || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, limit)
    .map(([, entry]) => [...entry.spellings.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]![0])
}
