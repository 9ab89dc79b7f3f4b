// One review (or page) through the unified pipeline into plain data that every book shares:
// its XHTML serialised once, with a marker where a book decides something (a link to another
// review: live in this book, "see Volume 4" in another; an italic title autolink may link),
// its metadata, words, images, links and messages. Plain data crosses to and from worker
// threads and into the on-disk cache; no book serialises a review tree again. Pure, given
// the processor's injected checks.
import type {Element, ElementContent, Root, RootContent} from 'hast'
import type {Position} from 'unist'
import {VFile} from 'vfile'
import {report, serialMessages, type Problem} from '../shared/diagnostics.js'
import {textOf} from '../shared/hast-text.js'
import type {ReviewProcessor} from './processor.js'
import {complexityLimits, deepestNode, findComplexity} from './complexity.js'
import {frontMatterHead, frontMatterTree} from './head.js'
import type {CompiledBody, ReviewImage, ReviewMeta, Slot} from '../model.js'

/** Where a book's choice goes in the serialised body: `\uE000<slot number>\uE001`. */
export const slotPattern = /\uE000(\d+)\uE001/g
/** Stands for the target chapter in a link slot's opening tag. */
export const hrefMark = '\uE002'

export interface CompiledSource {
  messages: Problem[]
  meta?: ReviewMeta | undefined
  body?: CompiledBody | undefined
  images: ReviewImage[]
  words: number
  /** Pages: the text of the first `# heading` (empty when there is none). */
  heading?: string | undefined
}

/** Runs one review's text through `processor` (already read and decoded into `text`). */
export function compileSource(processor: ReviewProcessor, text: string, filePath: string, cwd: string, kind: 'review' | 'page' | 'meta'): CompiledSource {
  if (kind === 'meta') {
    const head = frontMatterHead(text)
    const file = new VFile({path: filePath, cwd, value: head})
    try {
      processor.runSync(frontMatterTree(head) ?? processor.parse(file), file)
    } catch (error) {
      report(file, {
        reason: `The review could not be converted: ${error instanceof Error ? error.message : String(error)}`,
        ruleId: 'unprocessable-review',
        severity: 'error',
        place: {line: 1, column: 1}
      })
    }
    return {messages: serialMessages(file), meta: file.data.meta, body: {html: '', slots: [], links: []}, images: [], words: 0}
  }
  const file = new VFile({path: filePath, cwd, value: text})
  const what = kind === 'page' ? 'page' : 'review'
  // Shapes the parsers take quadratic time on are refused before parsing, with their place.
  const complex = findComplexity(text)
  if (complex) {
    report(file, {reason: complex.reason, ruleId: 'review-too-complex', severity: 'error', place: complex.place, note: complexNote})
    return {messages: serialMessages(file), images: [], words: 0}
  }
  let tree: Root
  try {
    const mdast = processor.parse(file)
    const deepest = deepestNode(mdast)
    if (deepest.depth > complexityLimits.nesting) {
      report(file, {
        reason: `The ${what} is nested too deeply (${deepest.depth} levels, such as block quotes inside block quotes; at most ${complexityLimits.nesting})`,
        ruleId: 'review-too-complex',
        severity: 'error',
        place: (deepest.node as {position?: Position}).position?.start,
        note: complexNote
      })
      return {messages: serialMessages(file), images: [], words: 0}
    }
    tree = processor.runSync(mdast, file) as Root
    if (file.messages.some((message) => message.ruleId === 'review-too-complex')) return {messages: serialMessages(file), images: [], words: 0}
  } catch (error) {
    // A review the pipeline cannot handle is that review's problem, not a crash of the build.
    report(file, {
      reason: `The ${what} could not be converted: ${error instanceof Error ? error.message : String(error)}`,
      ruleId: 'unprocessable-review',
      severity: 'error',
      place: {line: 1, column: 1},
      note: 'Please report this with the file, so the converter can learn to handle it.'
    })
    return {messages: serialMessages(file), images: [], words: 0}
  }
  let heading: string | undefined
  if (kind === 'page') {
    const h1 = tree.children.find((node): node is Element => node.type === 'element' && node.tagName === 'h1')
    heading = h1 ? textOf(h1).trim() : ''
  }
  const words = countWords(tree)
  const links: CompiledBody['links'] = []
  const stringify = (root: Root) => xmlSafe(processor.stringify(root))
  const slots = markSlots(tree, links, (node) => stringify({type: 'root', children: Array.isArray(node) ? node : [node]} as Root))
  const html = stringify(tree)
  return {messages: serialMessages(file), meta: file.data.meta, body: {html, slots, links}, images: file.data.images ?? [], words, heading}
}

/**
 * The HTML serialiser escapes only `<` and `&` in text, but XML forbids `]]>` in text too (it
 * would end a CDATA section no one opened): its `>` becomes a character reference. Found by
 * fuzzing (seed 99).
 */
function xmlSafe(html: string): string {
  return html.includes(']]>') ? html.replaceAll(']]>', ']]&#x3E;') : html
}

/** Our own marks in a serialised body (slots, generated ids): a review's text never keeps one. */
const privateMarks = /[\uE000-\uE003]/g
const emphasis = new Set(['em', 'i', 'cite'])
/** Autolinks never go inside these: links already, headings, code, and the heading block the tool adds. */
const noAutolink = new Set(['a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'code', 'pre', 'header'])

/**
 * Replaces each review link and each plain-text emphasis (outside links and headings) with a
 * marker text, serialising what it stood for; collects every href on the way.
 */
function markSlots(tree: Root, links: CompiledBody['links'], stringify: (node: ElementContent | ElementContent[]) => string): Slot[] {
  const slots: Slot[] = []
  const marker = (): ElementContent => ({type: 'text', value: `\uE000${slots.length}\uE001`})
  const walk = (children: Array<RootContent | ElementContent>, autolinkable: boolean) => {
    for (let index = 0; index < children.length; index++) {
      const node = children[index]!
      if (node.type === 'text') {
        // Private-use characters of our own never come from a review.
        if (privateMarks.test(node.value)) node.value = node.value.replace(privateMarks, '\uFFFD')
        continue
      }
      if (node.type !== 'element') continue
      for (const [key, value] of Object.entries(node.properties))
        if (typeof value === 'string' && privateMarks.test(value)) node.properties[key] = value.replace(privateMarks, '\uFFFD')
      if (node.tagName === 'a' && typeof node.properties.href === 'string') links.push({href: node.properties.href, place: node.position})
      const target = node.data?.reviewLink
      if (target !== undefined) {
        walk(node.children, false)
        const only = node.children.length === 1 ? node.children[0] : undefined
        const shell: Element = {...node, properties: {...node.properties, href: hrefMark}, children: []}
        const open = stringify(shell).replace(/<\/a>$/, '')
        const placeholder = marker()
        slots.push({
          kind: 'link',
          href: target,
          place: node.position,
          open,
          inner: stringify(node.children),
          text: textOf(node.children),
          emphasised: only?.type === 'element' && emphasis.has(only.tagName)
        })
        children[index] = placeholder
        continue
      }
      if (autolinkable && emphasis.has(node.tagName) && node.children.every((child) => child.type === 'text')) {
        walk(node.children, false)
        const placeholder = marker()
        slots.push({kind: 'emphasis', html: stringify(node), text: textOf(node).trim()})
        children[index] = placeholder
        continue
      }
      walk(node.children, autolinkable && !noAutolink.has(node.tagName))
    }
  }
  walk(tree.children, true)
  return slots
}

const complexNote =
  'Real reviews are far simpler: look at that place for text pasted by mistake (a run of marks, markers or tags), and remove it or put it in a code block.'

/** Words a reader reads: the body and its notes, not the heading block the tool adds. */
export function countWords(tree: Root): number {
  let words = 0
  const stack: Array<Root | Root['children'][number]> = [tree]
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.type === 'text') {
      for (const word of node.value.split(/\s+/)) if (/[\p{L}\p{N}]/u.test(word)) words++
    } else if ('children' in node) {
      if (node.type === 'element' && node.tagName === 'header') continue
      // One at a time: spreading a node's children would overflow the stack for very many.
      for (const child of node.children) stack.push(child)
    }
  }
  return words
}
