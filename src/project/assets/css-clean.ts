// CSS an author wrote, made fit for a book: parsed with css-tree, then printed again from the
// tree, one rule a line, so nothing unparsed is ever copied through (no stray `}`, unclosed
// string or `</style>`). Each url() is kept, pointed elsewhere or dropped with its declaration
// as the caller decides; what is dropped comes back as problems with places. Pure.
import {generate, parse, type Atrule, type CssNode, type Declaration, type DeclarationList, type Rule, type StyleSheet, type SyntaxParseError} from 'css-tree'
import {childrenOf, hasRaw, parsesCleanly, placeOf, printValue, splitOnCommas} from './css-nodes.js'
import type {Position} from 'unist'
import type {Problem} from '../../shared/diagnostics.js'

export interface ParsedCss {
  /** A stylesheet, or the declarations of a `style` attribute. */
  sheet: StyleSheet | DeclarationList
  errors: SyntaxParseError[]
  /** Where blocks nest too deep to parse (css-tree recurses, and overflows the stack on thousands). */
  tooDeep?: {line: number; column: number} | undefined
}

/** Blocks, brackets and functions inside each other: real stylesheets stay under ten. */
export const cssNestingLimit = 32

export interface CssUrl {
  url: string
  place: Position
}

/** What becomes of a url(): pointed at `href`, or dropped with its declaration (the problem is undefined when already reported). */
export type UrlDecision = {href: string} | {drop: Omit<Problem, 'place'> | undefined}

export function parseCss(text: string, context: 'stylesheet' | 'declarationList' = 'stylesheet'): ParsedCss {
  const deep = tooDeep(text)
  if (deep !== undefined) {
    const before = text.slice(0, deep)
    return {
      sheet: parse('', {context}) as StyleSheet | DeclarationList,
      errors: [],
      tooDeep: {line: before.split('\n').length, column: deep - before.lastIndexOf('\n')}
    }
  }
  const errors: SyntaxParseError[] = []
  const sheet = parse(text, {context, positions: true, onParseError: (error) => errors.push(error)}) as StyleSheet | DeclarationList
  return {sheet, errors}
}

/** The offset where `{`, `(` or `[` nest past the limit, outside strings and comments; undefined when they never do. */
function tooDeep(text: string): number | undefined {
  let depth = 0
  for (let index = 0; index < text.length; index++) {
    const char = text[index]
    if (char === '/' && text[index + 1] === '*') {
      const end = text.indexOf('*/', index + 2)
      index = end < 0 ? text.length : end + 1
    } else if (char === '"' || char === "'") {
      for (index++; index < text.length && text[index] !== char && text[index] !== '\n'; index++) if (text[index] === '\\') index++
    } else if (char === '{' || char === '(' || char === '[') {
      if (++depth > cssNestingLimit) return index
    } else if (char === '}' || char === ')' || char === ']') {
      depth = Math.max(0, depth - 1)
    }
  }
  return undefined
}

/** Whether a url() needs a decision: fragments (`#gradient`) point inside the document itself. */
function loads(url: string): boolean {
  return !url.startsWith('#')
}

/** Every url() that loads something, in order: in declarations and in `@import`. */
export function cssUrls({sheet}: ParsedCss): CssUrl[] {
  const urls: CssUrl[] = []
  const visit = (node: CssNode): void => {
    if (node.type === 'Url' && loads(node.value)) urls.push({url: node.value, place: placeOf(node)})
    else if (node.type === 'Atrule' && node.name.toLowerCase() === 'namespace') return
    for (const child of childrenOf(node)) visit(child)
  }
  visit(sheet)
  return urls
}

/** The CSS again, from the tree, with every url() decided; problems for everything left out. */
export function printCss(parsed: ParsedCss, decide: (url: string) => UrlDecision): {css: string; problems: Problem[]} {
  const problems: Problem[] = []
  if (parsed.tooDeep) {
    problems.push({
      reason: `CSS nested more than ${cssNestingLimit} levels deep (blocks, brackets or functions inside each other) cannot be read, so all of it is left out of the books`,
      ruleId: 'stylesheet-syntax',
      severity: 'warning',
      place: parsed.tooDeep,
      note: 'Look at that place for text pasted by mistake, or an opening brace that is never closed.'
    })
    return {css: '', problems}
  }
  const unreadable = (node: CssNode) => {
    // css-tree's message where it has one inside the node, so the place is the exact character.
    const {start, end} = node.loc ?? {start: undefined, end: undefined}
    const error = parsed.errors.find((candidate) => start && end && candidate.offset >= start.offset && candidate.offset <= end.offset)
    const place = error ? {line: error.line, column: error.column} : placeOf(node)
    const lines = start && end && end.line > start.line ? `lines ${start.line} to ${end.line}` : `line ${start?.line ?? '?'}`
    problems.push({
      reason: `CSS that cannot be read is left out of the books (${lines})${error ? `: ${error.message}` : ''}`,
      ruleId: 'stylesheet-syntax',
      severity: 'warning',
      place,
      note: 'Fix the CSS at this place: a missing `{`, `}`, `;` or quote, or text that is not CSS (such as HTML). Browsers skip it too, and EPUBCheck rejects a book holding it.'
    })
  }
  const urlsOf = (node: CssNode): Array<{node: Extract<CssNode, {type: 'Url'}>; decision: UrlDecision}> => {
    const found: Array<{node: Extract<CssNode, {type: 'Url'}>; decision: UrlDecision}> = []
    const visit = (child: CssNode): void => {
      if (child.type === 'Url' && loads(child.value)) found.push({node: child, decision: decide(child.value)})
      for (const grandchild of childrenOf(child)) visit(grandchild)
    }
    visit(node)
    return found
  }
  /** Points every url() of `node` at its href, or reports the dropped ones and says false. */
  const settle = (node: CssNode): boolean => {
    let kept = true
    for (const {node: url, decision} of urlsOf(node)) {
      if ('href' in decision) url.value = decision.href
      else {
        if (decision.drop) problems.push({...decision.drop, place: placeOf(url)})
        kept = false
      }
    }
    return kept
  }

  const declaration = (node: Declaration, inFontFace: boolean): string | undefined => {
    const property = node.property.toLowerCase()
    if (node.value.type === 'Raw' ? !property.startsWith('--') : hasRaw(node.value)) return void unreadable(node)
    if (node.value.type === 'Value' && node.value.children.isEmpty) {
      problems.push({
        reason: `\`${node.property}\` has no value, so it is left out of the books`,
        ruleId: 'stylesheet-syntax',
        severity: 'warning',
        place: placeOf(node),
        note: 'Give it a value, or delete it.'
      })
      return undefined
    }
    if (property === 'direction' || property === 'unicode-bidi') {
      problems.push({
        reason: `\`${node.property}\` is left out of the books: EPUB forbids it in stylesheets, because the direction of text belongs to the markup`,
        ruleId: 'stylesheet-property',
        severity: 'warning',
        place: placeOf(node),
        note: "Remove it; e-readers take the direction of text from the book's `language`."
      })
      return undefined
    }
    const important = node.important === true ? ' !important' : node.important ? ` !${node.important}` : ''
    if (node.value.type === 'Raw') return `${node.property}:${node.value.value.trimEnd()}${important}`
    // In @font-face, `src` lists alternatives: a font that cannot be embedded drops out of the
    // list, and the declaration goes only when none is left.
    const groups = inFontFace && property === 'src' ? splitOnCommas(node.value.children.toArray()) : [node.value.children.toArray()]
    const kept = groups.filter((group) => group.map(settle).every(Boolean))
    if (kept.length === 0) return undefined
    return `${node.property}: ${kept.map(printValue).join(', ')}${important}`
  }

  const block = (node: Rule | Atrule, indent: string): string | undefined => {
    const head = node.type === 'Rule' ? generate(node.prelude) : `@${node.name}${node.prelude ? ` ${generate(node.prelude)}` : ''}`
    if (!node.block) return `${head};`
    const inFontFace = node.type === 'Atrule' && node.name.toLowerCase() === 'font-face'
    const children = node.block.children.toArray()
    const declarations = children.every((child) => child.type === 'Declaration' || child.type === 'Raw')
    if (!declarations) return nested(head, children, indent)
    const printed = children.map((child) => statement(child, `${indent}  `, inFontFace)).filter((text): text is string => text !== undefined)
    // A @font-face left without a source names no font (EPUBCheck warns about it).
    if (inFontFace && !printed.some((text) => /^src\s*:/i.test(text))) return undefined
    return `${head} {${printed.length ? ` ${printed.join('; ')};` : ''} }`
  }

  const nested = (head: string, children: CssNode[], indent: string): string => {
    // Rules and declarations together (@page with its margin boxes): each declaration ends in `;`.
    const lines = children.flatMap((child) => {
      const text = statement(child, `${indent}  `)
      return text === undefined ? [] : [`${indent}  ${text}${child.type === 'Declaration' ? ';' : ''}`]
    })
    return lines.length ? `${head} {\n${lines.join('\n')}\n${indent}}` : `${head} { }`
  }

  const statement = (node: CssNode, indent: string, inFontFace = false): string | undefined => {
    if (node.type === 'Declaration') return declaration(node, inFontFace)
    if (node.type === 'Rule') {
      if (hasRaw(node.prelude)) return void unreadable(node)
      return settle(node.prelude) ? block(node, indent) : undefined
    }
    if (node.type === 'Atrule') {
      const name = node.name.toLowerCase()
      // The book's stylesheet is UTF-8 and opens with its own @charset.
      if (name === 'charset') return undefined
      if (name === 'import') return void importProblem(node, problems)
      if (node.prelude && hasRaw(node.prelude)) return void unreadable(node)
      if (name !== 'namespace' && node.prelude && !settle(node.prelude)) return undefined
      return block(node, indent)
    }
    // A lone `;` between declarations, or the `<!--` and `-->` old stylesheets wrap themselves in,
    // mean nothing; anything else here is text css-tree could not place.
    if (node.type === 'CDO' || node.type === 'CDC' || (node.type === 'Raw' && /^[\s;]*$/.test(node.value))) return undefined
    return void unreadable(node)
  }

  const context = parsed.sheet.type === 'DeclarationList' ? 'declarationList' : 'stylesheet'
  const rules = parsed.sheet.children.toArray().flatMap((node) => {
    const text = statement(node, '')
    if (text === undefined) return []
    // What css-tree read without complaint but cannot print back as valid CSS (a media query
    // swallowing a `;`) is unreadable too: only text that parses again goes into a book.
    if (parsesCleanly(text, context)) return [text]
    unreadable(node)
    return []
  })
  const text = parsed.sheet.type === 'DeclarationList' ? rules.join('; ') : rules.map((rule) => `${rule}\n`).join('')
  // Strings and custom properties may still hold `<`; escaped, it means the same to CSS and can
  // never close a <style> element or open a tag.
  return {css: text.replace(/</g, '\\3c '), problems}
}

function importProblem(node: Atrule, problems: Problem[]): void {
  let target = ''
  const visit = (child: CssNode): void => {
    if (!target && (child.type === 'Url' || child.type === 'String')) target = child.value
    for (const grandchild of childrenOf(child)) visit(grandchild)
  }
  if (node.prelude) visit(node.prelude)
  const remote = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(target)
  problems.push({
    reason: `\`@import\` of \`${shorten(target)}\` is left out of the books: ${remote ? 'a book cannot load anything from the web' : 'a book has one stylesheet, and imported ones are not read'}`,
    ruleId: 'stylesheet-resource',
    severity: 'warning',
    place: placeOf(node),
    note: 'Copy the rules you need into this stylesheet; for a web font, put its files beside the stylesheet and name them in `@font-face`.'
  })
}

/** Data URLs can be long; a message shows their start. */
export function shorten(url: string): string {
  return url.length > 60 ? `${url.slice(0, 57)}…` : url
}
