// rehype plugin: turn remark-rehype's GFM footnote markup into EPUB 3 footnotes: noterefs
// and footnotes linked both ways (KDP requires it), with matching epub:type and ARIA roles,
// listed at the end of the review as a numbered list whose numbers match the markers. Pure.
import type {Element, ElementContent, Root} from 'hast'
import {visit} from 'unist-util-visit'

const ordinals = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth']

export default function rehypeEpubFootnotes() {
  return function (tree: Root): void {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName === 'a' && node.properties.dataFootnoteRef !== undefined) {
        delete node.properties.dataFootnoteRef
        delete node.properties.ariaDescribedBy
        node.properties['epub:type'] = 'noteref'
        node.properties.role = 'doc-noteref'
        node.properties.className = ['noteref']
        return
      }
      if (node.tagName === 'section' && node.properties.dataFootnotes !== undefined && parent && typeof index === 'number') {
        parent.children[index] = footnoteSection(node)
      }
    })
  }
}

/**
 * The notes as an `<ol>`: the list gives each note its number where it is listed, and since
 * remark-rehype numbers and lists notes by their first reference (however the definitions
 * are ordered), the n-th item is the note every marker "n" points at. Each item holds a
 * `<div epub:type="footnote">`, not an `<aside>`: Apple Books hides an aside from the page
 * (it shows it only in a pop-up), so the list would have read "1. 2." with no notes; a div is
 * shown on the page and still pops up. The number stays outside the note, so a pop-up does
 * not repeat it.
 */
function footnoteSection(section: Element): Element {
  const list = section.children.find((child): child is Element => child.type === 'element' && child.tagName === 'ol')
  const items: ElementContent[] = []
  let number = 0
  for (const item of list?.children ?? []) {
    if (item.type !== 'element' || item.tagName !== 'li') continue
    number += 1
    let reference = 0
    visit(item, 'element', (node: Element) => {
      if (node.tagName === 'a' && node.properties.dataFootnoteBackref !== undefined) {
        reference += 1
        delete node.properties.dataFootnoteBackref
        node.properties.className = ['footnote-backref']
        node.properties.role = 'doc-backlink'
        // A note referred to twice links back to each place, and says which.
        node.properties.ariaLabel =
          reference === 1
            ? `Back to note ${number} in the text`
            : `Back to the ${ordinals[reference - 1] ?? `${reference}th`} reference to note ${number} in the text`
        node.children = [{type: 'text', value: '↩\uFE0E'}]
        if (reference > 1) node.children.push({type: 'element', tagName: 'sup', properties: {}, children: [{type: 'text', value: String(reference)}]})
      }
    })
    items.push({type: 'text', value: '\n'})
    items.push({
      type: 'element',
      tagName: 'li',
      properties: {},
      children: [
        {
          type: 'element',
          tagName: 'div',
          properties: {id: item.properties.id, 'epub:type': 'footnote', role: 'doc-footnote', className: ['footnote']},
          children: item.children.filter((child) => child.type !== 'text' || child.value.trim() !== ''),
          position: item.position
        }
      ],
      position: item.position
    })
  }
  items.push({type: 'text', value: '\n'})
  return {
    type: 'element',
    tagName: 'section',
    properties: {className: ['footnotes'], 'epub:type': 'footnotes', ariaLabel: 'Notes'},
    children: [
      {type: 'element', tagName: 'hr', properties: {className: ['footnotes-rule']}, children: []},
      {type: 'element', tagName: 'ol', properties: {className: ['footnotes-list']}, children: items}
    ]
  }
}
