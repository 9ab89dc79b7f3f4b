// rehype plugin: an image alone in its paragraph with a title (`![alt](still.jpg "Caption")`,
// as the importer writes a platform's captioned figure) becomes a figure with that caption,
// so the caption is text the reader sees (a title attribute is shown by no e-reader). In
// every caption, this one or a raw HTML <figcaption>, a closing "Credit: …" becomes a
// <span class="credit">, set apart from the caption. Runs before typography, so the caption
// gets the body's quotes and dashes. Pure.
import type {Element, ElementContent, Root} from 'hast'
import {visit} from 'unist-util-visit'

export default function rehypeFigures() {
  return function (tree: Root): void {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName === 'figcaption') {
        setCredit(node)
        return
      }
      if (node.tagName !== 'p' || !parent || typeof index !== 'number') return
      const content = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''))
      const image = content[0]
      if (content.length !== 1 || image?.type !== 'element' || image.tagName !== 'img') return
      const caption = typeof image.properties.title === 'string' ? image.properties.title.trim() : ''
      if (!caption) return
      const {title: _title, ...properties} = image.properties
      const figcaption: Element = {type: 'element', tagName: 'figcaption', properties: {}, children: [{type: 'text', value: caption}]}
      setCredit(figcaption)
      const figure: Element = {
        type: 'element',
        tagName: 'figure',
        properties: {className: ['image']},
        children: [{...image, properties} as ElementContent, figcaption],
        position: node.position
      }
      parent.children[index] = figure
    })
  }
}

/** "Credit:" that starts the caption or follows a space; what comes after it is the credit. */
const creditStart = /(^|\s)credit:/i

/**
 * "Tati's office maze. Credit: Specta Films" → the caption, then the credit in its own span,
 * as written (the word "Credit" tells every reader, a screen reader too, what it is). The
 * credit starts in the caption's own text, not inside its emphasis or links, and runs to the
 * end; a caption that already marks a credit is left as written.
 */
function setCredit(figcaption: Element): void {
  let marked = false
  visit(figcaption, 'element', (node: Element) => {
    if (Array.isArray(node.properties.className) && node.properties.className.includes('credit')) marked = true
  })
  if (marked) return
  const at = figcaption.children.findIndex((child) => child.type === 'text' && creditStart.test(child.value))
  if (at < 0) return
  const text = figcaption.children[at] as {type: 'text'; value: string}
  const match = creditStart.exec(text.value)!
  const start = match.index + match[1]!.length
  const before = text.value.slice(0, start)
  const credit: Element = {
    type: 'element',
    tagName: 'span',
    properties: {className: ['credit']},
    children: [{type: 'text', value: text.value.slice(start)}, ...figcaption.children.slice(at + 1)]
  }
  figcaption.children = [...figcaption.children.slice(0, at), ...(before ? [{type: 'text' as const, value: before}] : []), credit]
}
