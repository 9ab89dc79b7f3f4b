// Optional (`autolink: true` in volumes.yaml): a film title set in italics in one review
// (*Alien*) that is exactly the title of another review becomes a link to that review, as
// if the author had written `[*Alien*](alien-1979.md)`. Only italic titles count: matching
// plain words would link every "Her" and "Up". The candidates are the emphasis slots the
// conversion marked (review/compile.ts); book/links.ts links the ones chosen here. Pure.
import type {CompiledBody, Review} from '../model.js'

/** Each title that names exactly one review, with that review's path. */
export function titleTargets(reviews: Iterable<Review>): Map<string, string> {
  const byTitle = new Map<string, string>()
  const ambiguous = new Set<string>()
  for (const review of reviews) {
    const key = review.meta.title
    if (byTitle.has(key)) ambiguous.add(key)
    byTitle.set(key, review.entry.path)
  }
  // Two reviews of films with the same title: a mention cannot say which one it means.
  for (const title of ambiguous) byTitle.delete(title)
  return byTitle
}

/** The emphasis slots (plain italic text outside links and headings) to link: each title's first mention. */
export function autolinkSlots(body: CompiledBody, targets: ReadonlyMap<string, string>, self: string | undefined): Array<[number, string]> {
  const linked: Array<[number, string]> = []
  const done = new Set<string>()
  body.slots.forEach((slot, index) => {
    if (slot.kind !== 'emphasis') return
    const target = targets.get(slot.text)
    if (!target || target === self || done.has(target)) return
    done.add(target)
    linked.push([index, target])
  })
  return linked
}
