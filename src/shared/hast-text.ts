// The text a hast node holds, as a reader sees it: its text nodes joined, in order. Pure.
import type {Element, ElementContent, Root, RootContent} from 'hast'

export function textOf(node: Root | RootContent | Element | ElementContent | readonly ElementContent[]): string {
  if (Array.isArray(node)) return node.map((child: ElementContent) => textOf(child)).join('')
  const one = node as Root | RootContent
  if (one.type === 'text') return one.value
  return 'children' in one ? one.children.map((child) => textOf(child)).join('') : ''
}
