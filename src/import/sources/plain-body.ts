// A body tree brought down to the PostBody vocabulary (types.ts), for any platform: `i`/`b`/`s`
// as `em`/`strong`/`del`, wrappers unwrapped, scripts and comments dropped, players as links,
// figures as `figure > img + figcaption`, needless attributes removed, loose inline content in
// paragraphs. What has no place is unwrapped, never removed: the author's text stays. Pure.
import type {Element, ElementContent, Properties, Root, RootContent} from 'hast'
import {embedLink} from '../embeds.js'
import {selectAll} from '../html.js'
import {isBlock} from './paragraphs.js'

type Context = 'flow' | 'phrasing'

/** Chrome or machinery, never the author's words. */
const dropped = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'link',
  'meta',
  'input',
  'select',
  'textarea',
  'svg',
  'canvas',
  'map',
  'area',
  'param',
  'source',
  'track'
])
const renamed: Record<string, string> = {
  i: 'em',
  b: 'strong',
  s: 'del',
  strike: 'del',
  kbd: 'code',
  samp: 'code',
  tt: 'code',
  var: 'code',
  h1: 'h2',
  h5: 'h4',
  h6: 'h4'
}
const kept = new Set(['p', 'h2', 'h3', 'h4', 'ul', 'ol', 'li', 'hr', 'br', 'em', 'strong', 'del', 'code', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th'])
const players = new Set(['iframe', 'embed', 'object', 'video', 'audio'])
const blank = /^[\s\u00a0]*$/

export function tidyBody(root: Root): void {
  root.children = tidyFlow(root.children as ElementContent[]) as RootContent[]
}

/** Tidies `children` where blocks may stand, and puts loose inline runs in paragraphs. */
export function tidyFlow(children: readonly ElementContent[]): ElementContent[] {
  const out: ElementContent[] = []
  let run: ElementContent[] = []
  const flush = () => {
    if (run.some((node) => node.type !== 'text' || !blank.test(node.value))) out.push(element('p', {}, trimRun(run)))
    run = []
  }
  for (const node of tidyAll(children, 'flow')) {
    if (node.type === 'element' && isBlock(node)) {
      flush()
      if (!isEmptyBlock(node)) out.push(node)
    } else run.push(node)
  }
  flush()
  return out
}

function tidyAll(children: readonly ElementContent[], context: Context): ElementContent[] {
  return children.flatMap((child) => tidyNode(child, context))
}

function tidyNode(node: ElementContent, context: Context): ElementContent[] {
  if (node.type === 'text') return [node]
  if (node.type !== 'element') return []
  const name = renamed[node.tagName] ?? node.tagName
  if (dropped.has(name)) return []
  if (players.has(name)) return player(node, context)
  switch (name) {
    case 'img': {
      const src = String(node.properties.src ?? node.properties.dataSrc ?? node.properties.dataLazySrc ?? '')
      return src === '' ? [] : [element('img', {src, alt: String(node.properties.alt ?? '')})]
    }
    case 'a': {
      const href = String(node.properties.href ?? '').trim()
      const children = tidyAll(node.children, 'phrasing')
      if (href === '' || /^(javascript|data|vbscript):/i.test(href)) return children
      return children.length === 0 ? [] : [element('a', {href}, children)]
    }
    case 'sup':
      if (node.properties.dataFootnote !== undefined) return [element('sup', {dataFootnote: String(node.properties.dataFootnote)})]
      return tidyAll(node.children, context)
    case 'figure':
      return figure(node)
    case 'figcaption':
      return context === 'flow' ? [element('p', {}, tidyAll(node.children, 'phrasing'))] : tidyAll(node.children, context)
    case 'blockquote':
      return [element('blockquote', {}, tidyFlow(node.children.map((child) => (isCite(child) ? attribution(child) : child))))]
    case 'cite':
      return [element('em', {}, tidyAll(node.children, 'phrasing'))]
    case 'pre': {
      const only = node.children.length === 1 && node.children[0]?.type === 'element' && node.children[0].tagName === 'code' ? node.children[0] : undefined
      const code = element('code', languageOf(only ?? node), tidyAll(only ? only.children : node.children, 'phrasing'))
      return [element('pre', {}, [code])]
    }
    case 'dt':
    case 'dd':
      return [element('p', {}, tidyAll(node.children, 'phrasing'))]
    case 'li':
      return [element('li', {}, tidyAll(node.children, 'flow'))]
    default:
      break
  }
  if (!kept.has(name)) return tidyAll(node.children, context)
  const properties: Properties = name === 'code' ? languageOf(node) : {}
  if (name === 'ol' && node.properties.start !== undefined) properties.start = node.properties.start
  if ((name === 'td' || name === 'th') && node.properties.colSpan !== undefined) properties.colSpan = node.properties.colSpan
  if ((name === 'td' || name === 'th') && node.properties.rowSpan !== undefined) properties.rowSpan = node.properties.rowSpan
  const inner: Context = ['ul', 'ol', 'table', 'thead', 'tbody', 'tfoot', 'tr'].includes(name) ? 'flow' : 'phrasing'
  const children = tidyAll(node.children, inner).filter(
    // Whitespace between rows and items is layout, and the converters trip on it.
    (child) => inner === 'phrasing' || child.type !== 'text' || !blank.test(child.value)
  )
  return [element(name, properties, children)]
}

/** A player becomes a link to the page of what it plays (the book cannot play it). */
function player(node: Element, context: Context): ElementContent[] {
  const sources = [node.properties.src, node.properties.data, ...selectAll(node, (inner) => inner.tagName === 'source').map((source) => source.properties.src)]
  const address = sources.find((value) => typeof value === 'string' && value.trim() !== '') as string | undefined
  const link = address === undefined ? undefined : embedLink(address)
  if (!link) return tidyAll(node.children, context)
  const anchor = element('a', {href: link.url}, [{type: 'text', value: link.label}])
  return context === 'flow' ? [element('p', {}, [anchor])] : [anchor]
}

/** A figure holds one image and its caption; a gallery becomes one figure per image, its caption after them. */
function figure(node: Element): ElementContent[] {
  const inner = node.children.filter((child): child is Element => child.type === 'element' && child.tagName === 'figure')
  if (inner.length > 0) return tidyFlow(node.children)
  const images = selectAll(node, (child) => child.tagName === 'img')
  const caption = selectAll(node, (child) => child.tagName === 'figcaption')[0]
  if (images.length === 0) return tidyFlow(node.children)
  const captionContent = caption ? trimRun(tidyAll(caption.children, 'phrasing')) : []
  const figures = images.flatMap((image, index) => {
    const img = tidyNode(image, 'phrasing')
    const last = index === images.length - 1 && captionContent.length > 0
    return img.length === 0 ? [] : [element('figure', {}, last ? [...img, element('figcaption', {}, captionContent)] : img)]
  })
  // Text beside the image that is not its caption (a credit, a stray line) stays, after it.
  const rest = withoutImagesAndCaption(node)
  return [...figures, ...tidyFlow(rest)]
}

function withoutImagesAndCaption(node: Element): ElementContent[] {
  return node.children.flatMap((child): ElementContent[] => {
    if (child.type !== 'element') return [child]
    if (child.tagName === 'img' || child.tagName === 'figcaption') return []
    return [{...child, children: withoutImagesAndCaption(child)}]
  })
}

function isCite(node: ElementContent): node is Element {
  return node.type === 'element' && node.tagName === 'cite'
}

/** A quotation's source, on its own line as themes show it. */
function attribution(cite: Element): Element {
  return element('p', {}, [{type: 'text', value: '— '}, ...cite.children])
}

function languageOf(node: Element): Properties {
  const classes = node.properties.className
  const language = (Array.isArray(classes) ? classes.map(String) : []).filter((name) => name.startsWith('language-'))
  return language.length > 0 ? {className: language} : {}
}

function isEmptyBlock(node: Element): boolean {
  if (!['p', 'h2', 'h3', 'h4', 'blockquote', 'ul', 'ol'].includes(node.tagName)) return false
  return node.children.every((child) => (child.type === 'text' && blank.test(child.value)) || (child.type === 'element' && child.tagName === 'br'))
}

/** Whitespace and line breaks at a paragraph's edges are layout. */
function trimRun(run: ElementContent[]): ElementContent[] {
  const out = [...run]
  while (out.length > 0 && isLayout(out[0]!)) out.shift()
  while (out.length > 0 && isLayout(out.at(-1)!)) out.pop()
  const first = out[0]
  if (first?.type === 'text') out[0] = {type: 'text', value: first.value.replace(/^\s+/, '')}
  const last = out.at(-1)
  if (last?.type === 'text') out[out.length - 1] = {type: 'text', value: last.value.replace(/\s+$/, '')}
  return out
}

function isLayout(node: ElementContent): boolean {
  return (node.type === 'text' && /^\s*$/.test(node.value)) || (node.type === 'element' && node.tagName === 'br')
}

export function element(tagName: string, properties: Properties, children: ElementContent[] = []): Element {
  return {type: 'element', tagName, properties, children}
}
