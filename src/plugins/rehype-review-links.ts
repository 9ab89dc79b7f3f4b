// rehype plugin: find links from one review to another (`[Alien](alien-1979.md)`), check the
// target is a review in some volume, and mark the link with the target's path; renderers
// decide per book where it points. An unknown target warns and becomes plain text. Pure.
import path from 'node:path'
import type {Element, Root} from 'hast'
import {SKIP, visit} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {report} from '../diagnostics.js'
import {decodeUrlPath} from '../names.js'
import {nearest} from '../suggest.js'

declare module 'hast' {
  interface ElementData {
    /** Absolute path of the review a link points at. */
    reviewLink?: string
  }
}

export interface LinkOptions {
  /** Absolute paths of every review listed in the manifest. */
  reviews: ReadonlySet<string>
}

const markdownLink = /^(?![a-z][a-z0-9+.-]*:|\/\/|#)([^?#]*\.(?:md|markdown))(?:#.*)?$/i

export default function rehypeReviewLinks(options: LinkOptions) {
  return function (tree: Root, file: VFile): void {
    const from = path.dirname(path.resolve(file.cwd, file.path))
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'a' || typeof node.properties.href !== 'string') return undefined
      const match = markdownLink.exec(node.properties.href)
      if (!match) return undefined
      const target = path.resolve(from, decodeUrlPath(match[1]!))
      if (options.reviews.has(target)) {
        node.data = {...node.data, reviewLink: target}
        return undefined
      }
      const names = [...options.reviews].map((name) => path.relative(from, name).split(path.sep).join('/'))
      const guess = nearest(match[1]!, names)
      report(file, {
        reason: `Link to \`${match[1]}\` does not point at a review in any volume, so it is shown as plain text${guess ? `; did you mean \`${guess}\`?` : ''}`,
        ruleId: 'unknown-review-link',
        severity: 'warning',
        place: node.position,
        note: 'Link to another review by its file name, e.g. `[Alien](alien-1979.md)`, and list that file in volumes.yaml.'
      })
      if (parent && typeof index === 'number') {
        parent.children.splice(index, 1, ...node.children)
        return [SKIP, index]
      }
      return undefined
    })
  }
}
