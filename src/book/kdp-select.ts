// Which reviews of a book were first published on the web, for KDP Select's rule that an
// enrolled book's digital content is exclusive to Amazon: a review that names where it was
// published (`source:`, which the importer writes) or that is dated while volumes.yaml names
// the author's site (`site:`). Pure.
import type {Review} from '../model.js'

export function publishedElsewhere(review: Review, sites: readonly string[]): boolean {
  return Boolean(review.meta.source) || (review.meta.published !== undefined && sites.length > 0)
}
