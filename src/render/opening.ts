// A review's opening, as the manifest's `opening:` asks: its first words in small capitals, or
// a drop capital. Both are plain spans styled by the book's stylesheet (`.opening-words`,
// `.drop-cap`) rather than `::first-line`/`::first-letter`, which Kindle's converters do not
// keep; the drop capital floats with its size in em and no negative margins, as Amazon's
// Kindle Publishing Guidelines ask. Works on the serialised XHTML of one review's section
// (our own output: well-formed, text escaped, only numeric character references). Pure.
import type {Opening} from '../model.js'

/** How many words of the first paragraph the small capitals take (about a phone's first line). */
export const openingWords = 4

/** Inline elements the opening may start inside (`<p><em>Her</em> is…`). */
const inline = new Set(['em', 'i', 'strong', 'b', 'span', 'a', 'cite', 'q', 'small', 'abbr'])

/**
 * `html` with its first paragraph opened as `opening` says. The first paragraph is the
 * first `<p>` after the review's header (and the epigraph, when one follows the header);
 * a review that opens with anything else (a list, a figure, a heading) is left as it is.
 */
export function openReview(html: string, opening: Opening): string {
  if (opening === 'plain') return html
  const start = firstParagraph(html)
  if (start === undefined) return html
  return html.slice(0, start) + (opening === 'drop-cap' ? dropCap(html, start) : smallCaps(html, start))
}

/** Where the content of the review's first paragraph starts (just after its `<p>`), if it opens with one. */
function firstParagraph(html: string): number | undefined {
  const header = html.indexOf('</header>')
  if (header === -1) return undefined
  let at = skipSpace(html, header + '</header>'.length)
  if (html.startsWith('<blockquote>', at)) {
    const end = closingOf(html, at, 'blockquote')
    if (end === undefined) return undefined
    at = skipSpace(html, end)
  }
  return html.startsWith('<p>', at) ? at + 3 : undefined
}

function skipSpace(html: string, at: number): number {
  while (at < html.length && /\s/.test(html[at]!)) at++
  return at
}

/** The index just after the `</name>` that closes the element opening at `at` (nesting counted). */
function closingOf(html: string, at: number, name: string): number | undefined {
  const tags = new RegExp(`<(/?)${name}\\b[^>]*>`, 'g')
  tags.lastIndex = at
  let depth = 0
  for (let match = tags.exec(html); match; match = tags.exec(html)) {
    depth += match[1] ? -1 : 1
    if (depth === 0) return tags.lastIndex
  }
  return undefined
}

/** The paragraph's content from `start` as tokens up to its `</p>`: tags and text runs. */
function* tokens(html: string, start: number): Generator<{tag: string; name: string; closing: boolean} | {text: string}> {
  const end = html.indexOf('</p>', start)
  const limit = end === -1 ? html.length : end
  let at = start
  while (at < limit) {
    if (html[at] === '<') {
      const close = html.indexOf('>', at)
      const tag = html.slice(at, close + 1)
      const match = /^<(\/?)([a-zA-Z][\w:-]*)/.exec(tag)
      yield {tag, name: match?.[2]?.toLowerCase() ?? '', closing: match?.[1] === '/'}
      at = close + 1
    } else {
      const next = html.indexOf('<', at)
      const stop = next === -1 || next > limit ? limit : next
      yield {text: html.slice(at, stop)}
      at = stop
    }
  }
}

/** Opening punctuation that goes into the drop capital with its letter (“The, ‘Tis, (In…). */
const leading = /^(?:[“‘"'(«¿¡\u2018\u201C]|&#x(?:201[Cc]|2018|22|27|28|[Aa][Bb]);)*/
/** One letter or digit, with any combining marks after it; or one character reference. */
const letter = /^(?:&#x[0-9A-Fa-f]+;|&#\d+;|[\p{L}\p{N}][\p{M}]*)/u

function dropCap(html: string, start: number): string {
  let at = start
  for (const token of tokens(html, start)) {
    if ('text' in token) {
      const punctuation = leading.exec(token.text)![0]
      const rest = token.text.slice(punctuation.length)
      const first = letter.exec(rest)?.[0]
      // A paragraph opening with a number, a symbol or a space is left as it is.
      if (!first || !/^[\p{L}]/u.test(first)) return html.slice(start)
      return `${html.slice(start, at)}<span class="drop-cap">${punctuation}${first}</span>${html.slice(at + punctuation.length + first.length)}`
    }
    if (token.closing || !inline.has(token.name)) return html.slice(start)
    at += token.tag.length
  }
  return html.slice(start)
}

function smallCaps(html: string, start: number): string {
  let out = ''
  let at = start
  let words = 0
  for (const token of tokens(html, start)) {
    if ('tag' in token) {
      if (!inline.has(token.name)) break
      out += token.tag
      at += token.tag.length
      continue
    }
    const text = token.text
    // The run's words, up to the budget (JavaScript's \s counts the no-break space too).
    let take = 0
    for (const word of text.matchAll(/\S+/g)) {
      if (words === openingWords) break
      words++
      take = word.index + word[0].length
    }
    const lead = /^\s*/.exec(text)![0].length
    // Space before the first word stays outside the span, so the capitals start at the word.
    out += take > lead ? `${text.slice(0, lead)}<span class="opening-words">${text.slice(lead, take)}</span>${text.slice(take)}` : text
    at += text.length
    if (words >= openingWords) break
  }
  return out + html.slice(at)
}
