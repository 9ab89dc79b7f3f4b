// HTML from an export into a tree: a whole page or a fragment, with positions in the entry's
// lines, after a linear check that it is not nested deeper than any real post (10,000 nested
// divs would take the tree builders past the stack). Problems go on the entry's file. Pure.
import type {Element, ElementContent, Root, RootContent} from 'hast'
import rehypeParse from 'rehype-parse'
import {unified} from 'unified'
import type {VFile} from 'vfile'
import {report} from '../shared/diagnostics.js'
import {notNesting, tagSource} from '../shared/html-nesting.js'

/** Elements inside each other: a real post stays far below. */
export const htmlNestingLimit = 200

export function parseHtml(file: VFile, options: {fragment: boolean}): Root | undefined {
  const text = String(file.value)
  const deep = tooDeep(text)
  if (deep !== undefined) {
    const before = text.slice(0, deep)
    report(file, {
      reason: `The HTML nests elements more than ${htmlNestingLimit} levels deep, far past any real post, so it is not read`,
      ruleId: 'import-unreadable',
      severity: 'error',
      place: {line: before.split('\n').length, column: deep - before.lastIndexOf('\n')},
      note: 'Look at that place in the export for markup pasted by mistake; remove it, or leave this post out.'
    })
    return undefined
  }
  return unified().use(rehypeParse, {fragment: options.fragment}).parse(file)
}

/** The offset where open tags nest past the limit, counted linearly; undefined when they never do. */
function tooDeep(text: string): number | undefined {
  const tag = new RegExp(tagSource, 'g')
  let depth = 0
  for (const match of text.matchAll(tag)) {
    if (notNesting.has(match[2]!.toLowerCase())) continue
    if (match[1]) depth = Math.max(0, depth - 1)
    else if (match[3] !== '/' && ++depth > htmlNestingLimit) return match.index
  }
  return undefined
}

/** Every element under `node` (itself included) that passes `test`, in document order, without recursion. */
export function selectAll(node: Root | Element, test: (element: Element) => boolean): Element[] {
  const found: Element[] = []
  const stack: Array<Root | RootContent | ElementContent> = [node]
  while (stack.length > 0) {
    const current = stack.pop()!
    if (current.type === 'element' && test(current)) found.push(current)
    if ('children' in current) for (let index = current.children.length - 1; index >= 0; index--) stack.push(current.children[index]!)
  }
  return found
}

export function classesOf(element: Element): string[] {
  const value: unknown = element.properties.className
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : []
}

export function hasClass(element: Element, name: string): boolean {
  return classesOf(element).includes(name)
}
