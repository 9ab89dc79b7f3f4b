// Straight quotes to curly ones in one block of text (a paragraph, a heading, a title), one
// character for one so that every text node keeps its place: SmartyPants' rules for
// quotations, then apostrophes SmartyPants mistakes for opening quotes ('Salem's Lot, '63,
// rock 'n' roll), then, for `quotes: single`, the swap of the two levels. Pure.

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

/**
 * Swap the quote levels after curling: “ ” become ‘ ’, and a ‘ with its closing ’ become “ ”.
 * An apostrophe is a ’ that closes no open ‘ (or sits inside a word, or is one of
 * `apostrophes`, positions in code points), and stays as it is. Every swap is one character
 * for one, so text positions are kept.
 */
export function singlePrimary(text: string, apostrophes: ReadonlySet<number> = new Set()): string {
  const out = [...text]
  const open: number[] = []
  for (let index = 0; index < out.length; index++) {
    const char = out[index]
    if (char === '“') out[index] = '‘'
    else if (char === '”') out[index] = '’'
    else if (char === '‘') {
      open.push(index)
      out[index] = '“'
    } else if (char === '’' && open.length > 0 && !apostrophes.has(index) && !/[\p{L}\p{N}]/u.test(out[index + 1] ?? '')) {
      open.pop()
      out[index] = '”'
    }
  }
  return out.join('')
}

/**
 * Words that begin with an apostrophe in place of dropped letters. "n" is rock 'n' roll,
 * whose second mark belongs to it too.
 */
const elisions = new Set([
  'em',
  'n',
  'tis',
  'twas',
  'twere',
  'twill',
  'twould',
  'til',
  'cause',
  'cos',
  'cuz',
  'bout',
  'round',
  'neath',
  'nuff',
  'gainst',
  'burbs'
])

export interface Apostrophes {
  text: string
  /** Where (in code points) a ’ is an apostrophe that no closing quote may pair with. */
  at: Set<number>
}

/**
 * After `curlQuotes`: the ‘ SmartyPants opened from a straight ' that is really an apostrophe
 * becomes ’. That is so (1) before a known elision ('em, 'tis, 'til, 'cause, rock 'n' roll)
 * or a two-digit year ('63), unless it is that word alone in quotes ('cause' with no other
 * quote open); (2) before a word, when nothing closes it in the block ('Salem's Lot). A ’
 * before a letter or digit is inside a word and closes nothing. `continues`: the next block
 * opens with a quote, as each paragraph of a long quotation does, so an unclosed quote at
 * this block's start stays a quote. A quote the author typed curly is never changed.
 */
export function placeApostrophes(source: string, curled: string, options: {continues?: boolean | undefined} = {}): Apostrophes {
  const at = new Set<number>()
  if (!curled.includes('‘')) return {text: curled, at}
  const src = [...source]
  const out = [...curled]
  const open: Array<{index: number; beforeWord: boolean}> = []
  for (let index = 0; index < out.length; index++) {
    if (src[index] !== "'" || at.has(index)) continue
    if (out[index] === '‘') {
      let end = index + 1
      while (end < out.length && wordChar.test(out[end]!)) end++
      const word = out.slice(index + 1, end).join('')
      const lower = word.toLowerCase()
      if (elisions.has(lower) || /^\d\d$/.test(word)) {
        const quotedAlone = lower !== 'n' && open.length === 0 && src[end] === "'" && out[end] === '’' && !wordChar.test(out[end + 1] ?? '')
        if (!quotedAlone) {
          out[index] = '’'
          at.add(index)
          if (lower === 'n' && src[end] === "'") at.add(end)
          continue
        }
      }
      open.push({index, beforeWord: word.length > 0})
    } else if (out[index] === '’' && !wordChar.test(out[index + 1] ?? '')) {
      open.pop()
    }
  }
  const first = src.findIndex((char) => !space.test(char))
  for (const {index, beforeWord} of open) {
    if (!beforeWord || (options.continues && index === first)) continue
    out[index] = '’'
    at.add(index)
  }
  return {text: out.join(''), at}
}

export interface QuoteOptions {
  /** `single`: ‘primary’ quotes with “nested” ones inside, as many British books set them. */
  quotes?: 'double' | 'single' | undefined
  /** The next block opens with a quote (see `placeApostrophes`). */
  continues?: boolean | undefined
}

/** One block's quotes and apostrophes, one character for one. */
export function smartenQuotes(text: string, options: QuoteOptions = {}): string {
  if (!text.includes('"') && !text.includes("'")) return text
  const placed = placeApostrophes(text, curlQuotes(text), options)
  return options.quotes === 'single' ? singlePrimary(placed.text, placed.at) : placed.text
}

/** Whether a block, as `smartenQuotes` made it, opens with a straight single quote that stayed a quote. */
export function opensWithQuote(source: string, smartened: string): boolean {
  const first = source.search(/\S/u)
  return first !== -1 && source[first] === "'" && smartened[first] !== '’'
}
