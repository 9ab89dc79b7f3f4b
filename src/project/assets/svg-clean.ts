// SVG images made safe for a book, as raw HTML is: parsed as XML (@rgrove/parse-xml), rebuilt
// as an xast tree keeping the drawing but no scripts, handlers, links, embedded HTML or outside
// references, written by xast-util-to-xml. Takes bytes and the file's name; gives new bytes and
// what was removed (with its line in the SVG), or why the SVG cannot be used. Pure.
import {parseXml, XmlCdata, XmlElement, XmlError, XmlProcessingInstruction, XmlText, type XmlDocument} from '@rgrove/parse-xml'
import {location} from 'vfile-location'
import type {Element, ElementContent} from 'xast'
import {toXml} from 'xast-util-to-xml'
import {cssUrls, parseCss, printCss, type UrlDecision} from './css-clean.js'
import type {Problem} from '../../shared/diagnostics.js'
import {internalEntities} from './xml-entities.js'
import {decodeXml, internalSubset, localName, namespaceOf, usesPrefix, withDeclarations} from './xml-source.js'

type Finding = Omit<Problem, 'place'>
export type CleanedSvg = {bytes: Uint8Array; problems: Finding[]} | {refused: Finding}

const ns = {
  svg: 'http://www.w3.org/2000/svg',
  xlink: 'http://www.w3.org/1999/xlink',
  xhtml: 'http://www.w3.org/1999/xhtml',
  xml: 'http://www.w3.org/XML/1998/namespace'
}
/** Entity text a file may expand to in all: far above real use, far below harm. */
export const entityTextLimit = 1_000_000
const redo = 'Export it again from the drawing program as plain SVG (Inkscape: Save As › Plain SVG), or as PNG.'
/** Elements that run, embed or fetch something; never part of a drawing. */
const unsafeElements = new Set(['script', 'foreignObject', 'handler', 'listener', 'iframe', 'embed', 'object', 'audio', 'video', 'canvas'])
/** Elements that are nothing without what their `href` names: they go with it. */
const referenceElements = new Set(['image', 'use', 'feImage'])
const rasterData = /^data:image\/(?:png|jpeg|gif|webp)[;,]/i

interface Removal {
  what: string
  why: string
  offset: number
}

export function cleanSvg(bytes: Uint8Array, name: string): CleanedSvg {
  const refuse = (why: string): CleanedSvg => ({
    refused: {reason: `\`${name}\` ${why}; e-readers cannot show it safely`, ruleId: 'image-format', severity: 'error', note: redo}
  })
  const text = decodeXml(bytes)
  if (text === undefined) return refuse('is not in an encoding this tool reads (UTF-8, or the one its XML declaration names)')
  // Entities the doctype declares are expanded here, plain ones only and within a bound; the
  // doctype itself is dropped (EPUBCheck rejects its external identifier, OPF-073).
  const entities = internalEntities(internalSubset(text))
  let expanded = 0
  let entityProblem: string | undefined
  let document: XmlDocument
  try {
    document = parseXml(text, {
      includeOffsets: true,
      resolveUndefinedEntity: (reference) => {
        const entity = entities.get(reference.slice(1, -1))
        if (entity?.value === undefined) {
          entityProblem ??= entity ? `uses the entity \`${reference}\`, ${entity.unusable}` : undefined
          return undefined
        }
        expanded += entity.value.length
        if (expanded > entityTextLimit)
          entityProblem ??= `expands its entities to more than ${entityTextLimit / 1e6} million characters (a guard against entity bombs)`
        return expanded > entityTextLimit ? undefined : entity.value
      }
    })
  } catch (error) {
    if (entityProblem) return refuse(entityProblem)
    if (!(error instanceof XmlError)) throw error
    return refuse(`is not well-formed XML (line ${error.line}, column ${error.column}: ${error.message.replace(/ \(line \d+, column \d+\)[\s\S]*$/, '')})`)
  }
  const root = document.root
  if (!root) return refuse('has no root element')
  const removals: Removal[] = []
  const scope = new Map([['xml', ns.xml]])
  if (!root.attributes.xmlns && !root.name.includes(':')) root.attributes.xmlns = ns.svg
  // The SVG 1.1 doctype declared `xlink` for the file; without the doctype, the root does.
  if (!root.attributes['xmlns:xlink'] && usesPrefix(root, 'xlink')) root.attributes['xmlns:xlink'] = ns.xlink
  for (const child of document.children) {
    if (child instanceof XmlProcessingInstruction && child.name === 'xml-stylesheet')
      removals.push({what: 'A stylesheet link', why: "a book's images cannot load anything", offset: child.start})
  }
  const cleaned = cleanElement(root, scope, removals)
  if (typeof cleaned === 'string') return refuse(cleaned)
  const first = cleaned[0]
  if (cleaned.length !== 1 || first?.type !== 'element' || localName(first.name) !== 'svg' || namespaceOf(first.name, withDeclarations(scope, root)) !== ns.svg)
    return refuse('is not an SVG drawing (its root element is not `<svg>` in the SVG namespace)')
  // xast-util-to-xml leaves `>` alone, but `]]>` may not stand in text; escaped, it means the same.
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n${toXml(first, {closeEmptyElements: true}).replaceAll(']]>', ']]&gt;')}\n`
  return {bytes: new TextEncoder().encode(xml), problems: findings(removals, name, text)}
}

/** The element as xast, made safe; several nodes when a link is unwrapped; a string when it cannot be. */
function cleanElement(node: XmlElement, outer: Map<string, string>, removals: Removal[]): ElementContent[] | string {
  const scope = withDeclarations(outer, node)
  const name = localName(node.name)
  const namespace = namespaceOf(node.name, scope)
  if (namespace === undefined && node.name.includes(':')) return `uses the undeclared prefix \`${node.name.split(':')[0]}:\``
  if (unsafeElements.has(name) || namespace === ns.xhtml) {
    removals.push({
      what: `\`<${node.name}>\``,
      why:
        name === 'script' || name === 'handler' || name === 'listener'
          ? 'e-books cannot run scripts'
          : "a book's images hold drawing only, not embedded pages or media",
      offset: node.start
    })
    return []
  }
  const inSvg = namespace === ns.svg
  if (inSvg && /^(?:set|animate\w*)$/.test(name) && /(^|:)href$/.test(node.attributes.attributeName ?? '')) {
    removals.push({what: `\`<${node.name}>\` changing a link`, why: 'it could turn a link into a script', offset: node.start})
    return []
  }
  const attributes: Record<string, string> = {}
  for (const [key, value] of Object.entries(node.attributes)) {
    const attribute = localName(key)
    const attributeNs = key.includes(':') ? scope.get(key.split(':')[0]!) : undefined
    if (key.includes(':') && !key.startsWith('xmlns:') && attributeNs === undefined) continue
    if (/^on/i.test(attribute) && !key.includes(':')) {
      removals.push({what: `Event handler \`${key}\` on \`<${node.name}>\``, why: 'e-books do not run scripts', offset: node.start})
    } else if (attributeNs === ns.xml && attribute === 'base') {
      // A base address would send the file's references elsewhere; it draws nothing.
    } else if (attribute === 'href' && (attributeNs === undefined || attributeNs === ns.xlink)) {
      const kept = value.startsWith('#') || (rasterData.test(value) && (name === 'image' || name === 'feImage'))
      if (kept) attributes[key] = value
      else if (inSvg && name === 'a' && !/^\s*javascript:/i.test(value)) continue
      else {
        removals.push(referenceRemoval(value, node.start))
        if (referenceElements.has(name)) return []
      }
    } else if (attribute === 'style' && !key.includes(':')) {
      const css = cleanCss(value, 'declarationList', node.start, removals)
      if (css) attributes[key] = css
    } else if (/url\(/i.test(value) && !key.startsWith('xmlns')) {
      // A paint or filter naming another file (`fill="url(other.svg#g)"`) falls back to its default.
      const outside = cssUrls(parseCss(`x:${value}`, 'declarationList')).find((url) => !keeps(url.url))
      if (outside) removals.push(referenceRemoval(outside.url, node.start))
      else attributes[key] = value
    } else {
      attributes[key] = value
    }
  }
  const children: ElementContent[] = []
  const styleText =
    inSvg && name === 'style' ? node.children.map((child) => (child instanceof XmlText || child instanceof XmlCdata ? child.text : '')).join('') : undefined
  if (styleText !== undefined) {
    const css = cleanCss(styleText, 'stylesheet', node.start, removals)
    if (css) children.push({type: 'text', value: css})
  } else {
    for (const child of node.children) {
      if (child instanceof XmlElement) {
        const cleaned = cleanElement(child, scope, removals)
        if (typeof cleaned === 'string') return cleaned
        children.push(...cleaned)
      } else if (child instanceof XmlText || child instanceof XmlCdata) {
        children.push({type: 'text', value: child.text})
      }
      // Comments and processing instructions draw nothing.
    }
  }
  if (inSvg && name === 'a') {
    // A link inside a picture cannot be followed (and EPUBCheck asks each for a title): what it draws stays.
    removals.push({what: 'A link', why: 'links inside an image cannot be followed in a book; what it draws is kept', offset: node.start})
    return children
  }
  const element: Element = {type: 'element', name: node.name, attributes, children}
  return [element]
}

function referenceRemoval(url: string, offset: number): Removal {
  const shown = url.length > 60 ? `${url.slice(0, 57)}…` : url
  if (/^\s*javascript:/i.test(url)) return {what: `A \`javascript:\` URL`, why: 'e-books do not run scripts', offset}
  if (/^\s*file:/i.test(url))
    return {what: `The reference to \`${shown}\``, why: 'a `file:` address names a file on the computer that made the drawing', offset}
  if (/^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(url)) return {what: `The reference to \`${shown}\``, why: 'a book cannot load anything from the web', offset}
  return {what: `The reference to \`${shown}\``, why: 'only what is inside the SVG file itself goes into the book', offset}
}

function keeps(url: string): boolean {
  return url.startsWith('#') || rasterData.test(url)
}

/** CSS inside the SVG, through the stylesheet cleaner; every url() must point inside the file. */
function cleanCss(text: string, context: 'stylesheet' | 'declarationList', offset: number, removals: Removal[]): string {
  const decide = (url: string): UrlDecision => {
    if (keeps(url)) return {href: url}
    const {what, why} = referenceRemoval(url, offset)
    return {drop: {reason: `${what} was removed: ${why}`, ruleId: 'unsafe-svg', severity: 'warning'}}
  }
  const {css, problems} = printCss(parseCss(text, context), decide)
  for (const problem of problems) removals.push({what: problem.reason, why: '', offset})
  return css.trim()
}

function findings(removals: Removal[], name: string, text: string): Finding[] {
  const lines = location(text)
  const groups = new Map<string, Removal[]>()
  for (const removal of removals) groups.set(`${removal.what}\0${removal.why}`, [...(groups.get(`${removal.what}\0${removal.why}`) ?? []), removal])
  // One note for the image: every removal is fixed the same way.
  return [...groups.values()].map((group, index) => {
    const first = group[0]!
    const more = group.length > 1 ? ` (and ${group.length - 1} more like it)` : ''
    // CSS problems come as whole sentences from the stylesheet cleaner.
    const sentence = first.why ? `${first.what} was removed${more}: ${first.why}` : `${first.what}${more}`
    return {
      reason: `SVG image \`${name}\`, line ${lines.toPoint(first.offset)?.line ?? 1}: ${sentence}`,
      ruleId: 'unsafe-svg',
      severity: 'warning',
      note: index === 0 ? redo : undefined
    }
  })
}
