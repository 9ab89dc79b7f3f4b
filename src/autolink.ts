// Optional (`autolink: true` in volumes.yaml): a film title set in italics in one review
// (*Alien*) that is exactly the title of another review becomes a link to that review, as
// if the author had written `[*Alien*](alien-1979.md)`. Only italic titles count: matching
// plain words would link every "Her" and "Up". Pure: returns new trees, never mutates the
// shared ones (a watch session keeps them between runs).
import type {Element, ElementContent, Root} from 'hast'
import type {Review} from './book.js'

export function autolinkReviews(reviews: ReadonlyMap<string, Review>): Map<string, Review> {
  const byTitle = titleTargets(reviews)
  const linked = new Map<string, Review>()
  for (const [key, review] of reviews) {
    const targets = new Map([...byTitle].filter(([, target]) => target !== review.entry.path))
    const tree = linkTitles(review.tree, targets)
    linked.set(key, tree === review.tree ? review : {...review, tree})
  }
  return linked
}

/** The same for pages (a foreword that mentions *Ran*), linking to any review. */
export function autolinkPages<Page extends {tree: Root}>(pages: ReadonlyMap<string, Page>, reviews: ReadonlyMap<string, Review>): Map<string, Page> {
  const targets = titleTargets(reviews)
  return new Map([...pages].map(([key, page]) => [key, {...page, tree: linkTitles(page.tree, targets)}]))
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

const emphasis = new Set(['em', 'i', 'cite'])
/** Never inside these: links already, headings, code, and the heading block the tool adds. */
const skipped = new Set(['a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'code', 'pre', 'header'])

/** The tree with each first italic mention of a title linked; the same tree when there is none. */
function linkTitles(tree: Root, targets: ReadonlyMap<string, string>): Root {
  const done = new Set<string>()
  const visitChildren = (children: ElementContent[]): ElementContent[] | undefined => {
    let changed: ElementContent[] | undefined
    children.forEach((child, index) => {
      if (child.type !== 'element' || skipped.has(child.tagName)) return
      let replacement: ElementContent | undefined
      const text = emphasis.has(child.tagName) ? plainText(child) : undefined
      const target = text === undefined ? undefined : targets.get(text)
      if (target && !done.has(target)) {
        done.add(target)
        replacement = {type: 'element', tagName: 'a', properties: {href: '#'}, data: {reviewLink: target}, children: [child]}
      } else {
        const inner = visitChildren(child.children)
        if (inner) replacement = {...child, children: inner}
      }
      if (replacement) {
        changed ??= [...children]
        changed[index] = replacement
      }
    })
    return changed
  }
  const children = visitChildren(tree.children as ElementContent[])
  return children ? {...tree, children: children as Root['children']} : tree
}

function plainText(node: Element): string | undefined {
  let text = ''
  for (const child of node.children) {
    if (child.type === 'text') text += child.value
    else return undefined
  }
  return text.trim()
}
