// The text a hast node holds, as a reader sees it: its text nodes joined, in order. Pure.
import type {Element, ElementContent, Root, RootContent} from 'hast'

/** Iterative, so a tree nested thousands deep (an imported post) cannot overflow the stack. */
export function textOf(node: Root | RootContent | Element | ElementContent | readonly ElementContent[]): string {
  let text = ''
  const stack: Array<Root | RootContent> = Array.isArray(node) ? [...(node as readonly ElementContent[])].reverse() : [node as Root | RootContent]
  while (stack.length > 0) {
    const current = stack.pop()!
    if (current.type === 'text') text += current.value
    else if ('children' in current) for (let index = current.children.length - 1; index >= 0; index--) stack.push(current.children[index]!)
  }
  return text
}
