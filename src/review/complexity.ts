// Before a review is parsed: one linear pass over its text that finds the shapes the Markdown
// and HTML parsers take quadratic time or deep recursion on (a line of a thousand nested list
// markers, a paragraph of thousands of unmatched `]` or `*`, HTML nested thousands deep, a
// table thousands of columns wide), so such a review is refused with its place in a few
// milliseconds instead of hanging the build. Real reviews are far below every bound. Pure.
import type {Point} from 'unist'
import {notNesting, tagSource} from '../shared/html-nesting.js'

/** Bounds, each far above anything a review needs and far below where parsing slows down. */
export const complexityLimits = {
  /** Block quotes and list items inside each other (also checked on the parsed tree). */
  nesting: 100,
  /** Link brackets (`]`) in one paragraph: the parser looks back over the paragraph for each. */
  brackets: 1000,
  /** Runs of emphasis marks (`*`, `_`, `~`) in one paragraph: unmatched ones are paired in quadratic time. */
  delimiters: 1000,
  /** One run of the same mark (`*****…`). */
  run: 200,
  /** Columns of a table. */
  columns: 200
}

export interface Complexity {
  reason: string
  place: Point
}

/** A start or end tag at the scan's place. */
const startTag = new RegExp(`^${tagSource}`)
const listMarker = /^(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)/
const fence = /^ {0,3}(`{3,}|~{3,})/
const delimiterRow = /^ {0,3}\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?\|?[ \t]*$/
/** The first shape in `text` that would make parsing too slow or too deep, with where it is. */
export function findComplexity(text: string, lineOffset = 0): Complexity | undefined {
  const lines = text.split('\n')
  let fenceMarker: string | undefined
  let brackets = 0
  let delimiters = 0
  let htmlDepth = 0
  /** Content indents of the open list items (lists nested by indentation, across lines). */
  const items: number[] = []
  const at = (line: number, column: number): Point => ({line: line + 1 + lineOffset, column: column + 1})
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!
    const opening = fence.exec(line)
    if (fenceMarker !== undefined) {
      if (opening && opening[1]!.startsWith(fenceMarker)) fenceMarker = undefined
      continue
    }
    if (opening) {
      fenceMarker = opening[1]!
      continue
    }
    if (line.trim() === '') {
      // A blank line ends the paragraph; the inline counts start again.
      brackets = 0
      delimiters = 0
      continue
    }
    // Container markers at the start of the line: `> - 1. > …`.
    let column = 0
    let width = 0
    let markers = 0
    let deepest = -1
    for (;;) {
      // Stop at the marker past the limit: the rest of such a line is not worth reading.
      if (markers + Math.max(0, items.length - 1) > complexityLimits.nesting) {
        deepest = column
        break
      }
      while (line[column] === ' ' || line[column] === '\t') {
        width += line[column] === '\t' ? 4 - (width % 4) : 1
        column++
      }
      if (line[column] === '>') {
        markers++
        column++
        width++
        continue
      }
      const marker = listMarker.exec(line.slice(column, column + 12))
      if (!marker) break
      if (markers === 0) {
        while (items.length > 0 && items[items.length - 1]! > width) items.pop()
        items.push(width + marker[0].length + 1)
      }
      markers++
      column += marker[0].length
      width += marker[0].length
    }
    if (markers === 0 && width === 0) items.length = 0
    const depth = markers + Math.max(0, items.length - (markers > 0 ? 1 : 0))
    if (deepest >= 0 || depth > complexityLimits.nesting) {
      return {
        reason: `The review nests block quotes and lists more than ${complexityLimits.nesting} levels deep`,
        place: at(index, deepest >= 0 ? deepest : column)
      }
    }
    if (delimiterRow.test(line)) {
      const columns = line
        .replace(/^[ \t]*\|/, '')
        .replace(/\|[ \t]*$/, '')
        .split('|').length
      if (columns > complexityLimits.columns)
        return {reason: `The review has a table ${columns} columns wide (at most ${complexityLimits.columns})`, place: at(index, 0)}
      continue
    }
    // A line of one mark and spaces is a scene break or a heading underline, not emphasis.
    if (/^ {0,3}([-*_=~])(?:[ \t]*\1)*[ \t]*$/.test(line)) continue
    const found = scanInline(line, column)
    if (found.kind) {
      return {reason: found.kind, place: at(index, found.column)}
    }
    brackets += found.brackets
    delimiters += found.delimiters
    if (brackets > complexityLimits.brackets)
      return {
        reason: `One paragraph of the review holds more than ${complexityLimits.brackets} link brackets \`]\`; split it into paragraphs`,
        place: at(index, found.lastBracket)
      }
    if (delimiters > complexityLimits.delimiters)
      return {
        reason: `One paragraph of the review holds more than ${complexityLimits.delimiters} emphasis marks (\`*\`, \`_\`, \`~\`); split it into paragraphs`,
        place: at(index, found.lastDelimiter)
      }
    htmlDepth += found.htmlDepth
    if (found.htmlMax + htmlDepth - found.htmlDepth > complexityLimits.nesting) {
      return {reason: `The review's HTML nests elements more than ${complexityLimits.nesting} levels deep`, place: at(index, found.htmlDeepest)}
    }
    htmlDepth = Math.max(0, htmlDepth)
  }
  return undefined
}

interface LineScan {
  kind: string | undefined
  column: number
  brackets: number
  delimiters: number
  lastBracket: number
  lastDelimiter: number
  /** The change in HTML nesting over the line, its highest point relative to the start, and where. */
  htmlDepth: number
  htmlMax: number
  htmlDeepest: number
}

function scanInline(line: string, from: number): LineScan {
  const scan: LineScan = {kind: undefined, column: 0, brackets: 0, delimiters: 0, lastBracket: 0, lastDelimiter: 0, htmlDepth: 0, htmlMax: 0, htmlDeepest: 0}
  for (let column = from; column < line.length; column++) {
    const char = line[column]!
    if (char === '\\') {
      column++
    } else if (char === '`') {
      // A code span: its text is not Markdown or HTML.
      let run = 1
      while (line[column + run] === '`') run++
      const close = line.indexOf('`'.repeat(run), column + run)
      column = close > 0 && line[close + run] !== '`' ? close + run - 1 : column + run - 1
    } else if (char === ']') {
      scan.brackets++
      scan.lastBracket = column
    } else if (char === '*' || char === '_' || char === '~') {
      let run = 1
      while (line[column + run] === char) run++
      if (run > complexityLimits.run) return {...scan, kind: `The review has a run of ${run} \`${char}\` marks (at most ${complexityLimits.run})`, column}
      scan.delimiters++
      scan.lastDelimiter = column
      column += run - 1
    } else if (char === '<') {
      const tag = startTag.exec(line.slice(column, column + 256))
      if (!tag || notNesting.has(tag[2]!.toLowerCase())) continue
      if (tag[1]) scan.htmlDepth--
      else if (tag[3] !== '/') scan.htmlDepth++
      if (scan.htmlDepth > scan.htmlMax) {
        scan.htmlMax = scan.htmlDepth
        scan.htmlDeepest = column
      }
    }
  }
  return scan
}

/** The deepest node of a tree, found without recursion (the tree may be deeper than the stack). */
export function deepestNode(tree: {children?: unknown[]}): {depth: number; node: unknown} {
  let deepest = {depth: 0, node: tree as unknown}
  const stack: Array<{node: unknown; depth: number}> = [{node: tree, depth: 0}]
  while (stack.length > 0) {
    const {node, depth} = stack.pop()!
    if (depth > deepest.depth) deepest = {depth, node}
    const children = (node as {children?: unknown[]}).children
    if (children) for (const child of children) stack.push({node: child, depth: depth + 1})
  }
  return deepest
}
