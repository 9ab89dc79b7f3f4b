// Paragraphs the way WordPress's wpautop() makes them, on a tree: loose text is split into
// paragraphs at blank lines, a single newline inside a paragraph becomes `br`, inline elements
// join the paragraph they sit in and block elements stay blocks. For bodies that store
// paragraphs only as blank lines (Letterboxd reviews, classic WordPress posts). Pure.
import type {Element, ElementContent, Root, RootContent} from 'hast'

/** Elements that end a paragraph; everything else flows inside one. */
export const blockNames = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'ul'
])

/** Blocks whose loose text is itself paragraphs (wpautop wraps inside them too). */
const flowNames = new Set(['blockquote', 'div', 'section', 'article', 'aside', 'main'])
/** Blocks whose text keeps its lines as `br`. */
const lineNames = new Set(['p', 'li', 'dd', 'dt', 'td', 'th', 'figcaption', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote'])
const blankLine = /\n[ \t\f\r]*\n\s*/
const empty = /^[\s\u00a0]*$/

export function isBlock(node: RootContent | ElementContent): boolean {
  return node.type === 'element' && blockNames.has(node.tagName)
}

/** Wraps the loose text of `parent` (and of the flow blocks inside it) in paragraphs, newlines becoming `br`. */
export function paragraphsFromLines(parent: Root | Element): void {
  const out: ElementContent[] = []
  let run: ElementContent[] = []
  const flush = () => {
    if (run.some((node) => node.type !== 'text' || !empty.test(node.value))) out.push(breakLines(paragraph(run)))
    run = []
  }
  for (const child of parent.children as ElementContent[]) {
    if (child.type === 'text') {
      const pieces = child.value.split(blankLine)
      pieces.forEach((piece, index) => {
        if (index > 0) flush()
        if (piece !== '') run.push({type: 'text', value: piece})
      })
    } else if (child.type === 'element' && isBlock(child)) {
      flush()
      if (flowNames.has(child.tagName)) paragraphsFromLines(child)
      else if (lineNames.has(child.tagName)) breakLines(child)
      out.push(child)
    } else if (child.type === 'element' || child.type === 'comment') {
      run.push(child)
    }
  }
  flush()
  parent.children = out
}

function paragraph(children: ElementContent[]): Element {
  return {type: 'element', tagName: 'p', properties: {}, children}
}

/** Turns the newlines in `element`'s text (not inside `pre`, `code` or another block) into `br`. */
function breakLines(element: Element, outer = true): Element {
  if (outer) trimEdges(element.children)
  const out: ElementContent[] = []
  for (const child of element.children) {
    if (child.type === 'element' && !isBlock(child) && child.tagName !== 'code' && child.tagName !== 'pre') breakLines(child, false)
    if (child.type !== 'text' || !child.value.includes('\n')) {
      out.push(child)
      continue
    }
    child.value.split(/[ \t\r]*\n[ \t\r]*/).forEach((piece, index) => {
      const previous = out.at(-1)
      // A `br` already written before the newline is that line's break (wpautop's rule too).
      if (index > 0 && !(previous?.type === 'element' && previous.tagName === 'br')) out.push({type: 'element', tagName: 'br', properties: {}, children: []})
      if (piece !== '') out.push({type: 'text', value: piece})
    })
  }
  element.children = out
  return element
}

/** Whitespace at the start and end of a paragraph is the blank line's, not the author's. */
function trimEdges(children: ElementContent[]): void {
  const first = children[0]
  if (first?.type === 'text') first.value = first.value.replace(/^\s+/, '')
  const last = children.at(-1)
  if (last?.type === 'text') last.value = last.value.replace(/\s+$/, '')
}
