// A post's platform-free body to Markdown through the unified family (hast → mdast with
// rehype-remark's handlers, remark-gfm, remark-stringify), never by regular expression: a
// figure becomes an image whose title is its caption, a footnote reference `[^1]` with its
// note at the end, a section break `***`. Everything Markdown cannot say (a pull quote's
// styling, a drop cap) falls back to its text, so no word of the author's is lost. Pure.
import type {Element, ElementContent, Root as HastRoot} from 'hast'
import type {Nodes as MdastNodes, Paragraph, Root as MdastRoot, RootContent} from 'mdast'
import rehypeRemark, {type Options as RemarkOptions} from 'rehype-remark'
import remarkGfm from 'remark-gfm'
import remarkStringify from 'remark-stringify'
import {unified} from 'unified'
import {textOf} from '../shared/hast-text.js'
import type {PostNote} from './types.js'

type Handlers = NonNullable<RemarkOptions['handlers']>
type Handle = Handlers[string]

export interface Converted {
  markdown: string
  /** Every image the body shows, by its address as written (to be downloaded, or kept). */
  images: string[]
}

/** The body and its notes as Markdown; `rewrite` gives each link and image its new address (or keeps it). */
export function toMarkdownBody(
  body: HastRoot,
  notes: readonly PostNote[],
  rewrite: {link?: (href: string) => string; image?: (src: string) => string} = {}
): Converted {
  const images: string[] = []
  const numbers = new Map(notes.map((note, index) => [note.id, String(index + 1)]))
  const handlers: Record<string, Handle> = {
    figure(state, node) {
      const img = findElement(node, 'img')
      const caption = findElement(node, 'figcaption')
      if (!img) return state.all(node) as RootContent[]
      const image = imageNode(img, caption ? textOf(caption).replace(/\s+/g, ' ').trim() : undefined)
      const paragraph: Paragraph = {type: 'paragraph', children: [image]}
      state.patch(node, paragraph)
      return paragraph
    },
    img(state, node) {
      const image = imageNode(node, typeof node.properties.title === 'string' ? node.properties.title : undefined)
      state.patch(node, image)
      return image
    },
    sup(state, node) {
      const id = node.properties.dataFootnote
      const number = typeof id === 'string' ? numbers.get(id) : undefined
      if (number === undefined) return state.all(node) as never
      return {type: 'footnoteReference', identifier: number, label: number}
    },
    a(state, node) {
      const href = typeof node.properties.href === 'string' ? node.properties.href : undefined
      const children = state.all(node) as never[]
      if (href === undefined) return children
      return {type: 'link', url: rewrite.link ? rewrite.link(href) : href, title: null, children}
    }
  }
  function imageNode(img: Element, title: string | undefined) {
    const src = typeof img.properties.src === 'string' ? img.properties.src : ''
    if (src) images.push(src)
    const alt = typeof img.properties.alt === 'string' ? img.properties.alt : ''
    return {type: 'image' as const, url: rewrite.image && src ? rewrite.image(src) : src, alt: alt || title || '', title: title || null}
  }
  const processor = unified().use(rehypeRemark, {handlers}).use(remarkGfm).use(remarkStringify, {
    bullet: '-',
    emphasis: '*',
    strong: '*',
    rule: '*',
    ruleRepetition: 3,
    ruleSpaces: false,
    fences: true,
    listItemIndent: 'one',
    resourceLink: true
  })
  const mdast = processor.runSync(body) as MdastRoot
  for (const note of notes) {
    const converted = processor.runSync({type: 'root', children: note.children as HastRoot['children']}) as MdastRoot
    const children = converted.children.filter((child) => child.type !== 'footnoteDefinition')
    // A note of inline text becomes one paragraph; a note of blocks keeps them.
    const blocks = children.every((child) => isPhrasing(child)) ? [{type: 'paragraph', children} as Paragraph] : children
    mdast.children.push({type: 'footnoteDefinition', identifier: numbers.get(note.id)!, label: numbers.get(note.id)!, children: blocks as never})
  }
  return {markdown: processor.stringify(mdast), images: [...new Set(images)]}
}

function isPhrasing(node: MdastNodes): boolean {
  return ['text', 'emphasis', 'strong', 'link', 'inlineCode', 'break', 'image', 'delete', 'footnoteReference', 'html'].includes(node.type)
}

function findElement(node: Element, tagName: string): Element | undefined {
  const stack: ElementContent[] = [...node.children]
  while (stack.length > 0) {
    const current = stack.shift()!
    if (current.type !== 'element') continue
    if (current.tagName === tagName) return current
    stack.unshift(...current.children)
  }
  return undefined
}
