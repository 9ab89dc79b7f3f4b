// Optional (`autolink: true` in volumes.yaml): a film title set in italics in one review
// (*Alien*) that is exactly the title of another review becomes a link to that review, as
// if the author had written `[*Alien*](alien-1979.md)`. Only italic titles count: matching
// plain words would link every "Her" and "Up". The candidates are the emphasis slots the
// conversion marked (compile-review.ts); this only chooses among them. Pure: returns new
// records, never mutates the shared ones (a watch session keeps them between runs).
import type {Review} from './book.js'
import type {CompiledBody} from './compile-review.js'

export function autolinkReviews(reviews: ReadonlyMap<string, Review>): Map<string, Review> {
  const byTitle = titleTargets(reviews)
  const linked = new Map<string, Review>()
  for (const [key, review] of reviews) {
    const slots = linkTitles(review.body, byTitle, review.entry.path)
    linked.set(key, slots.size === 0 ? review : {...review, linked: slots})
  }
  return linked
}

/** The same for pages (a foreword that mentions *Ran*), linking to any review. */
export function autolinkPages<Page extends {body: CompiledBody; linked?: ReadonlyMap<number, string> | undefined}>(pages: ReadonlyMap<string, Page>, reviews: ReadonlyMap<string, Review>): Map<string, Page> {
  const targets = titleTargets(reviews)
  return new Map([...pages].map(([key, page]) => [key, {...page, linked: linkTitles(page.body, targets, undefined)}]))
}

function titleTargets(reviews: ReadonlyMap<string, Review>): Map<string, string> {
  const byTitle = new Map<string, string>()
  const ambiguous = new Set<string>()
  for (const review of reviews.values()) {
    const key = review.meta.title
    if (byTitle.has(key)) ambiguous.add(key)
    byTitle.set(key, review.entry.path)
  }
  // Two reviews of films with the same title: a mention cannot say which one it means.
  for (const title of ambiguous) byTitle.delete(title)
  return byTitle
}

/** The emphasis slots (plain italic text outside links and headings) to link: each title's first mention. */
function linkTitles(body: CompiledBody, targets: ReadonlyMap<string, string>, self: string | undefined): Map<number, string> {
  const linked = new Map<number, string>()
  const done = new Set<string>()
  body.slots.forEach((slot, index) => {
    if (slot.kind !== 'emphasis') return
    const target = targets.get(slot.text)
    if (!target || target === self || done.has(target)) return
    done.add(target)
    linked.set(index, target)
  })
  return linked
}
