// rehype plugin: the last fixes that make HTML valid XHTML for EPUB: table alignment as
// classes (the `align` attribute is obsolete), no boolean or non-numeric sizing attributes,
// a scene-break class on <hr>, `alt` on every image, no empty paragraphs (the HTML parser
// leaves one when raw block HTML such as <center> interrupts a paragraph) and no empty
// table header rows. Pure.
import type {Element, Root} from 'hast'
import {SKIP, visit} from 'unist-util-visit'
import {textOf} from '../hast-text.js'

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

function classes(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : []
}
