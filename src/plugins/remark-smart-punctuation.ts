// remark plugin: straight quotes become curly ones, `--`/`---` en and em dashes, `...` an
// ellipsis (retext-smartypants does the language work). Quotes are decided over each
// review's whole text at once, so a quote that opens before a link or *emphasis* and closes
// after it still pairs; inline code counts as opaque letters. Dashes and ellipses change the
// text's length, so they run per text node, and only on nodes that hold one: parsing every
// node a second time was a third of a large build. Pure.
import type {Root, RootContent} from 'mdast'
import {retext} from 'retext'
import retextSmartypants from 'retext-smartypants'

/** Where a quote at the start always opens: each gets a space before it in the joined text. */
const blocks = new Set(['paragraph', 'heading', 'tableCell'])
const needsSecondPass = /--|\.\s?\.\s?\.|``/

export default function remarkSmartPunctuation() {
  const quotes = retext().use(retextSmartypants, {dashes: false, ellipses: false, backticks: false}).freeze()
  const marks = retext().use(retextSmartypants, {quotes: false, dashes: 'oldschool'}).freeze()
  return function (tree: Root): void {
    const parts: string[] = []
    const texts: Array<{node: {value: string}; start: number}> = []
    let length = 0
    const add = (text: string) => {
      parts.push(text)
      length += text.length
    }
    // Depth-first, document order, without recursion.
    const stack: RootContent[] = [...tree.children].reverse()
    while (stack.length > 0) {
      const node = stack.pop()!
      if (node.type === 'text') {
        texts.push({node, start: length})
        add(node.value)
      } else if (node.type === 'inlineCode') {
        add('A'.repeat(node.value.length))
      } else if ('children' in node) {
        if (blocks.has(node.type)) add(' ')
        for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index] as RootContent)
      }
    }
    if (texts.length === 0) return
    const curled = String(quotes.processSync(parts.join('')))
    for (const {node, start} of texts) {
      // Quote substitution keeps every character's place, so each node's slice is its own text.
      const text = curled.slice(start, start + node.value.length)
      node.value = needsSecondPass.test(text) ? String(marks.processSync(text)) : text
    }
  }
}
