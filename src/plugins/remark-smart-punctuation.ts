// remark plugin: straight quotes become curly ones, `--`/`---` en and em dashes, `...` an
// ellipsis. Quotes follow SmartyPants' rules as retext-smartypants applies them, decided by
// the characters around each quote (building retext's natural-language tree for that was a
// third of a large build); dashes and ellipses still go through retext-smartypants. Quotes
// are decided over each review's whole text at once, so a quote that opens before a link or *emphasis* and closes
// after it still pairs; inline code counts as opaque letters. Dashes and ellipses change the
// text's length, so they run per text node, and only on nodes that hold one: parsing every
// node a second time was a third of a large build. Pure.
import type {Root, RootContent} from 'mdast'
import {retext} from 'retext'
import retextSmartypants from 'retext-smartypants'

/** Where a quote at the start always opens: each gets a space before it in the joined text. */
const blocks = new Set(['paragraph', 'heading', 'tableCell'])
const needsSecondPass = /--|\.\s?\.\s?\.|``/

export interface PunctuationOptions {
  /** `single`: ‘primary’ quotes with “nested” ones inside, as many British books set them. */
  quotes?: 'double' | 'single' | undefined
  /** BCP 47: French gets its spaces before `; : ! ?` and inside « ». */
  language?: string | undefined
}

/**
 * Spaces a line must not break at, swapped one character for one (positions are kept):
 * after "Mr." and "Dr.", inside "Volume 4" and "90 minutes"; in French, before ; : ! ? and
 * inside guillemets (a narrow space before ; ! ?, a full one before : and by « »).
 */
export function nonBreakingSpaces(text: string, language = 'en'): string {
  let out = text
    .replace(/\b(Mr|Mrs|Ms|Dr|Prof|St|Mt|Vol|No|pp)\. (?=\S)/g, '$1.\u00a0')
    .replace(/\b(Volume|Chapter|Part|Act|Episode|Season) (?=\d)/g, '$1\u00a0')
    .replace(/(\d) (?=(?:minutes|mins|hours|seconds|per cent|mm|cm|km|kg)\b)/g, '$1\u00a0')
  if (/^fr\b/i.test(language)) {
    out = out
      .replace(/ (?=[;!?])/g, '\u202f')
      .replace(/ (?=[:»])/g, '\u00a0')
      .replace(/« /g, '«\u00a0')
  }
  return out
}

const wordChar = /[\p{L}\p{M}\p{N}_]/u
const space = /\s/u

function kindOf(char: string | undefined): 'none' | 'word' | 'space' | 'mark' {
  if (char === undefined) return 'none'
  if (wordChar.test(char)) return 'word'
  return space.test(char) ? 'space' : 'mark'
}

/**
 * Straight quotes to curly ones, one character for one, by SmartyPants' rules in the order
 * retext-smartypants applies them to its tokens (a word, a run of spaces, a run of one mark):
 * a quote before a mark and then no word closes; a quote before a quote and a word opens
 * both; before a decade ('80s) it closes; after a space or mark and before a word it opens;
 * after a word it closes; at the end, before a space or before `s` it closes; else it opens.
 * A run of the same quote (`""`) is left as it is.
 */
export function curlQuotes(text: string): string {
  if (!text.includes('"') && !text.includes("'")) return text
  const chars = [...text]
  const out = chars.slice()
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index]!
    if (char !== '"' && char !== "'") continue
    if (chars[index + 1] === char || chars[index - 1] === char) continue
    const [open, close] = char === '"' ? ['“', '”'] : ['‘', '’']
    const before = kindOf(chars[index - 1])
    const next = kindOf(chars[index + 1])
    let end = index + 1
    if (next === 'mark') while (end + 1 < chars.length && chars[end + 1] === chars[index + 1]) end++
    const afterNext = kindOf(chars[end + 1])
    let wordEnd = index + 1
    while (wordEnd < chars.length && wordChar.test(chars[wordEnd]!)) wordEnd++
    const nextWord = chars.slice(index + 1, wordEnd).join('')
    const nested = chars[index + 1]
    if (next === 'mark' && (nested === '"' || nested === "'") && nested !== char && kindOf(chars[index + 2]) === 'word') {
      out[index] = open
      out[index + 1] = nested === '"' ? '“' : '‘'
      index++
    } else if (next === 'mark' && afterNext !== 'word') out[index] = close
    else if (/^\d\ds$/.test(nextWord)) out[index] = close
    // At the start of a sentence retext sees no token before the quote, so `'s` closes there.
    else if (char === "'" && nextWord === 's' && sentenceStart(chars, index)) out[index] = close
    else if ((before === 'space' || before === 'mark') && next === 'word') out[index] = open
    else if (before === 'word') out[index] = close
    else if (next === 'none' || next === 'space' || (char === "'" && nextWord === 's')) out[index] = close
    else out[index] = open
  }
  return out.join('')
}

function sentenceStart(chars: readonly string[], index: number): boolean {
  let at = index - 1
  while (at >= 0 && space.test(chars[at]!)) at--
  while (at >= 0 && /["'”’)\]»]/.test(chars[at]!)) at--
  return at < 0 || /[.!?…]/.test(chars[at]!)
}

const marksProcessor = retext().use(retextSmartypants, {quotes: false, dashes: 'oldschool'}).freeze()

/** One line of text (a title) with the same punctuation rules as a review's body. */
export function smartenText(text: string, options: PunctuationOptions = {}): string {
  let curled = nonBreakingSpaces(curlQuotes(text), options.language)
  if (options.quotes === 'single') curled = singlePrimary(curled)
  return needsSecondPass.test(curled) ? String(marksProcessor.processSync(curled)) : curled
}

/**
 * Swap the quote levels after curling: “ ” become ‘ ’, and a ‘ with its closing ’ become “ ”.
 * An apostrophe is a ’ that closes no open ‘ (or sits inside a word), and stays as it is.
 * Every swap is one character for one, so text positions are kept.
 */
export function singlePrimary(text: string): string {
  const out = [...text]
  const open: number[] = []
  for (let index = 0; index < out.length; index++) {
    const char = out[index]
    if (char === '“') out[index] = '‘'
    else if (char === '”') out[index] = '’'
    else if (char === '‘') {
      open.push(index)
      out[index] = '“'
    } else if (char === '’' && open.length > 0 && !/[\p{L}\p{N}]/u.test(out[index + 1] ?? '')) {
      open.pop()
      out[index] = '”'
    }
  }
  return out.join('')
}

export default function remarkSmartPunctuation(options: PunctuationOptions = {}) {
  const marks = marksProcessor
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
    const joined = nonBreakingSpaces(curlQuotes(parts.join('')), options.language)
    const curled = options.quotes === 'single' ? singlePrimary(joined) : joined
    for (const {node, start} of texts) {
      // Quote substitution keeps every character's place, so each node's slice is its own text.
      const text = curled.slice(start, start + node.value.length)
      node.value = needsSecondPass.test(text) ? String(marks.processSync(text)) : text
    }
  }
}
