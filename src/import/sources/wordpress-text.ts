// HTML as plain text, for values WordPress stores as HTML but shows as text (titles, term and
// author names): entities decoded, tags stripped, runs of white space made one space. Pure.
import {VFile} from 'vfile'
import {parseHtml} from '../html.js'
import {textOf} from '../../shared/hast-text.js'

/** The text `html` shows (entities decoded, tags gone), white space as written. */
export function decodeHtml(html: string): string {
  if (!/[<&]/.test(html)) return html
  const tree = parseHtml(new VFile({value: html}), {fragment: true})
  // Nested past any real title: the tags are dropped by hand rather than parsed.
  return tree ? textOf(tree) : html.replace(/<[^<>]*>/g, '')
}

export function plainText(html: string): string {
  return decodeHtml(html).replace(/\s+/g, ' ').trim()
}
