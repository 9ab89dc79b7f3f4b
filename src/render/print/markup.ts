// One page of a book (its XHTML body, as the EPUB has it) as Typst markup for print: text
// escaped, notes as foot-of-page footnotes, links as their text (the address in a note when
// the text is not the address), links to the book's own pages as text, or in an index as a
// page number, stars drawn, images at their size. Pure: it reports what it finds (an image
// under 300 dpi at its printed size) through `found`.
import type {Element, ElementContent, Root} from 'hast'
import rehypeParse from 'rehype-parse'
import {unified} from 'unified'
import {textOf} from '../../shared/hast-text.js'
import {imageInfo} from '../../shared/image-info.js'
import {escapeMarkup, labelFor, typstString} from './escape.js'
import {missingGlyphs} from './glyphs.js'

/** The print resolution KDP asks of every image (G201857950), in dots per inch. */
export const printDpi = 300
/** How big an image is drawn when it is not too wide: as a browser shows it, 96 pixels to the inch. */
const cssPixelsPerInch = 96

export interface PrintImage {
  /** Its name in the book (`images/<name>`). */
  name: string
  bytes: Uint8Array
}

export interface MarkupContext {
  /** The book's documents (chapter files) that have a label in the print book. */
  files: ReadonlySet<string>
  images: ReadonlyMap<string, Uint8Array>
  /** The text measure, in inches: no image is drawn wider. */
  measure: number
  /** The images the markup uses, by their path in the Typst workspace. */
  used: Map<string, Uint8Array>
  /** An image printed under 300 dpi. */
  lowResolution(name: string, dpi: number, inches: number): void
  /** Characters the font has no glyph for (they would print as empty boxes). */
  missingGlyphs(chars: string[]): void
}

const parser = unified().use(rehypeParse, {fragment: true})

/** A page's body as Typst block markup. */
export function pageMarkup(body: string, context: MarkupContext): string {
  const tree = parser.parse(body) as Root
  const notes = new Map<string, ElementContent[]>()
  collectNotes(tree.children, notes)
  return new Writer(context, notes).blocks(tree.children as ElementContent[])
}

function classesOf(node: Element): string[] {
  const value: unknown = node.properties.className
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : []
}

function hasClass(node: Element, name: string): boolean {
  return classesOf(node).includes(name)
}

/** The notes' texts by id (`fn-1`), without their back-links. */
function collectNotes(nodes: readonly (ElementContent | Root['children'][number])[], notes: Map<string, ElementContent[]>): void {
  for (const node of nodes) {
    if (node.type !== 'element') continue
    const role = String(node.properties.role ?? '')
    if (role === 'doc-footnote' || (node.properties.id && hasClass(node, 'footnote'))) {
      notes.set(String(node.properties.id), node.children)
      continue
    }
    collectNotes(node.children, notes)
  }
}

const blockTags = new Set([
  'p',
  'div',
  'section',
  'header',
  'footer',
  'article',
  'aside',
  'nav',
  'main',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'ul',
  'ol',
  'li',
  'table',
  'figure',
  'figcaption',
  'hr',
  'pre',
  'dl',
  'dt',
  'dd'
])

class Writer {
  constructor(
    private readonly context: MarkupContext,
    private readonly notes: ReadonlyMap<string, ElementContent[]>
  ) {}

  /** Block content: each block on its own, separated by a blank line. */
  blocks(nodes: readonly ElementContent[], previous?: Element): string {
    const out: string[] = []
    let inline: ElementContent[] = []
    let last: Element | undefined = previous
    const flush = () => {
      const text = this.inline(inline).trim()
      if (text) out.push(text)
      inline = []
    }
    for (const node of nodes) {
      if (node.type === 'element' && blockTags.has(node.tagName)) {
        flush()
        const block = this.block(node, last)
        if (block.trim()) out.push(block)
        last = node
      } else if (node.type !== 'comment') {
        inline.push(node)
      }
    }
    flush()
    return out.join('\n\n')
  }

  private block(node: Element, previous: Element | undefined): string {
    const classes = classesOf(node)
    switch (node.tagName) {
      case 'section':
        // The notes are set at the foot of their pages, where they are referred to.
        if (classes.includes('footnotes') || node.properties.role === 'doc-endnotes') return ''
        return this.blocks(node.children)
      case 'header':
        if (classes.includes('review-header')) return `#review-header[${this.blocks(node.children)}]`
        return this.blocks(node.children)
      case 'h1':
        return `#heading(level: 1, outlined: false)[${this.inline(node.children).trim()}]`
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        return `#heading(level: ${Math.min(4, Number(node.tagName.slice(1)))}, outlined: false)[${this.inline(node.children).trim()}]`
      case 'p':
        return this.paragraph(node)
      case 'blockquote':
        if (previous && hasClass(previous, 'review-header')) return `#epigraph[${this.blocks(node.children)}]`
        return `#quote(block: true)[${this.blocks(node.children)}]`
      case 'hr':
        return classes.includes('footnotes-rule') ? '' : '#scene-break()'
      case 'ul':
      case 'ol':
        return this.list(node)
      case 'table':
        return this.table(node)
      case 'figure':
        return this.figure(node)
      case 'figcaption':
        return `#caption[${this.inline(node.children).trim()}]`
      case 'pre':
        return `#block(width: 100%, above: 1em, below: 1em, raw(block: true, ${typstString(textOf(node))}))`
      case 'dt':
        return `#block(above: 0.8em, below: 0.2em, strong[${this.inline(node.children).trim()}])`
      case 'dd':
        return `#pad(left: 1.5em)[${this.blocks(node.children)}]`
      default:
        return this.blocks(node.children)
    }
  }

  private paragraph(node: Element): string {
    const classes = classesOf(node)
    const content = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''))
    const only = content[0]
    if (content.length === 1 && only?.type === 'element' && only.tagName === 'img') return this.image(only)
    const text = this.inline(node.children).trim()
    if (!text) return ''
    if (classes.includes('review-credits')) return `#credits[${text}]`
    if (classes.includes('review-rating')) return `#block(above: 0.3em, below: 0.3em)[${text}]`
    if (classes.includes('review-published') || classes.includes('index-intro') || classes.includes('series-intro')) return `#small-line(emph[${text}])`
    if (classes.includes('series-entry') || classes.includes('series-links')) return `#centred[${text}]`
    return text
  }

  private list(node: Element): string {
    const items = node.children.filter((child): child is Element => child.type === 'element' && child.tagName === 'li')
    if (hasClass(node, 'index-entries')) return items.map((item) => this.indexEntry(item)).join('\n\n')
    if (hasClass(node, 'series-list')) return items.map((item) => `#centred[${this.blocks(item.children)}]`).join('\n\n')
    const kind = node.tagName === 'ol' ? 'enum' : 'list'
    const start = node.tagName === 'ol' && typeof node.properties.start === 'number' ? `start: ${node.properties.start}, ` : ''
    return `#${kind}(${start}${items.map((item) => `[${this.blocks(item.children)}]`).join(', ')})`
  }

  /** An index entry: its text, leaders, and the page of the review it names. */
  private indexEntry(item: Element): string {
    const target = findLink(item, (href) => this.context.files.has(href))
    const text = this.inline(item.children).trim()
    if (!target) return `#par(first-line-indent: 0em, hanging-indent: 1.5em)[${text}]`
    return `#index-line(<${labelFor(target)}>)[${text}]`
  }

  private table(node: Element): string {
    const rows: Element[] = []
    const collect = (parent: Element) => {
      for (const child of parent.children) {
        if (child.type !== 'element') continue
        if (child.tagName === 'tr') rows.push(child)
        else if (['thead', 'tbody', 'tfoot'].includes(child.tagName)) collect(child)
      }
    }
    collect(node)
    const cellsOf = (row: Element) =>
      row.children.filter((cell): cell is Element => cell.type === 'element' && (cell.tagName === 'td' || cell.tagName === 'th'))
    const columns = Math.max(1, ...rows.map((row) => cellsOf(row).length))
    const cells: string[] = []
    rows.forEach((row, index) => {
      const list = cellsOf(row)
      for (const cell of list) {
        const align =
          hasClass(cell, 'align-right') || cell.properties.align === 'right'
            ? 'right'
            : hasClass(cell, 'align-center') || cell.properties.align === 'center'
              ? 'center'
              : 'left'
        const body = this.inline(cell.children).trim()
        cells.push(`table.cell(align: ${align})[${cell.tagName === 'th' ? `#strong[${body}]` : body}]`)
      }
      for (let missing = list.length; missing < columns; missing++) cells.push('[]')
      if (index === 0 && list.every((cell) => cell.tagName === 'th') && rows.length > 1) cells.push('table.hline(stroke: 0.3pt)')
    })
    return `#print-table((${'auto, '.repeat(columns)}), ${cells.join(', ')})`
  }

  private figure(node: Element): string {
    const parts: string[] = []
    for (const child of node.children) {
      if (child.type !== 'element') continue
      if (child.tagName === 'img') parts.push(this.image(child))
      else if (child.tagName === 'figcaption') parts.push(`#caption[${this.inline(child.children).trim()}]`)
      else parts.push(this.blocks([child]))
    }
    return parts.filter(Boolean).join('\n\n')
  }

  /** An image as big as a browser shows it, never wider than the measure; under 300 dpi there, a warning. */
  private image(node: Element): string {
    const src = String(node.properties.src ?? '')
    const name = src.startsWith('images/') ? src.slice('images/'.length) : undefined
    const bytes = name ? this.context.images.get(name) : undefined
    if (!name || !bytes) return node.properties.alt ? `#centred(emph[${escapeMarkup(String(node.properties.alt))}])` : ''
    const info = imageInfo(bytes)
    const file = `/img/${name.replace(/[^A-Za-z0-9._-]/g, '-')}`
    this.context.used.set(file, bytes)
    const natural = info?.width ? info.width / cssPixelsPerInch : this.context.measure
    const inches = Math.min(natural, this.context.measure)
    if (info?.width && info.format !== 'svg') {
      const dpi = info.width / inches
      if (dpi < printDpi) this.context.lowResolution(name, Math.floor(dpi), inches)
    }
    return `#print-image(${typstString(file)}, ${inches.toFixed(4)}in)`
  }

  /** Inline content as markup. */
  inline(nodes: readonly ElementContent[]): string {
    return nodes.map((node) => this.inlineNode(node)).join('')
  }

  private inlineNode(node: ElementContent): string {
    if (node.type === 'text') {
      const missing = missingGlyphs(node.value.replace(/\u202f/g, ' '))
      if (missing.length > 0) this.context.missingGlyphs(missing)
      return escapeMarkup(node.value)
    }
    if (node.type !== 'element') return ''
    const inner = () => this.inline(node.children)
    switch (node.tagName) {
      case 'em':
      case 'i':
      case 'cite':
      case 'dfn':
      case 'var':
        return `#emph[${inner()}]`
      case 'strong':
      case 'b':
        return `#strong[${inner()}]`
      case 'u':
      case 'ins':
        return `#underline[${inner()}]`
      case 's':
      case 'del':
        return `#strike[${inner()}]`
      case 'code':
      case 'kbd':
      case 'samp':
        return `#raw(${typstString(textOf(node))})`
      case 'br':
        return '#linebreak()'
      case 'sub':
        return `#sub[${inner()}]`
      case 'sup': {
        const note = this.noteOf(node)
        if (note !== undefined) return note
        return `#super[${inner()}]`
      }
      case 'a':
        return this.link(node)
      case 'img':
        return node.properties.alt ? escapeMarkup(String(node.properties.alt)) : ''
      case 'span': {
        if (hasClass(node, 'stars')) {
          const text = textOf(node)
          const count = (glyph: string) => [...text].filter((c) => c === glyph).length
          if (/^[★☆½\s]+$/.test(text)) return `#stars(${count('★')}, ${count('½') > 0}, ${count('☆')})`
        }
        if (hasClass(node, 'index-volume')) return `#h(0.4em)#smallcaps[${inner()}]`
        if (hasClass(node, 'series-number')) return `#smallcaps[${inner()}]#linebreak()`
        return inner()
      }
      default:
        if (blockTags.has(node.tagName)) return ` ${this.inline(node.children)} `
        return inner()
    }
  }

  /** A note reference (`<sup><a href="#fn-1">1</a></sup>`) as the note itself, set at the foot of the page. */
  private noteOf(sup: Element): string | undefined {
    const anchor = sup.children.find((child): child is Element => child.type === 'element' && child.tagName === 'a')
    const href = anchor ? String(anchor.properties.href ?? '') : ''
    if (!href.startsWith('#')) return undefined
    const note = this.notes.get(href.slice(1))
    if (!note) return undefined
    const content = note.filter((child) => !(child.type === 'element' && hasBackref(child)))
    const body = this.blocks(content.map(stripBackrefs))
    return `#footnote[${body}]`
  }

  private link(node: Element): string {
    const href = String(node.properties.href ?? '')
    const text = this.inline(node.children)
    if (href.startsWith('#') || hasClass(node, 'footnote-backref')) return hasClass(node, 'footnote-backref') ? '' : text
    if (!/^[a-z][a-z0-9+.-]*:/i.test(href)) return text
    const shown = textOf(node).trim()
    const address = href.replace(/^mailto:/i, '')
    if (shown === href || shown === address || shown === href.replace(/^https?:\/\//i, '').replace(/\/$/, '')) return text
    // The address in a note, with break chances after its slashes and dots (a URL has no spaces to break at).
    return `${text}#footnote[${escapeMarkup(href).replace(/(\\[/.?&=-])/g, '$1\u200b')}]`
  }
}

function hasBackref(node: Element): boolean {
  return node.tagName === 'a' && hasClass(node, 'footnote-backref')
}

function stripBackrefs(node: ElementContent): ElementContent {
  if (node.type !== 'element') return node
  return {...node, children: node.children.filter((child) => !(child.type === 'element' && hasBackref(child))).map(stripBackrefs)}
}

function findLink(node: Element, accept: (href: string) => boolean): string | undefined {
  for (const child of node.children) {
    if (child.type !== 'element') continue
    if (child.tagName === 'a') {
      const href = String(child.properties.href ?? '').split('#')[0]!
      if (accept(href)) return href
    }
    const found = findLink(child, accept)
    if (found) return found
  }
  return undefined
}
