// rehype plugin: an image alone in its paragraph with a title (`![alt](still.jpg "Caption")`,
// as the importer writes a platform's captioned figure) becomes a figure with that caption,
// so the caption is text the reader sees (a title attribute is shown by no e-reader). Runs
// before typography, so the caption gets the body's quotes and dashes. Pure.
import type {Element, ElementContent, Root} from 'hast'
import {visit} from 'unist-util-visit'

export default function rehypeFigures() {
  return function (tree: Root): void {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'p' || !parent || typeof index !== 'number') return
      const content = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''))
      const image = content[0]
      if (content.length !== 1 || image?.type !== 'element' || image.tagName !== 'img') return
      const caption = typeof image.properties.title === 'string' ? image.properties.title.trim() : ''
      if (!caption) return
      const {title: _title, ...properties} = image.properties
      const figure: Element = {
        type: 'element',
        tagName: 'figure',
        properties: {className: ['image']},
        children: [
          {...image, properties} as ElementContent,
          {type: 'element', tagName: 'figcaption', properties: {}, children: [{type: 'text', value: caption}]}
        ],
        position: node.position
      }
      parent.children[index] = figure
    })
  }
}
