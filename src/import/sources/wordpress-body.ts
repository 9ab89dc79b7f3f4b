// One WordPress post's `content:encoded` → a PostBody and its notes: shortcodes expanded, comments
// (blocks, `<!--more-->`) dropped, classic posts given wpautop's paragraphs, embeds as links,
// resized images as their attachment's full-size file, Gutenberg footnotes (`sup[data-fn]` + the
// `footnotes` meta) and `[ref]` notes as references and notes. Problems go on the export. Pure.
import type {Element, ElementContent, Root} from 'hast'
import {VFile} from 'vfile'
import type {Position} from 'unist'
import {parseHtml, classesOf, hasClass, selectAll} from '../html.js'
import {embedLink} from '../embeds.js'
import type {PostNote} from '../types.js'
import {report} from '../../shared/diagnostics.js'
import {paragraphsFromLines} from './paragraphs.js'
import {element, tidyBody, tidyFlow} from './plain-body.js'
import {expandShortcodes} from './wordpress-shortcodes.js'

export interface Attachment {
  url: string
  alt: string
}

export interface BodyInput {
  /** The post's `content:encoded`, CDATA joined. */
  raw: string
  /** The post's `footnotes` meta (JSON), when it has one. */
  footnotes?: string | undefined
  /** Attachments by id, from the whole export. */
  attachments: ReadonlyMap<string, Attachment>
  /** Where a spot of `raw` is in the file (undefined offset: the whole item). */
  place: (offset?: number) => Position | undefined
  /** Where the footnotes meta is. */
  footnotesPlace?: Position | undefined
  /** How messages name the post. */
  label: string
  file: VFile
}

export function readBody(input: BodyInput): {body: Root; notes: PostNote[]} {
  const warn = (reason: string, note: string, place: Position | undefined) =>
    report(input.file, {reason, ruleId: 'import-post', severity: 'warning', place, note})
  const at = (needle: string) => input.place(Math.max(0, input.raw.indexOf(needle)))
  // Block-editor posts are stored as their blocks' HTML; WordPress adds paragraphs only to the others.
  const classic = !/<!--\s*\/?wp:/.test(input.raw)
  const expanded = expandShortcodes(input.raw, {bareUrls: classic})
  for (const problem of expanded.problems) warn(`${input.label}: ${problem.reason}`, problem.note, at(problem.needle))
  const tree = parse(expanded.html, input, classic)
  if (!tree) return {body: {type: 'root', children: []}, notes: []}
  mapElements(tree, (node) => (hasClass(node, 'wp-block-embed') ? embedParagraph(node) : undefined))
  for (const image of selectAll(tree, (node) => node.tagName === 'img')) fullSize(image, input.attachments)
  const notes = gutenbergNotes(tree, input, warn, at)
  for (const note of expanded.notes) {
    const children = parse(note.html, input, classic)?.children as ElementContent[] | undefined
    notes.push({id: note.id, children: tidyFlow(children ?? [])})
  }
  tidyBody(tree)
  return {body: tree, notes}
}

/** HTML → tree, comments (block delimiters, `<!--more-->`) gone, classic text in paragraphs. */
function parse(html: string, input: BodyInput, classic: boolean): Root | undefined {
  const scratch = new VFile({path: input.file.path, value: html})
  const tree = parseHtml(scratch, {fragment: true})
  for (const message of scratch.messages)
    report(input.file, {
      reason: `${input.label}: ${message.reason}`,
      ruleId: message.ruleId ?? 'import-unreadable',
      severity: message.fatal ? 'error' : 'warning',
      place: input.place(),
      note: message.note
    })
  if (!tree) return undefined
  mapElements(tree, () => undefined)
  if (classic) paragraphsFromLines(tree)
  return tree
}

/** Visits every element, replacing it with what `replace` gives (undefined: keep it and go inside); comments go. */
function mapElements(parent: Root | Element, replace: (node: Element) => ElementContent[] | undefined): void {
  const out: ElementContent[] = []
  for (const node of parent.children as ElementContent[]) {
    if (node.type === 'comment') continue
    if (node.type !== 'element') {
      const previous = out.at(-1)
      // Text either side of a dropped comment is one text again, so a blank line across it still counts.
      if (node.type === 'text' && previous?.type === 'text') out[out.length - 1] = {type: 'text', value: previous.value + node.value}
      else out.push(node)
      continue
    }
    const replaced = replace(node)
    if (replaced) out.push(...replaced)
    else {
      mapElements(node, replace)
      out.push(node)
    }
  }
  parent.children = out
}

/** A `wp:embed` block stores only the address: it becomes a link, its caption (if any) the link's words. */
function embedParagraph(figure: Element): ElementContent[] | undefined {
  const wrapper = selectAll(figure, (node) => hasClass(node, 'wp-block-embed__wrapper'))[0]
  const address = wrapper?.children.every((child) => child.type === 'text')
    ? wrapper.children.map((child) => (child.type === 'text' ? child.value : '')).join('')
    : ''
  const link = address.trim() === '' ? undefined : embedLink(address)
  // An older save with the player inside: the tidy step turns the player into a link.
  if (!link) return undefined
  const caption = selectAll(figure, (node) => node.tagName === 'figcaption')[0]
  const words = caption && caption.children.length > 0 ? caption.children : [{type: 'text' as const, value: link.label}]
  return [element('p', {}, [element('a', {href: link.url}, words)])]
}

/** A body image showing a resized copy (`x-1024x576.jpg`) of an attachment gets the full-size file. */
function fullSize(image: Element, attachments: ReadonlyMap<string, Attachment>): void {
  const src = String(image.properties.src ?? '')
  const id = classesOf(image)
    .map((name) => /^wp-image-(\d+)$/.exec(name)?.[1])
    .find(Boolean)
  const full = src.replace(/-\d+x\d+(?=\.[A-Za-z0-9]+(?:[?#].*)?$)/, '')
  const candidates = id && attachments.has(id) ? [attachments.get(id)!] : [...attachments.values()]
  const attachment = candidates.find((candidate) => candidate.url === full || candidate.url === src)
  if (!attachment) return
  image.properties.src = attachment.url
  if (String(image.properties.alt ?? '').trim() === '' && attachment.alt) image.properties.alt = attachment.alt
}

type Warn = (reason: string, note: string, place: Position | undefined) => void

/** `sup[data-fn]` references, and their notes from the `footnotes` meta, in its order. */
function gutenbergNotes(tree: Root, input: BodyInput, warn: Warn, at: (needle: string) => Position | undefined): PostNote[] {
  const refs = selectAll(tree, (node) => node.tagName === 'sup' && node.properties.dataFn !== undefined)
  if (refs.length === 0 && input.footnotes === undefined) return []
  const written = readNotes(input, warn)
  const notes: PostNote[] = []
  const ids = new Set(written.map((note) => note.id))
  const used = new Set<string>()
  for (const ref of refs) {
    const id = String(ref.properties.dataFn)
    if (ids.has(id)) {
      ref.properties = {dataFootnote: id}
      ref.children = []
      used.add(id)
    } else {
      warn(
        `${input.label}: a footnote reference (\`${id}\`) has no note in the post's \`footnotes\` meta, so the reference is left out`,
        'Its note was lost before the export; write it again in the review, or remove the reference.',
        at(`data-fn="${id}"`)
      )
      // The number inside was WordPress's display only.
      ref.tagName = 'span'
      ref.properties = {}
      ref.children = []
    }
  }
  for (const note of written) {
    const children = parse(note.content, input, false)?.children as ElementContent[] | undefined
    notes.push({id: note.id, children: tidyFlow(children ?? [])})
    if (!used.has(note.id))
      warn(
        `${input.label}: the footnote \`${note.id}\` is not referenced in the text; it is kept as the last note`,
        'Add a reference to it in the review, or remove the note.',
        input.footnotesPlace
      )
  }
  return notes
}

function readNotes(input: BodyInput, warn: Warn): Array<{id: string; content: string}> {
  if (input.footnotes === undefined || input.footnotes.trim() === '') return []
  let value: unknown
  try {
    value = JSON.parse(input.footnotes)
  } catch {
    value = undefined
  }
  const notes = Array.isArray(value)
    ? value.filter((note): note is {id: string; content: string} => typeof note?.id === 'string' && typeof note?.content === 'string')
    : []
  if (!Array.isArray(value) || notes.length !== value.length)
    warn(
      `${input.label}: the post's \`footnotes\` meta is not the list of notes WordPress writes (JSON \`[{"content": …, "id": …}]\`), so ${notes.length === 0 ? 'its notes are' : 'some of its notes are'} left out`,
      'Copy the notes from the post on the site into the review by hand.',
      input.footnotesPlace
    )
  return notes
}
