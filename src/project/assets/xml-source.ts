// Reading XML before and around the parser: bytes to text in the encoding the XML declaration
// names, the doctype's internal subset (which the parser skips), and which namespace a prefix
// means where. Pure.
import {parseXml, XmlDocumentType, XmlElement} from '@rgrove/parse-xml'
import {rootElementStart} from '../../shared/image-info.js'

/** UTF-8 unless the XML declaration names another encoding (read from its ASCII bytes). */
export function decodeXml(bytes: Uint8Array): string | undefined {
  const head = String.fromCharCode(...bytes.subarray(0, 200))
  const declared = /^(?:\uFEFF|\xEF\xBB\xBF)?<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]
  try {
    return new TextDecoder(declared ?? 'utf-8', {fatal: true}).decode(bytes).replace(/^\uFEFF/, '')
  } catch {
    return undefined
  }
}

/** The doctype's internal subset, read by the XML parser from the prolog alone ('' when none). */
export function internalSubset(text: string): string {
  const start = rootElementStart(text)
  if (start === undefined) return ''
  try {
    const prolog = parseXml(`${text.slice(0, start)}<x/>`, {preserveDocumentType: true, ignoreUndefinedEntities: true})
    return prolog.children.find((child): child is XmlDocumentType => child instanceof XmlDocumentType)?.internalSubset ?? ''
  } catch {
    // The whole file is parsed next, and its error reported then.
    return ''
  }
}

export function withDeclarations(outer: Map<string, string>, node: XmlElement): Map<string, string> {
  const declared = Object.entries(node.attributes).filter(([key]) => key === 'xmlns' || key.startsWith('xmlns:'))
  if (declared.length === 0) return outer
  const scope = new Map(outer)
  for (const [key, value] of declared) scope.set(key === 'xmlns' ? '' : key.slice(6), value)
  return scope
}

export function localName(qualified: string): string {
  return qualified.slice(qualified.indexOf(':') + 1)
}

export function namespaceOf(qualified: string, scope: Map<string, string>): string | undefined {
  return scope.get(qualified.includes(':') ? qualified.split(':')[0]! : '')
}

export function usesPrefix(node: XmlElement, prefix: string): boolean {
  return (
    Object.keys(node.attributes).some((key) => key.startsWith(`${prefix}:`)) ||
    node.children.some((child) => child instanceof XmlElement && usesPrefix(child, prefix))
  )
}
