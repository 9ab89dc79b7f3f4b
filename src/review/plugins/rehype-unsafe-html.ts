// rehype plugin: remove what raw HTML in a review must never bring into a book (scripts,
// frames, forms, styles, event handlers, script and data URLs), with a warning at its line.
// Runs before rehype-sanitize, which is the silent backstop. Pure.
import type {Element, Root, Text} from 'hast'
import {SKIP, visit} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {report} from '../../shared/diagnostics.js'
import {codePoint, forbiddenCharacter} from '../../shared/xml.js'

const allForbidden = new RegExp(forbiddenCharacter.source, 'g')

const removedElements = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'link',
  'meta',
  'base',
  'noscript',
  'template',
  'svg',
  'math',
  'video',
  'audio',
  'canvas'
])
const urlProperties = ['href', 'src', 'action', 'formAction', 'srcSet', 'poster', 'cite', 'background']

export default function rehypeUnsafeHtml() {
  return function (tree: Root, file: VFile): void {
    // A character reference in raw HTML (`&#1;`) can name a character no book can hold.
    visit(tree, 'text', (node: Text, _index, parent) => {
      const bad = forbiddenCharacter.exec(node.value)
      if (!bad) return
      report(file, {
        reason: `A character reference to ${codePoint(bad[0])} in raw HTML was removed: no book can hold that character`,
        ruleId: 'unsafe-html',
        severity: 'warning',
        place: node.position ?? (parent as Element | undefined)?.position,
        note: 'Delete the `&#…;` reference from the review.'
      })
      node.value = node.value.replace(allForbidden, '')
    })
    visit(tree, 'element', (node: Element, index, parent) => {
      for (const [key, value] of Object.entries(node.properties))
        if (typeof value === 'string' && forbiddenCharacter.test(value)) node.properties[key] = value.replace(allForbidden, '')
      if (removedElements.has(node.tagName) && parent && typeof index === 'number') {
        report(file, {
          reason: `Raw HTML \`<${node.tagName}>\` was removed: e-books cannot run or embed it`,
          ruleId: 'unsafe-html',
          severity: 'warning',
          place: node.position,
          note: 'Delete it from the review, or replace it with a link or plain text.'
        })
        parent.children.splice(index, 1)
        return [SKIP, index]
      }
      for (const key of Object.keys(node.properties)) {
        if (/^on[a-z]/i.test(key)) {
          report(file, {
            reason: `Event handler \`${key.toLowerCase()}\` on \`<${node.tagName}>\` was removed: e-books do not run scripts`,
            ruleId: 'unsafe-html',
            severity: 'warning',
            place: node.position
          })
          delete node.properties[key]
        } else if (
          urlProperties.includes(key) &&
          typeof node.properties[key] === 'string' &&
          /^\s*(javascript|vbscript|data):/i.test(node.properties[key] as string)
        ) {
          const scheme = /^\s*([a-z]+):/i.exec(node.properties[key] as string)?.[1]?.toLowerCase()
          report(file, {
            reason: `A \`${scheme}:\` URL in \`${key}\` on \`<${node.tagName}>\` was removed`,
            ruleId: 'unsafe-html',
            severity: 'warning',
            place: node.position,
            note: 'Link to a web address, or put an image file beside the review and refer to it by name.'
          })
          delete node.properties[key]
        }
      }
      return undefined
    })
  }
}
