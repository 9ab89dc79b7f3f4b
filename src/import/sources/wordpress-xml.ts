// A WXR file (WordPress's export XML) as an element tree, by a real XML parser (@rgrove/parse-xml),
// so CDATA split as `]]]]><![CDATA[>` comes back whole; helpers to read an item's values and to
// place a value (or a spot inside one) on the file's lines. Takes the entry's VFile; problems
// (not well-formed, characters XML forbids) go on it. Pure.
import {parseXml, XmlCdata, XmlElement, XmlError, XmlText} from '@rgrove/parse-xml'
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {placeOfRange} from '../../project/yaml-place.js'
import {report} from '../../shared/diagnostics.js'
import {decodeHtml} from './wordpress-text.js'

/** Characters XML 1.0 forbids; WordPress writes them through when a post was pasted from a word processor. */
const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

/** The `<channel>` of a WXR file; undefined (with an error on `file`) when the file is not one. */
export function parseWxr(file: VFile): XmlElement | undefined {
  let text = String(file.value)
  const first = text.search(forbidden)
  if (first !== -1) {
    const count = text.match(forbidden)?.length ?? 0
    // Spaces keep every offset, so later messages stay on the right line and column.
    text = text.replace(forbidden, ' ')
    report(file, {
      reason: `The export holds ${count === 1 ? 'a control character' : `${count} control characters`} that XML does not allow; ${count === 1 ? 'it is' : 'they are'} read as ${count === 1 ? 'a space' : 'spaces'}`,
      ruleId: 'import-text',
      severity: 'warning',
      place: placeOfRange(file, first, first + 1)?.start,
      note: 'They usually come from text pasted from a word processor; check the post there reads as intended.'
    })
  }
  let root: XmlElement | null
  try {
    root = parseXml(text, {includeOffsets: true, preserveCdata: true, resolveUndefinedEntity: htmlEntity}).root
  } catch (error) {
    if (!(error instanceof XmlError)) throw error
    report(file, {
      reason: `The WordPress export is not well-formed XML (${error.message.replace(/ \(line \d+, column \d+\)[\s\S]*$/, '')}), so none of its posts can be read`,
      ruleId: 'import-unreadable',
      severity: 'error',
      place: {line: error.line, column: error.column},
      note: 'The file may have been cut short or edited by hand: export it again (Tools › Export › All content), or mend the XML at that place.'
    })
    return undefined
  }
  const channel = root?.name === 'rss' ? child(root, 'channel') : undefined
  if (!channel) {
    report(file, {
      reason: `The file is XML but not a WordPress export (its root is \`<${root?.name ?? ''}>\`, not \`<rss>\` with a \`<channel>\`), so it is not read`,
      ruleId: 'import-unreadable',
      severity: 'error',
      place: root ? placeOfRange(file, root.start, root.start + 1)?.start : undefined,
      note: 'Import the file WordPress gives under Tools › Export › All content.'
    })
  }
  return channel
}

/** Named entities are HTML's, not XML's; some exporters write them outside CDATA. */
function htmlEntity(reference: string): string | undefined {
  const decoded = decodeHtml(reference)
  return decoded === reference ? undefined : decoded
}

export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((node): node is XmlElement => node instanceof XmlElement && node.name === name)
}

export function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((node): node is XmlElement => node instanceof XmlElement && node.name === name)
}

/** A child's text, its CDATA pieces joined; '' when the child is missing. */
export function childText(element: XmlElement, name: string): string {
  return child(element, name)?.text ?? ''
}

export function placeOf(file: VFile, element: XmlElement): Position | undefined {
  return placeOfRange(file, element.start, element.end)
}

/** Where, in the file, the character at `offset` of the element's text is (exact inside CDATA, the piece's start in escaped text). */
export function placeInText(file: VFile, element: XmlElement, offset: number): Position | undefined {
  let seen = 0
  for (const node of element.children) {
    if (!(node instanceof XmlText)) continue
    const length = node.text.length
    if (offset < seen + length || node === element.children.at(-1)) {
      const start = node instanceof XmlCdata ? node.start + '<![CDATA['.length + Math.min(offset - seen, length) : node.start
      return placeOfRange(file, start, start)
    }
    seen += length
  }
  return placeOf(file, element)
}
