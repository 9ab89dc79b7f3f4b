// Which posts of an export are reviews: pages, podcasts, threads and responses (comments) never
// are; drafts and paid posts are unless the author says otherwise; a tag or a title pattern can
// narrow the rest. Every post left out keeps its reason, for the report. Pure.
import type {ImportedPost} from './types.js'

export interface Filters {
  /** Keep only posts with one of these tags or categories (any case). */
  tags?: readonly string[] | undefined
  /** Keep only posts whose title matches (already a valid expression). */
  title?: RegExp | undefined
  skipDrafts?: boolean | undefined
  skipPaid?: boolean | undefined
}

export interface Skipped {
  post: ImportedPost
  /** Short, for counting: `response`, `page`, `draft`, `paid`, `tag`, `title`. */
  why: 'response' | 'page' | 'podcast' | 'thread' | 'other' | 'draft' | 'paid' | 'tag' | 'title' | 'empty'
  /** As a person reads it. */
  reason: string
}

const kindReasons: Record<Exclude<ImportedPost['kind'], 'post'>, string> = {
  response: 'a response (a comment on another post), not a review',
  page: 'a page, not a post',
  podcast: 'a podcast episode, not a written post',
  thread: 'a discussion thread, not a post',
  other: 'not a post'
}

export function selectPosts(posts: readonly ImportedPost[], filters: Filters): {kept: ImportedPost[]; skipped: Skipped[]} {
  const kept: ImportedPost[] = []
  const skipped: Skipped[] = []
  const wanted = filters.tags?.map((tag) => tag.toLowerCase())
  for (const post of posts) {
    const skip = (why: Skipped['why'], reason: string) => skipped.push({post, why, reason})
    if (post.kind !== 'post') skip(post.kind, kindReasons[post.kind])
    else if (filters.skipDrafts && post.draft) skip('draft', 'a draft (--skip-drafts)')
    else if (filters.skipPaid && post.paid) skip('paid', 'for paying subscribers only (--skip-paid)')
    else if (wanted && !post.tags.some((tag) => wanted.includes(tag.toLowerCase())))
      skip(
        'tag',
        `has none of the tags ${wanted.map((tag) => `“${tag}”`).join(', ')} (--tag)${post.tags.length ? `; its tags are ${post.tags.join(', ')}` : '; it has no tags'}`
      )
    else if (filters.title && !filters.title.test(post.title)) skip('title', `its title does not match ${String(filters.title)} (--title)`)
    else if (isEmpty(post)) skip('empty', 'it has no text')
    else kept.push(post)
  }
  return {kept, skipped}
}

function isEmpty(post: ImportedPost): boolean {
  const stack: unknown[] = [...post.body.children]
  while (stack.length > 0) {
    const node = stack.pop() as {type: string; value?: string; tagName?: string; children?: unknown[]}
    if (node.type === 'text' && node.value?.trim()) return false
    if (node.type === 'element' && node.tagName === 'img') return false
    if (node.children) stack.push(...node.children)
  }
  return true
}
