// rehype plugin: GFM task-list checkboxes become ☐/☑ glyphs with a text alternative, since a
// book has no form controls. Runs before raw HTML is parsed, so any `<input>` left later came
// from raw HTML and is removed as unsafe. Pure.
import type {Element, Root} from 'hast'
import {visit} from 'unist-util-visit'

export default function rehypeTaskGlyphs() {
  return function (tree: Root): void {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'input' || node.properties.type !== 'checkbox' || !parent || typeof index !== 'number') return
      const checked = Boolean(node.properties.checked)
      parent.children[index] = {
        type: 'element',
        tagName: 'span',
        properties: {className: ['task', checked ? 'task-done' : 'task-open'], role: 'img', ariaLabel: checked ? 'done' : 'not done'},
        children: [{type: 'text', value: checked ? '☑' : '☐'}]
      }
    })
  }
}
