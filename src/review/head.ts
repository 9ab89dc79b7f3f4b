// A review's front matter on its own: the text up to its closing fence, and the tree the
// parser would make of it, made without the parser. A build of some volumes reads every other
// review for its front matter only (titles and places are all the chosen books need of them).
// Pure.
import type {Root} from 'mdast'

/** The text up to the front matter's closing fence (all of it when unclosed; nothing when there is none): what a review read for its front matter only is. */
export function frontMatterHead(text: string): string {
  const closing = /^-{3}[ \t]*(?:\r?\n|$)/m
  const opening = /^\uFEFF?-{3}[ \t]*\r?\n/.exec(text)
  const rest = opening ? closing.exec(text.slice(opening[0].length)) : null
  return opening && rest ? text.slice(0, opening[0].length + rest.index + rest[0].length) : opening ? text : ''
}

/**
 * The tree remark-parse and remark-frontmatter make of a head that is front matter and nothing
 * else (`---`, its lines, `---`), made without the parser: the one `yaml` node, its value and
 * its place exactly as micromark gives them (frontmatter.test.ts holds the two side by side).
 * `check --volume 1` of 5,000 reviews took 4.7 s of CPU with the parser, 2.9 s without it.
 * Undefined for anything else (a byte-order mark, a carriage return, no closing fence), which
 * the parser reads.
 */
export function frontMatterTree(head: string): Root | undefined {
  const open = /^---[ \t]*\n/.exec(head)
  if (!open || head.includes('\r')) return undefined
  const close = /^---[ \t]*(?:\n|$)/m.exec(head.slice(open[0].length))
  if (!close) return undefined
  const inner = head.slice(open[0].length, open[0].length + close.index)
  const fence = close[0].endsWith('\n') ? close[0].length - 1 : close[0].length
  const fenceLine = 2 + countNewlines(inner)
  const end = {line: fenceLine, column: fence + 1, offset: open[0].length + close.index + fence}
  if (head.length !== end.offset && head.length !== end.offset + 1) return undefined
  const docEnd = head.length === end.offset ? end : {line: fenceLine + 1, column: 1, offset: head.length}
  const start = {line: 1, column: 1, offset: 0}
  return {
    type: 'root',
    children: [{type: 'yaml', value: inner.endsWith('\n') ? inner.slice(0, -1) : inner, position: {start, end}}],
    position: {start, end: docEnd}
  }
}

function countNewlines(text: string): number {
  let count = 0
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++
  return count
}
