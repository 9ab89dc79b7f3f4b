// rehype plugin: the last fixes that make HTML valid XHTML for EPUB: table alignment as
// classes (the `align` attribute is obsolete), no boolean or non-numeric sizing attributes,
// a scene-break class on <hr>, `alt` on every image, no empty paragraphs (the HTML parser
// leaves one when raw block HTML such as <center> interrupts a paragraph) and no empty
// table header rows, and no element outside the parent it needs (the HTML parser accepts a
// stray `<dd>` or `<li>` anywhere; XHTML does not). Pure.
import type {Element, Root} from 'hast'
import {SKIP, visit} from 'unist-util-visit'
import {textOf} from '../../shared/hast-text.js'

export default function rehypeXhtml() {
  return function (tree: Root): void {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName === 'p' && node.children.length === 0 && parent && typeof index === 'number') {
        parent.children.splice(index, 1)
        return [SKIP, index] as const
      }
      // A Markdown table must have a header row; an empty one (`| | |`) only makes screen
      // readers announce blank headers, so the table goes without.
      if (node.tagName === 'thead' && !textOf(node).trim() && parent && typeof index === 'number') {
        parent.children.splice(index, 1)
        return [SKIP, index] as const
      }
      // The HTML parser carries an unclosed `<s>` or `<b>` on into the next paragraphs, even
      // around them; XHTML does not allow a paragraph inside one, so the formatting goes.
      if (parent && typeof index === 'number' && formatting.has(node.tagName) && holdsFlow(node)) {
        parent.children.splice(index, 1, ...node.children)
        return index
      }
      if (parent && misplaced(node, parent as Element | Root, () => (parent === tree ? undefined : grandparent(tree, parent as Element)))) {
        if (node.tagName === 'source') {
          parent.children.splice(index!, 1)
          return [SKIP, index!] as const
        }
        node.tagName = parent.type === 'element' && phrasingOnly.has(parent.tagName) ? 'span' : inline.has(node.tagName) ? 'span' : 'div'
      }
      const properties = node.properties
      if ((node.tagName === 'td' || node.tagName === 'th') && typeof properties.align === 'string') {
        properties.className = [...classes(properties.className), `align-${properties.align}`]
      }
      delete properties.align
      for (const key of ['width', 'height']) {
        const value = properties[key]
        if (value !== undefined && !(node.tagName === 'img' && /^\d+$/.test(String(value)))) delete properties[key]
      }
      for (const [key, value] of Object.entries(properties)) {
        if (typeof value === 'boolean') delete properties[key]
      }
      if (node.tagName === 'hr' && classes(properties.className).length === 0) properties.className = ['scene-break']
      if (node.tagName === 'img' && typeof properties.alt !== 'string') properties.alt = ''
      if (node.tagName === 'ol' && properties.start !== undefined && !/^-?\d+$/.test(String(properties.start))) delete properties.start
      return undefined
    })
  }
}

/** Phrasing elements the HTML parser reopens across blocks ("active formatting elements") and their kin. */
const formatting = new Set([
  'b',
  'i',
  'em',
  'strong',
  's',
  'u',
  'small',
  'code',
  'span',
  'sub',
  'sup',
  'mark',
  'q',
  'cite',
  'abbr',
  'dfn',
  'kbd',
  'samp',
  'var',
  'tt',
  'strike',
  'big',
  'font',
  'time',
  'nobr'
])
const flow = new Set([
  'p',
  'div',
  'section',
  'aside',
  'article',
  'nav',
  'header',
  'footer',
  'main',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'pre',
  'figure',
  'figcaption',
  'details',
  'summary',
  'address',
  'hgroup',
  'form',
  'fieldset',
  'center'
])

function holdsFlow(node: Element): boolean {
  const stack = [...node.children]
  while (stack.length > 0) {
    const child = stack.pop()!
    if (child.type !== 'element') continue
    if (flow.has(child.tagName)) return true
    for (const grandchild of child.children) stack.push(grandchild)
  }
  return false
}

/** Elements valid only inside certain parents; anywhere else the HTML parser's tree is not valid XHTML. */
const parents: Record<string, string[]> = {
  dd: ['dl', 'div'],
  dt: ['dl', 'div'],
  li: ['ul', 'ol', 'menu'],
  summary: ['details'],
  rt: ['ruby'],
  rp: ['ruby'],
  source: ['picture', 'audio', 'video'],
  tr: ['table', 'thead', 'tbody', 'tfoot'],
  td: ['tr'],
  th: ['tr'],
  thead: ['table'],
  tbody: ['table'],
  tfoot: ['table'],
  caption: ['table']
}
const inline = new Set(['rt', 'rp'])
/** Parents whose content is phrasing only: a renamed element in them must be a span. */
const phrasingOnly = new Set([
  'p',
  'span',
  'a',
  'em',
  'strong',
  'b',
  'i',
  'u',
  's',
  'small',
  'sub',
  'sup',
  'code',
  'q',
  'cite',
  'abbr',
  'mark',
  'kbd',
  'samp',
  'var',
  'del',
  'ins',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'dt',
  'summary',
  'label',
  'button',
  'rt',
  'rp',
  'ruby',
  'strike',
  'tt'
])

function misplaced(node: Element, parent: Element | Root, above: () => Element | Root | undefined): boolean {
  const allowed = parents[node.tagName]
  if (!allowed) return false
  if (parent.type !== 'element' || !allowed.includes(parent.tagName)) return true
  // A `<div>` may group `<dt>`/`<dd>` only directly inside a `<dl>`.
  if (parent.tagName !== 'div') return false
  const outer = above()
  return !(outer?.type === 'element' && outer.tagName === 'dl')
}

function grandparent(tree: Root, target: Element): Element | Root | undefined {
  let found: Element | Root | undefined
  visit(tree, (node, _index, parent) => {
    if (node === target) {
      found = parent as Element | Root | undefined
      return false
    }
    return undefined
  })
  return found
}

function classes(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : []
}
