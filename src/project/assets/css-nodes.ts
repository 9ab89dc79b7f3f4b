// Small readings of css-tree's nodes for the stylesheet cleaner: children of any node, whether
// css-tree gave up inside one, a node's place, a value printed with a reader's spaces, and
// whether printed CSS parses again. Pure.
import {generate, parse, type CssNode} from 'css-tree'
import type {Position} from 'unist'

/** A value's parts with the spaces a reader expects (css-tree alone writes `url(a)no-repeat`). */
export function printValue(parts: CssNode[]): string {
  let text = ''
  for (const part of parts) {
    const piece = generate(part)
    if (part.type === 'Operator' && piece === ',') text += ','
    else text += text ? ` ${piece}` : piece
  }
  return text
}

export function splitOnCommas(parts: CssNode[]): CssNode[][] {
  const groups: CssNode[][] = [[]]
  for (const part of parts) {
    if (part.type === 'Operator' && part.value === ',') groups.push([])
    else groups[groups.length - 1]!.push(part)
  }
  return groups.filter((group) => group.length > 0)
}

export function parsesCleanly(text: string, context: 'stylesheet' | 'declarationList'): boolean {
  let clean = true
  parse(text, {context, onParseError: () => (clean = false)})
  return clean
}

/** Whether css-tree gave up somewhere inside: it keeps what it could not parse as Raw text. */
export function hasRaw(node: CssNode): boolean {
  return node.type === 'Raw' || childrenOf(node).some(hasRaw)
}

export function childrenOf(node: CssNode): CssNode[] {
  const children: CssNode[] = []
  const record = node as unknown as Record<string, unknown>
  for (const key of ['children', 'prelude', 'block', 'value']) {
    const value = record[key] as {toArray?: () => CssNode[]; type?: string} | null | undefined
    if (value && typeof value.toArray === 'function') children.push(...value.toArray())
    else if (value && typeof value === 'object' && typeof value.type === 'string') children.push(value as CssNode)
  }
  return children
}

export function placeOf(node: CssNode): Position {
  const {start, end} = node.loc!
  return {start: {line: start.line, column: start.column, offset: start.offset}, end: {line: end.line, column: end.column, offset: end.offset}}
}
