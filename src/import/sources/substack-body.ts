// A Substack post file (`posts/<post_id>.html`, a fragment) as a PostBody and its notes: the
// platform's chrome dropped (subscribe forms, subscribe/share/comment buttons, the paywall
// marker, image toolbars), images at their original address, YouTube and other embeds as links,
// native footnotes as `sup[dataFootnote]` + notes. Problems go on the entry's file. Pure.
import type {Element, ElementContent, Root} from 'hast'
import type {VFile} from 'vfile'
import {report} from '../../shared/diagnostics.js'
import {classesOf, hasClass, selectAll} from '../html.js'
import type {PostNote} from '../types.js'
import {element, embedParagraph, figure, imageOf, plainConverter, tidyBlocks, type Convert} from './plain-html.js'
import {attrString, dataAttrs, plainText, webAddress} from './text-and-dates.js'

/** Substack's chrome, by class or by component name (older posts lack the component names). */
const chromeClasses = ['subscription-widget-wrap-editor', 'subscription-widget-wrap', 'subscription-widget', 'paywall-jump', 'image-link-expand']
const chromeComponents = ['SubscribeWidgetToDOM', 'PaywallToDOM']
/** Embeds whose `data-attrs` (or first link) holds the address of what they show. */
const embedClasses = ['embedded-post-wrap', 'digest-post-embed', 'tweet', 'twitter-embed', 'instagram', 'file-embed-wrapper', 'image-gallery-embed']

export function component(source: Element): string {
  return String(source.properties.dataComponentName ?? '')
}

/** A button that asks the reader to subscribe, share, comment or give a gift: Substack's, not the author's. */
function chromeButton(url: string, text: string): boolean {
  return (
    /\/subscribe(?:[?#]|$)|[?&](?:action=share|utm_content=share|gift=true)\b|\/comments(?:[?#]|$)|\/share(?:[?#]|$)/.test(url) ||
    /^(?:subscribe(?: now)?|share|leave a comment|give a gift subscription|upgrade to paid)$/i.test(text.trim())
  )
}

export function substackBody(tree: Root, file: VFile): {body: Root; notes: PostNote[]} {
  const noteDivs = selectAll(tree, (node) => hasClass(node, 'footnote') || component(node) === 'FootnoteToDOM')
  const noteIds = new Map<Element, string>(noteDivs.map((div, index) => [div, noteIdOf(div) ?? String(index + 1)]))
  const known = new Set(noteIds.values())
  const referred = new Set<string>()

  const hook = (source: Element, convert: Convert): ElementContent[] | undefined => {
    const classes = classesOf(source)
    const name = component(source)
    if (classes.some((one) => chromeClasses.includes(one)) || chromeComponents.includes(name)) return []
    if (noteIds.has(source)) return []
    if (classes.includes('footnote-anchor') || name === 'FootnoteAnchorToDOM') return reference(source)
    if (classes.includes('button-wrapper') || name === 'ButtonCreateButton') return button(source)
    // A share box: its caption goes with its button; one the author made is kept, caption and link.
    if (classes.includes('captioned-button-wrap') || name === 'CaptionedButtonToDOM') return buttonTarget(source) ? [] : undefined
    if (classes.includes('captioned-image-container')) return figure(source, convert, originalSource)
    if (source.tagName === 'img') return [imageOf(source, originalSource(source))].filter((image) => image !== undefined)
    if (classes.includes('youtube-wrap') || name === 'Youtube2ToDOM') return youtube(source)
    if (classes.includes('pullquote')) return [element('blockquote', {}, tidyBlocks(convert(source.children), true), source)]
    if (classes.some((one) => embedClasses.includes(one))) return embed(source)
    return undefined
  }

  const reference = (source: Element): ElementContent[] => {
    const id = /#footnote-(.+)$/.exec(String(source.properties.href ?? ''))?.[1] ?? plainText(source)
    if (known.has(id)) {
      referred.add(id)
      return [element('sup', {dataFootnote: id}, [], source)]
    }
    report(file, {
      reason: `A footnote reference points to note \`${id}\`, which is not in the post, so its number is kept as plain text`,
      ruleId: 'import-post',
      severity: 'warning',
      place: source.position,
      note: 'Write the note in by hand, or remove the number.'
    })
    return [{type: 'text', value: `[${plainText(source)}]`}]
  }

  const button = (source: Element): ElementContent[] | undefined => {
    if (buttonTarget(source)) return []
    const {url, text} = buttonOf(source)
    // A button the author made (to another post, a shop, a form) is a link in a book.
    const address = webAddress(url)
    return address && text ? [element('p', {}, [element('a', {href: address}, [{type: 'text', value: text}], source)], source)] : undefined
  }

  const youtube = (source: Element): ElementContent[] => {
    const attrs = dataAttrs(source)
    const id = attrString(attrs, 'videoId')
    const start = attrString(attrs, 'startTime')
    const frame = selectAll(source, (node) => node.tagName === 'iframe')[0]
    const address = id
      ? `https://www.youtube.com/watch?v=${encodeURIComponent(id)}${start ? `&t=${encodeURIComponent(start)}` : ''}`
      : String(frame?.properties.src ?? '')
    const link = embedParagraph(address, [], source)
    if (link) return [link]
    report(file, {
      reason: 'A YouTube embed names no video, so it is left out',
      ruleId: 'import-post',
      severity: 'warning',
      place: source.position,
      note: 'Add a link to the video by hand, if you know which it was.'
    })
    return []
  }

  const embed = (source: Element): ElementContent[] | undefined => {
    const attrs = dataAttrs(source)
    const gallery = (attrs.gallery as {images?: Array<{src?: unknown}>} | undefined)?.images
    if (Array.isArray(gallery)) {
      const images = gallery.map((image) => webAddress(typeof image?.src === 'string' ? image.src : undefined)).filter((src) => src !== undefined)
      if (images.length > 0) return images.map((src) => element('figure', {}, [element('img', {src, alt: ''}, [], source)], source))
    }
    const anchor = selectAll(source, (node) => node.tagName === 'a' && typeof node.properties.href === 'string')[0]
    const address = webAddress(attrString(attrs, 'url') ?? attrString(attrs, 'canonical_url') ?? String(anchor?.properties.href ?? ''))
    const title = attrString(attrs, 'title') ?? attrString(attrs, 'filename')
    // Without an address there is nothing to link to: the generic rules keep whatever text it shows.
    const link = address ? embedParagraph(address, title ? [{type: 'text', value: title}] : [], source) : undefined
    return link ? [link] : undefined
  }

  const convert = plainConverter({hook})
  const body = tidyBlocks(convert(tree.children), true)
  const notes: PostNote[] = []
  for (const [div, id] of noteIds) {
    const content = selectAll(div, (node) => hasClass(node, 'footnote-content'))[0]
    const kept = content ? content.children : div.children.filter((node) => !(node.type === 'element' && hasClass(node, 'footnote-number')))
    const children = tidyBlocks(convert(kept), true)
    const twice = notes.some((note) => note.id === id)
    if (referred.has(id) && !twice) {
      notes.push({id, children})
      continue
    }
    // A note no reference points to (or a second note of the same number) would vanish from the book.
    report(file, {
      reason: `Note \`${id}\` ${twice ? 'is the second note with that number' : 'is not referred to anywhere in the text'}, so its words are put at the end of the post`,
      ruleId: 'import-post',
      severity: 'warning',
      place: div.position,
      note: 'Move them where they belong, or make them a footnote again.'
    })
    body.push(...children)
  }
  return {body: {type: 'root', children: body}, notes}
}

function buttonOf(source: Element): {url: string; text: string} {
  const attrs = dataAttrs(source)
  const anchor = selectAll(source, (node) => node.tagName === 'a')[0]
  return {url: attrString(attrs, 'url') ?? String(anchor?.properties.href ?? ''), text: attrString(attrs, 'text') ?? plainText(source)}
}

/** Whether a button (or a box holding one) is Substack's own call to subscribe, share, comment or give. */
function buttonTarget(source: Element): boolean {
  const {url, text} = buttonOf(source)
  const inner = selectAll(source, (node) => hasClass(node, 'button-wrapper') || component(node) === 'ButtonCreateButton').filter((node) => node !== source)
  return chromeButton(url, text) || inner.some((node) => chromeButton(buttonOf(node).url, buttonOf(node).text))
}

/** `footnote-1` from the note's number link (`a.footnote-number#footnote-1`), or its text. */
function noteIdOf(div: Element): string | undefined {
  const number = selectAll(div, (node) => hasClass(node, 'footnote-number'))[0]
  if (!number) return undefined
  return /^footnote-(.+)$/.exec(String(number.properties.id ?? ''))?.[1] ?? (plainText(number) || undefined)
}

/**
 * The image's own address, not the CDN's resized copy: `data-attrs.src`, else the address the
 * CDN URL carries percent-encoded after its settings, else `src` as given.
 */
function originalSource(image: Element): string | undefined {
  const fromAttrs = webAddress(attrString(dataAttrs(image), 'src'))
  if (fromAttrs) return fromAttrs
  const src = typeof image.properties.src === 'string' ? image.properties.src.trim() : ''
  const inner = /^https:\/\/substackcdn\.com\/image\/fetch\/[^/]*\/(https?%3A%2F%2F.+)$/i.exec(src)?.[1]
  if (inner) {
    try {
      const decoded = webAddress(decodeURIComponent(inner))
      if (decoded) return decoded
    } catch {
      // A broken escape: the CDN address still works.
    }
  }
  return src || undefined
}
