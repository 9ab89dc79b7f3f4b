// rehype plugin: turn remark-rehype's GFM footnote markup into EPUB 3 footnotes: noterefs
// and footnotes linked both ways (KDP requires it), with matching epub:type and ARIA roles. Pure.
import type {Element, ElementContent, Root} from 'hast'
import {visit} from 'unist-util-visit'

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

function footnoteSection(section: Element): Element {
  const list = section.children.find((child): child is Element => child.type === 'element' && child.tagName === 'ol')
  const notes: ElementContent[] = []
  let number = 0
  for (const item of list?.children ?? []) {
    if (item.type !== 'element' || item.tagName !== 'li') continue
    number += 1
    visit(item, 'element', (node: Element) => {
      if (node.tagName === 'a' && node.properties.dataFootnoteBackref !== undefined) {
        delete node.properties.dataFootnoteBackref
        node.properties.className = ['footnote-backref']
        node.properties.role = 'doc-backlink'
        node.properties.ariaLabel = `Back to note ${number} in the text`
        node.children = [{type: 'text', value: '↩\uFE0E'}]
      }
    })
    notes.push({
      type: 'element',
      tagName: 'aside',
      properties: {id: item.properties.id, 'epub:type': 'footnote', role: 'doc-footnote', className: ['footnote']},
      children: item.children.filter((child) => child.type !== 'text' || child.value.trim() !== ''),
      position: item.position
    })
  }
  return {
    type: 'element',
    tagName: 'section',
    properties: {className: ['footnotes'], 'epub:type': 'footnotes', ariaLabel: 'Notes'},
    children: [{type: 'element', tagName: 'hr', properties: {className: ['footnotes-rule']}, children: []}, ...notes]
  }
}
