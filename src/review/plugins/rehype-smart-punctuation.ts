// rehype plugin: curly quotes, apostrophes, non-breaking spaces, dashes and ellipses in the
// text a reader sees. It runs after raw HTML has become elements and been sanitised, so the
// text of `<p>"Raw"</p>` is treated like Markdown's. Quotes are decided over each block's text
// joined (a quote opened before `<i>` or a link and closed after it pairs; inline code counts
// as opaque letters); dashes and ellipses change lengths, so they go per text node. Attribute
// values and code are never touched. Pure.
import type {Element, Root, RootContent, Text} from 'hast'
import {textOf} from '../../shared/hast-text.js'
import {opensWithQuote} from '../quotes.js'
import {smartenBlock, smartenMarks, type PunctuationOptions} from '../typography.js'

/** Elements whose text is its own block: a quote at their start opens, and pairs only inside. */
const blocks = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'td',
  'th',
  'dt',
  'dd',
  'figcaption',
  'caption',
  'blockquote',
  'div',
  'section',
  'article',
  'aside',
  'header',
  'footer',
  'nav',
  'main',
  'figure',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'ul',
  'ol',
  'dl',
  'hr',
  'address',
  'hgroup',
  'details',
  'summary'
])
/** Code inside a line: its text stays as written, and counts as a word to the quotes around it. */
const inlineCode = new Set(['code', 'kbd', 'samp'])
/** Never a reader's prose: code blocks, and what sanitising has already removed. */
const skipped = new Set(['pre', 'script', 'style', 'textarea', 'template'])

interface Block {
  parts: string[]
  texts: Array<{node: Text; start: number}>
  length: number
}

export default function rehypeSmartPunctuation(options: PunctuationOptions = {}) {
  return function (tree: Root): void {
    const found: Block[] = []
    let block: Block = {parts: [], texts: [], length: 0}
    const close = () => {
      // Blank text between blocks is no block: it must not stand between two paragraphs of a quotation.
      if (block.texts.length > 0 && block.parts.some((part) => /\S/.test(part))) found.push(block)
      block = {parts: [], texts: [], length: 0}
    }
    const add = (text: string) => {
      block.parts.push(text)
      block.length += text.length
    }
    // Depth-first, document order, without recursion; `null` marks the end of a block.
    const stack: Array<RootContent | null> = [...tree.children].reverse()
    while (stack.length > 0) {
      const node = stack.pop()!
      if (node === null) {
        close()
      } else if (node.type === 'text') {
        block.texts.push({node, start: block.length})
        add(node.value)
      } else if (node.type === 'element') {
        if (skipped.has(node.tagName)) close()
        // Lower case, so code next to a full stop is never taken for an initial ("`x`. Then").
        else if (inlineCode.has(node.tagName)) add('x'.repeat(textOf(node).length))
        // The note numbers and back links remark-rehype makes were never text in the Markdown.
        else if (isNoteLink(node)) continue
        else {
          if (blocks.has(node.tagName)) {
            close()
            stack.push(null)
          }
          for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]!)
        }
      }
    }
    close()
    // Last block first: whether the next block opens with a quote decides this one's unclosed
    // opening quote (a quotation running over several paragraphs).
    let nextOpensWithQuote = false
    for (let index = found.length - 1; index >= 0; index--) {
      const {parts, texts} = found[index]!
      const source = parts.join('')
      const smartened = smartenBlock(source, {...options, continues: nextOpensWithQuote})
      nextOpensWithQuote = opensWithQuote(source, smartened)
      for (const {node, start} of texts) {
        // Quotes and spaces keep every character's place, so each node's slice is its own text.
        node.value = smartenMarks(smartened.slice(start, start + node.value.length))
      }
    }
  }
}

function isNoteLink(node: Element): boolean {
  return node.tagName === 'a' && (node.properties.dataFootnoteRef !== undefined || node.properties.dataFootnoteBackref !== undefined)
}
