// rehype plugin: decide, for every link in a review, what a book may do with it. A valid
// absolute web or mailto address stays as written. Anything that could name another review
// (`alien-1979.md`, a blog's permalink `/2019/03/14/her/`, the author's site address) is
// marked for the book stage, which knows every review and resolves it (book/links.ts). A link
// that can be neither (`javascript:`, `file:`, `notes.html?x`, a malformed address) becomes
// its text, with a warning at its place. Fragment links were settled by rehype-ids.ts. Pure.
import type {Element, Root} from 'hast'
import {SKIP, visit} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {report} from '../../shared/diagnostics.js'
import {isExternalLink, isWebUrl} from '../../shared/urls.js'

declare module 'hast' {
  interface ElementData {
    /** The link as written, for the book stage to resolve to a review (or to text). */
    reviewLink?: string
  }
}

export interface LinkOptions {
  /** The author's site addresses (`site:`): links under them may name reviews. */
  sites: readonly string[]
}

export default function rehypeReviewLinks(options: LinkOptions) {
  const sites = options.sites.map((site) => site.replace(/\/+$/, '').toLowerCase())
  return function (tree: Root, file: VFile): void {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'a' || typeof node.properties.href !== 'string') return undefined
      const href = node.properties.href.trim()
      if (href.startsWith('#')) return undefined
      if (isExternalLink(href)) {
        if (isWebUrl(href) && sites.some((site) => href.toLowerCase().startsWith(`${site}/`) || href.toLowerCase() === site)) markReviewLink(node, href)
        return undefined
      }
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase()
      // A relative path, site-absolute or protocol-relative, may be a review's file or address.
      if (href !== '' && scheme === undefined && !href.startsWith('\\') && !/%(?![0-9a-f]{2})/i.test(href)) {
        markReviewLink(node, href)
        return undefined
      }
      report(file, {
        reason:
          scheme && !/^(https?|mailto)$/.test(scheme)
            ? `Link to \`${href}\` uses \`${scheme}:\`, which a book cannot open, so it is shown as plain text`
            : `Link to \`${href}\` is not a valid address, so it is shown as plain text`,
        ruleId: 'broken-link',
        severity: 'warning',
        place: node.position,
        note: 'Link to a web page with its whole address (`https://…`), to another review by its file name (`alien-1979.md`), or remove the link.'
      })
      if (!parent || typeof index !== 'number') return undefined
      parent.children.splice(index, 1, ...node.children)
      return [SKIP, index]
    })
  }
}

/**
 * Marks the link for the book stage. (The data object is built with a cast: hast-util-from-parse5
 * declares a `position` field on every element's data as required, though it is set only in its
 * verbose mode.)
 */
function markReviewLink(node: Element, href: string): void {
  node.data = {...node.data, reviewLink: href} as NonNullable<Element['data']>
}
