// The typography of text a reader sees, shared by a review's body (rehype-smart-punctuation)
// and its title (front matter): curly quotes and apostrophes (quotes.ts) and non-breaking
// spaces over one block's joined text, keeping every character in its place; then en and em
// dashes and ellipses, which change lengths, through retext-smartypants. Pure.
import {retext} from 'retext'
import retextSmartypants from 'retext-smartypants'
import {smartenQuotes, type QuoteOptions} from './quotes.js'

export interface PunctuationOptions {
  /** `single`: ‘primary’ quotes with “nested” ones inside, as many British books set them. */
  quotes?: 'double' | 'single' | undefined
  /** BCP 47: French gets its spaces before `; : ! ?` and inside « ». */
  language?: string | undefined
}

/**
 * Spaces a line must not break at, swapped one character for one (positions are kept):
 * after an initial ("H. G. Wells", "J. R. R. Tolkien", "M. Hulot"), after "Mr." and "Dr."
 * (and British "Mr Smith", "St Elsewhere"), before "Jr.", inside "Volume 4" and "90
 * minutes"; in French, before ; : ! ? and inside guillemets (a narrow space before ; ! ?, a
 * full one before : and by « »). A capital and a full stop that end a sentence ("Plan B. The")
 * are taken for an initial too: the cost is one place fewer to break a line.
 */
export function nonBreakingSpaces(text: string, language = 'en'): string {
  let out = text
    .replace(/(?<![\p{L}\p{M}\p{N}])(\p{Lu}\.) (?=\p{Lu})/gu, '$1\u00a0')
    .replace(/\b(Mr|Mrs|Ms|Mx|Dr|Prof|St|Mt|Rev|Fr|Mme|Mlle|Vol|No|pp)\. (?=\S)/g, '$1.\u00a0')
    .replace(/\b(Mr|Mrs|Ms|Mx|Dr|Prof|St|Mt|Rev|Fr|Mme|Mlle) (?=\p{Lu})/gu, '$1\u00a0')
    .replace(/ (?=(?:Jr|Sr)\.)/g, '\u00a0')
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

/** Quotes, apostrophes and non-breaking spaces of one block's text, one character for one. */
export function smartenBlock(text: string, options: PunctuationOptions & Pick<QuoteOptions, 'continues'> = {}): string {
  return nonBreakingSpaces(smartenQuotes(text, options), options.language)
}

const needsMarks = /--|\.\s?\.\s?\.|``/
const marksProcessor = retext().use(retextSmartypants, {quotes: false, dashes: 'oldschool'}).freeze()

/**
 * `--` and `---` to en and em dashes, `...` to an ellipsis; only text that holds one is parsed.
 * An en dash followed by a lone hyphen is joined into an em dash here, as retext-smartypants
 * would, because it logs every such join to the console (which a library must never write to).
 */
export function smartenMarks(text: string): string {
  if (!needsMarks.test(text)) return text
  return String(marksProcessor.processSync(text.replace(/(?<!–)–-(?!-)/g, '—')))
}

/** One line of text (a title) with the same rules as a block of a review's body. */
export function smartenText(text: string, options: PunctuationOptions = {}): string {
  return smartenMarks(smartenBlock(text, options))
}
