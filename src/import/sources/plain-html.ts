// A platform's post HTML (hast) into the plain HTML of a PostBody (types.ts). Takes the nodes
// and a reader's hook for its own markup; gives new elements carrying only what has meaning
// (`href`, `src`, `alt`, an ordered list's `start`) and each source element's position.
// Wrappers it does not know are unwrapped, so no text is lost; scripts, forms and icons go. Pure.
import type {Element, ElementContent, Properties, RootContent} from 'hast'
import {embedLink} from '../embeds.js'
import {plainText} from './text-and-dates.js'

export type Convert = (nodes: ReadonlyArray<RootContent | ElementContent>) => ElementContent[]
/** A reader's own markup: the nodes to put in `element`'s place, or undefined for the generic rules. */
export type Hook = (element: Element, convert: Convert) => ElementContent[] | undefined

export interface PlainOptions {
  hook?: Hook | undefined
  /** Added to a heading's level, kept within h2–h4 (Medium's two levels are h3 and h4; the review's title is the h1). */
  headingShift?: number | undefined
}

/** What a body is made of at the top; anything else between them is wrapped in a paragraph. */
const blockTags = new Set(['p', 'h2', 'h3', 'h4', 'ul', 'ol', 'blockquote', 'hr', 'pre', 'table', 'figure'])
const inlineTags = new Map<string, string>(
  Object.entries({
    em: 'em',
    i: 'em',
    cite: 'em',
    strong: 'strong',
    b: 'strong',
    code: 'code',
    kbd: 'code',
    samp: 'code',
    del: 'del',
    s: 'del',
    strike: 'del',
    br: 'br'
  })
)
/** Never text a reader sees: page machinery, controls, icons. */
const droppedTags = new Set([
  ...['script', 'style', 'template', 'noscript', 'head', 'title', 'meta', 'link', 'base', 'object', 'embed', 'canvas'],
  ...['svg', 'button', 'form', 'input', 'select', 'textarea', 'option', 'source', 'track', 'map', 'area', 'colgroup', 'col']
])

/** An element built from scratch, so nothing of the platform's (classes, ids, `data-*`) comes along. */
export function element(tagName: string, properties: Properties, children: ElementContent[], from?: {position?: Element['position']}): Element {
  const built: Element = {type: 'element', tagName, properties, children}
  if (from?.position) built.position = from.position
  return built
}

/** A video or other embed as the contract wants it: a paragraph holding one link to its page. */
export function embedParagraph(address: string | undefined, label: ElementContent[], from: Element): Element | undefined {
  const link = address ? embedLink(address) : undefined
  if (!link) return undefined
  const words = label.length > 0 && plainText(element('span', {}, label)) !== '' ? label : [{type: 'text' as const, value: link.label}]
  return element('p', {}, [element('a', {href: link.url}, words, from)], from)
}

/** Inline runs between blocks wrapped in paragraphs (whitespace-only runs dropped), when there is a block or `always`. */
export function tidyBlocks(nodes: ElementContent[], always = false): ElementContent[] {
  if (!always && !nodes.some(isBlock)) return nodes
  const out: ElementContent[] = []
  let run: ElementContent[] = []
  const flush = () => {
    if (run.some((node) => (node.type === 'text' ? node.value.trim() !== '' : node.type === 'element' && node.tagName !== 'br')))
      out.push(element('p', {}, run))
    run = []
  }
  for (const node of nodes) {
    if (isBlock(node) || (node.type === 'element' && node.tagName === 'li')) {
      flush()
      out.push(node)
    } else if (node.type !== 'comment') run.push(node)
  }
  flush()
  return out
}

function isBlock(node: ElementContent): boolean {
  return node.type === 'element' && blockTags.has(node.tagName)
}

export function plainConverter(options: PlainOptions = {}): Convert {
  const convert: Convert = (nodes) => nodes.flatMap((node) => one(node))
  const one = (node: RootContent | ElementContent): ElementContent[] => {
    if (node.type === 'text') return [node.position ? {type: 'text', value: node.value, position: node.position} : {type: 'text', value: node.value}]
    if (node.type !== 'element') return []
    return options.hook?.(node, convert) ?? generic(node)
  }
  const generic = (source: Element): ElementContent[] => {
    const tag = source.tagName
    const inner = () => convert(source.children)
    if (droppedTags.has(tag)) return []
    const inline = inlineTags.get(tag)
    if (inline) return [element(inline, {}, inline === 'br' ? [] : inner(), source)]
    const heading = /^h([1-6])$/.exec(tag)
    if (heading) {
      const level = Math.min(4, Math.max(2, Number(heading[1]) + (options.headingShift ?? 0)))
      return wrapUnlessEmpty(`h${level}`, inner(), source)
    }
    switch (tag) {
      case 'a': {
        const href = typeof source.properties.href === 'string' ? source.properties.href.trim() : ''
        // A link that runs code or carries data is no link in a book; its words stay.
        return href === '' || /^(?:javascript|vbscript|data):/i.test(href) ? inner() : [element('a', {href}, inner(), source)]
      }
      case 'p':
        return wrapUnlessEmpty('p', inner(), source)
      case 'blockquote': {
        const quoted = tidyBlocks(inner(), true)
        return quoted.length > 0 ? [element('blockquote', {}, quoted, source)] : []
      }
      case 'hr':
        return [element('hr', {}, [], source)]
      case 'ul':
      case 'ol': {
        const items = tidyBlocks(inner(), true).map((node) => (node.type === 'element' && node.tagName === 'li' ? node : element('li', {}, [node], source)))
        const start = Number(source.properties.start)
        const properties: Properties = tag === 'ol' && Number.isInteger(start) && start !== 1 ? {start} : {}
        return items.length > 0 ? [element(tag, properties, items, source)] : []
      }
      case 'li':
        return [element('li', {}, tidyBlocks(inner()), source)]
      case 'pre':
        return [preformatted(source)]
      case 'table':
        return table(source, inner())
      case 'thead':
      case 'tbody':
      case 'tfoot':
      case 'tr':
        return [
          element(
            tag,
            {},
            inner().filter((node) => node.type === 'element'),
            source
          )
        ]
      case 'th':
      case 'td':
        return [element(tag, {}, inner(), source)]
      case 'figure':
        return figure(source, convert)
      case 'img': {
        const image = imageOf(source)
        return image ? [image] : []
      }
      case 'iframe':
      case 'video':
      case 'audio': {
        const src = String(source.properties.src ?? '') || String(findAll(source, 'source')[0]?.properties.src ?? '')
        const link = embedParagraph(src, [], source)
        return link ? [link] : []
      }
      case 'dt':
        return [element('p', {}, [element('strong', {}, inner(), source)], source)]
      case 'dd':
        return wrapUnlessEmpty('p', inner(), source)
      case 'q':
        return [{type: 'text', value: '“'}, ...inner(), {type: 'text', value: '”'}]
      default:
        // div, span, section, font, u, mark, sup, picture…: their words stay, their wrapper goes.
        return inner()
    }
  }
  return convert
}

/** A paragraph or heading, unless nothing is in it; one holding a block is split around it. */
function wrapUnlessEmpty(tag: string, children: ElementContent[], from: Element): ElementContent[] {
  if (children.some(isBlock)) return tidyBlocks(children)
  const blank = children.every((node) => (node.type === 'text' ? node.value.trim() === '' : node.type === 'element' && node.tagName === 'br'))
  return blank ? [] : [element(tag, {}, children, from)]
}

/** `pre > code` with the text as typed (`<br>` is a line break there), keeping a language name. */
function preformatted(source: Element): Element {
  let text = ''
  const walk = (node: ElementContent) => {
    if (node.type === 'text') text += node.value
    else if (node.type === 'element') {
      if (node.tagName === 'br') text += '\n'
      else node.children.forEach(walk)
    }
  }
  source.children.forEach(walk)
  const code = findAll(source, 'code')[0]
  const named = [source.properties.dataCodeBlockLang, ...[code?.properties.className].flat()]
    .map((value) => String(value ?? ''))
    .map((value) => value.replace(/^language-/, ''))
    .find((value) => /^[A-Za-z][\w+#-]*$/.test(value) && value !== 'auto')
  return element('pre', {}, [element('code', named ? {className: [`language-${named}`]} : {}, [{type: 'text', value: text}], source)], source)
}

function table(source: Element, inner: ElementContent[]): ElementContent[] {
  // A table caption has no place in a Markdown table: it goes before it as a paragraph.
  const captions = findAll(source, 'caption').map((caption) => element('p', {}, plainConverter()(caption.children), caption))
  const rows = inner.filter((node) => node.type === 'element' && ['thead', 'tbody', 'tfoot', 'tr'].includes(node.tagName))
  return [...captions, element('table', {}, rows, source)]
}

/** `figure > img[src][alt] + figcaption`, one figure per image (the caption goes with the last). */
export function figure(source: Element, convert: Convert, src?: (image: Element) => string | undefined): ElementContent[] {
  const caption = findAll(source, 'figcaption')[0]
  const images = findAll(source, 'img')
    .map((image) => imageOf(image, src?.(image)))
    .filter((image) => image !== undefined)
  const captionText = caption ? convert(caption.children) : []
  if (images.length === 0) return tidyBlocks(convert(source.children), true)
  return images.map((image, index) => {
    const last = index === images.length - 1
    const children: ElementContent[] = last && caption && captionText.length > 0 ? [image, element('figcaption', {}, captionText, caption)] : [image]
    return element('figure', {}, children, source)
  })
}

/** `img[src][alt]` with the address as the export gives it; undefined without one. */
export function imageOf(source: Element, src?: string): Element | undefined {
  const address = (src ?? (typeof source.properties.src === 'string' ? source.properties.src : '')).trim()
  if (address === '' || /^(?:javascript|vbscript):/i.test(address)) return undefined
  const alt = typeof source.properties.alt === 'string' ? source.properties.alt.trim() : ''
  return element('img', {src: address, alt}, [], source)
}

/** Every descendant element named `tag`, in document order. */
export function findAll(source: Element, tag: string): Element[] {
  const found: Element[] = []
  const walk = (node: ElementContent) => {
    if (node.type !== 'element') return
    if (node.tagName === tag) found.push(node)
    node.children.forEach(walk)
  }
  source.children.forEach(walk)
  return found
}
