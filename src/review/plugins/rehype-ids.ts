// rehype plugin, run after raw HTML is parsed and sanitised: make every id in the review
// unique and every link to a fragment (`#top`) land. Ids this tool generated (marked by
// rehype-mark-generated.ts) keep their names; an author's id that repeats one of them, or an
// earlier id of the author's, is renamed (`top` → `top-2`), and the author's links follow to
// the first element of that name, as a browser would. A link to a fragment the review does
// not have becomes its text, with a warning. Footnote markup an author wrote by hand
// (`data-footnote-ref`) is not taken for ours. Pure.
import type {Element, Root} from 'hast'
import {SKIP, visit} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {report} from '../../shared/diagnostics.js'
import {decodeUrlPath} from '../../shared/names.js'
import {generatedMark} from './rehype-mark-generated.js'

const footnoteData = ['dataFootnoteRef', 'dataFootnoteBackref', 'dataFootnotes']
// Private-use characters of our own (slot marks, the generated mark) never come from a review.
const privateMarks = /[\uE000-\uE003]/g

export default function rehypeIds() {
  return function (tree: Root, file: VFile): void {
    const generated = new Set<string>()
    const authored: Element[] = []
    visit(tree, 'element', (node: Element) => {
      const id = node.properties.id
      if (typeof id === 'string' && id.startsWith(generatedMark)) {
        node.properties.id = id.slice(1)
        generated.add(node.properties.id)
        return
      }
      // Only what this tool generated carries footnote markup.
      if (!(node.tagName === 'section' && isOurFootnoteSection(node)))
        for (const key of footnoteData) if (node.tagName !== 'a' || !isOurNoteLink(node)) delete node.properties[key]
      if (typeof id === 'string') {
        // An id is a name without spaces; an empty one names nothing.
        const clean = id.replace(privateMarks, '').trim().replace(/\s+/g, '-')
        if (clean === '') delete node.properties.id
        else {
          node.properties.id = clean
          authored.push(node)
        }
      } else if (id !== undefined) {
        delete node.properties.id
      }
    })
    // Rename in document order; the first element of a name is where links to it go.
    const used = new Set(generated)
    const target = new Map<string, string>()
    for (const node of authored) {
      const id = node.properties.id as string
      let name = id
      for (let n = 2; used.has(name); n++) name = `${id}-${n}`
      used.add(name)
      node.properties.id = name
      if (!target.has(id)) target.set(id, name)
    }
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'a' || typeof node.properties.href !== 'string' || !node.properties.href.startsWith('#')) return undefined
      const href = node.properties.href
      if (href.startsWith(`#${generatedMark}`)) {
        node.properties.href = `#${href.slice(2)}`
        return undefined
      }
      const fragment = decodeUrlPath(href.slice(1))
      const name = target.get(fragment) ?? (generated.has(fragment) ? fragment : undefined)
      if (name !== undefined) {
        node.properties.href = `#${encodeFragment(name)}`
        return undefined
      }
      report(file, {
        reason:
          href === '#'
            ? 'A link to `#` points at no place in particular, so it is shown as plain text'
            : `Link to \`${href}\` points at nothing in this review (no element has the id \`${fragment}\`), so it is shown as plain text`,
        ruleId: 'broken-link',
        severity: 'warning',
        place: node.position,
        note: 'Give the element you mean an id (`<span id="top"></span>`), or remove the link.'
      })
      if (!parent || typeof index !== 'number') return undefined
      parent.children.splice(index, 1, ...node.children)
      return [SKIP, index]
    })
  }
}

/** A fragment as an `href` writes it: what an IRI cannot hold (spaces, `%`, `#`, `<` …) is %-escaped. */
export function encodeFragment(id: string): string {
  return id.replace(/[\s"<>\\^`{|}#%\u0000-\u001F\u007F]/g, (char) => encodeURIComponent(char))
}

function isOurNoteLink(node: Element): boolean {
  const href = node.properties.href
  return typeof href === 'string' && href.startsWith(`#${generatedMark}`)
}

function isOurFootnoteSection(node: Element): boolean {
  return node.children.some((child) => child.type === 'element' && typeof child.properties.id === 'string' && child.properties.id.startsWith(generatedMark))
}
