// rehype plugin, run before raw HTML joins the tree: mark every id this tool generated (the
// footnotes' `fn-1`, `fnref-1`, `footnote-label`) and every link to one, with a private-use
// character no review can bring in (compile.ts replaces them in text; rehype-ids.ts
// drops them from authors' attributes). After raw HTML is parsed, the ids are told apart by
// that mark alone, so an author's `id="fn-1"` is renamed instead of breaking a note. Pure.
import type {Element, Root} from 'hast'
import {visit} from 'unist-util-visit'

/** The mark on a generated id, removed again by rehype-ids.ts. */
export const generatedMark = '\uE003'

export default function rehypeMarkGenerated() {
  return function (tree: Root): void {
    visit(tree, 'element', (node: Element) => {
      const {id, href} = node.properties
      if (typeof id === 'string' && id !== '') node.properties.id = generatedMark + id
      if (
        node.tagName === 'a' &&
        typeof href === 'string' &&
        href.startsWith('#') &&
        (node.properties.dataFootnoteRef !== undefined || node.properties.dataFootnoteBackref !== undefined)
      ) {
        node.properties.href = `#${generatedMark}${href.slice(1)}`
      }
    })
  }
}
