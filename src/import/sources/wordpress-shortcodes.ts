// WordPress shortcodes a book can hold, as HTML, before the body is parsed: `[caption]` (both
// forms) → `figure` with `figcaption`; `[embed]URL[/embed]` and, in classic posts, a URL alone
// on its line (WordPress's oEmbed rule) → a paragraph with one link; `[ref]…[/ref]` and
// `[footnote]…[/footnote]` → a footnote reference plus its note. Takes and gives strings. Pure.
import {embedLink} from '../embeds.js'

export interface ShortcodeNote {
  id: string
  html: string
}

/** Something that could not be turned into HTML; `needle` is the text as written, to place the message. */
export interface ShortcodeProblem {
  needle: string
  reason: string
  note: string
}

export interface Expanded {
  html: string
  notes: ShortcodeNote[]
  problems: ShortcodeProblem[]
}

const caption = /\[caption\b([^\]]*)\]([\s\S]*?)\[\/caption\]/g
const media = /^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?)([\s\S]*)$/i
const embed = /\[embed\b[^\]]*\]([\s\S]*?)\[\/embed\]/g
const footnote = /\[(ref|footnote)\]([\s\S]*?)\[\/\1\]/g
const bareUrl = /^[ \t]*(https?:\/\/[^\s<>"]+)[ \t]*$/gm

export function expandShortcodes(raw: string, options: {bareUrls: boolean}): Expanded {
  const notes: ShortcodeNote[] = []
  const problems: ShortcodeProblem[] = []
  let html = raw.replace(caption, (_, attributes: string, inner: string) => {
    const written = attributesOf(attributes).get('caption')
    const found = media.exec(inner)
    // Without an image there is nothing to caption: the text stays where it was.
    if (!found) return [inner, written].filter(Boolean).join(' ')
    const text = [written, found[2]!.trim()].filter(Boolean).join(' ')
    return `\n\n<figure>${found[1]}${text ? `<figcaption>${text}</figcaption>` : ''}</figure>\n\n`
  })
  html = html.replace(embed, (whole, address: string) => {
    const link = embedLink(address)
    if (link) return linkParagraph(link.url, link.label)
    problems.push({
      needle: whole,
      reason: `\`${whole.slice(0, 80)}\` does not hold a web address, so it is kept as text`,
      note: 'Put the address of the video or post between `[embed]` and `[/embed]`, or remove the shortcode.'
    })
    return address
  })
  html = html.replace(footnote, (_, __, note: string) => {
    const id = `ref-${notes.length + 1}`
    notes.push({id, html: note.trim()})
    return `<sup data-footnote="${id}"></sup>`
  })
  for (const open of html.matchAll(/\[(ref|footnote)\]/g))
    problems.push({
      needle: open[0],
      reason: `a footnote \`${open[0]}\` is never closed with \`[/${open[1]}]\`, so it is kept as text`,
      note: `Close it with \`[/${open[1]}]\` after the note's text.`
    })
  if (options.bareUrls)
    html = html.replace(bareUrl, (line, address: string) => {
      const link = embedLink(address)
      return link ? linkParagraph(link.url, link.label) : line
    })
  return {html, notes, problems}
}

function linkParagraph(url: string, label: string): string {
  return `\n\n<p><a href="${escape(url)}">${escape(label)}</a></p>\n\n`
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** A shortcode's attributes, as `shortcode_parse_atts` reads them (double, single or no quotes). */
function attributesOf(text: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const match of text.matchAll(/([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))/g))
    found.set(match[1]!.toLowerCase(), match[2] ?? match[3] ?? match[4] ?? '')
  return found
}
