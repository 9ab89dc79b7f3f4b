// A Medium story's body (`section[data-field=body]`, its "grafs") as a PostBody: the title and
// subtitle Medium repeats at the top dropped, the first section's divider dropped and later ones
// kept as scene breaks, pull quotes as block quotes, images, embeds and link cards in the
// contract's shapes. Problems go on the entry's file. Pure.
import type {Element, ElementContent, Root} from 'hast'
import type {VFile} from 'vfile'
import {report} from '../../shared/diagnostics.js'
import {classesOf, hasClass, selectAll} from '../html.js'
import {element, embedParagraph, figure, findAll, plainConverter, tidyBlocks, type Convert} from './plain-html.js'
import {comparableText, plainText} from './text-and-dates.js'

export interface MediumBodyInput {
  body: Element
  file: VFile
  title: string
  subtitle?: string | undefined
}

/** Medium's image server, for an old export whose `img` has only `data-image-id`. */
const imageServer = 'https://cdn-images-1.medium.com/max/800/'

export function mediumBody({body, file, title, subtitle}: MediumBodyInput): Root {
  const firstSection = selectAll(body, (node) => node.tagName === 'section' && hasClass(node, 'section--body'))[0]
  // Medium opens every section with a divider; only those after the first are the author's breaks.
  const decoration = new Set(firstSection ? selectAll(firstSection, (node) => hasClass(node, 'section-divider')) : [])
  const quoteKinds = new Map<Element, string>()

  const hook = (source: Element, convert: Convert): ElementContent[] | undefined => {
    const classes = classesOf(source)
    if (classes.includes('section-divider')) return decoration.has(source) ? [] : [element('hr', {}, [], source)]
    if (classes.includes('graf--title') && repeats(source, title)) return []
    if (classes.includes('graf--subtitle') && subtitle !== undefined && repeats(source, subtitle)) return []
    if (source.tagName === 'blockquote' && (classes.includes('graf--pullquote') || classes.includes('graf--blockquote'))) {
      const quote = element('blockquote', {}, tidyBlocks(convert(source.children), true), source)
      quoteKinds.set(quote, classes.includes('graf--pullquote') ? 'pull' : 'quote')
      return [quote]
    }
    if (source.tagName === 'figure' && findAll(source, 'iframe').length > 0) return embed(source, convert)
    if (source.tagName === 'figure') return figure(source, convert, imageSource)
    if (classes.includes('graf--mixtapeEmbed')) return linkCard(source, convert)
    return undefined
  }

  const embed = (source: Element, convert: Convert): ElementContent[] => {
    const frame = findAll(source, 'iframe')[0]!
    const caption = findAll(source, 'figcaption')[0]
    // The caption is the author's: it becomes the link's words (links inside it cannot nest in a link).
    const label = caption ? unlink(convert(caption.children)) : []
    const link = embedParagraph(typeof frame.properties.src === 'string' ? frame.properties.src : undefined, label, source)
    if (link) return [link]
    report(file, {
      reason: 'An embedded video or page has no address that can be linked to, so only its caption is kept',
      ruleId: 'import-post',
      severity: 'warning',
      place: source.position,
      note: 'Add a link to what was embedded by hand, if it still exists.'
    })
    return label.length > 0 ? [element('p', {}, label, source)] : []
  }

  const linkCard = (source: Element, convert: Convert): ElementContent[] | undefined => {
    const anchor = findAll(source, 'a').find((link) => hasClass(link, 'markup--mixtapeEmbed-anchor')) ?? findAll(source, 'a')[0]
    const href = typeof anchor?.properties.href === 'string' ? anchor.properties.href.trim() : ''
    if (!anchor || href === '') return undefined
    // The card's description and host name are fetched from the linked page, not written by the author.
    const strong = findAll(anchor, 'strong')[0]
    const words = strong ? unlink(convert(strong.children)) : []
    const label: ElementContent[] = words.length > 0 ? words : [{type: 'text', value: plainText(anchor) || href}]
    return [element('p', {}, [element('a', {href}, label, anchor)], source)]
  }

  const convert = plainConverter({hook, headingShift: -1})
  const blocks = tidyBlocks(convert(body.children), true)
  return {type: 'root', children: mergeQuotes(blocks, quoteKinds)}
}

function repeats(source: Element, text: string): boolean {
  return comparableText(plainText(source)) === comparableText(text)
}

function imageSource(image: Element): string | undefined {
  if (typeof image.properties.src === 'string' && image.properties.src.trim() !== '') return image.properties.src
  const id = image.properties.dataImageId
  return typeof id === 'string' && id !== '' ? imageServer + id : undefined
}

/** Links' words without the links, for text that becomes a link itself. */
function unlink(nodes: ElementContent[]): ElementContent[] {
  return nodes.flatMap((node) =>
    node.type === 'element' && node.tagName === 'a' ? unlink(node.children) : node.type === 'element' ? [{...node, children: unlink(node.children)}] : [node]
  )
}

/** Medium writes each paragraph of a quote (and a pull quote's attribution) as its own graf: one quote is one blockquote. */
function mergeQuotes(blocks: ElementContent[], kinds: Map<Element, string>): ElementContent[] {
  const out: ElementContent[] = []
  for (const block of blocks) {
    const previous = out.at(-1)
    const kind = block.type === 'element' ? kinds.get(block) : undefined
    if (kind && previous?.type === 'element' && kinds.get(previous) === kind && block.type === 'element') {
      previous.children.push(...block.children)
      if (previous.position && block.position) previous.position = {start: previous.position.start, end: block.position.end}
    } else out.push(block)
  }
  return out
}
