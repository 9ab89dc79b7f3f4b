// remark plugin: problems only the Markdown tree shows. Blog shortcodes (Hugo's
// `{{< youtube id >}}`, Liquid's `{% include x %}`) are never run: a warning, and the text
// stays as written (a YouTube or Vimeo shortcode becomes a link to the video, at its start
// time; shortcodes.ts reads the arguments). A footnote
// definition that nothing refers to would vanish from the book: a warning. Pure.
import type {Link, Root, Text} from 'mdast'
import type {Point} from 'unist'
import {SKIP, visit} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {report} from '../../shared/diagnostics.js'
import {parseShortcodeArgs, videoLink} from '../shortcodes.js'

// Each part is bounded: an unbounded lazy part made every `{{<` with no end scan to the end
// of the text, quadratic in their number.
const shortcode = /\{\{<\s*([\w-]+)([^>]{0,500}?)\/?>\}\}|\{\{%\s*([\w-]+)(.{0,500}?)%\}\}|\{%-?\s*([\w-]+)(.{0,500}?)-?%\}|\{\{-?\s*([^{}]{1,500}?)\s*-?\}\}/g
/** Shortcodes that stand for the address of another post: `[Her]({{< relref "her.md" >}})`. */
const linkShortcodes = new Set(['ref', 'relref', 'post_url', 'link'])

export default function remarkReviewChecks() {
  return function (tree: Root, file: VFile): void {
    checkShortcodes(tree, file)
    checkFootnotes(tree, file)
  }
}

function checkShortcodes(tree: Root, file: VFile): void {
  visit(tree, 'text', (node: Text, index, parent) => {
    const matches = [...node.value.matchAll(shortcode)]
    if (matches.length === 0) return undefined
    const replacement: Array<Text | Link> = []
    let last = 0
    for (const match of matches) {
      const name = match[1] ?? match[3] ?? match[5] ?? 'expression'
      const args = parseShortcodeArgs(match[2] ?? match[4] ?? match[6] ?? '')
      const start = match.index
      // A link whose address is a shortcode: Markdown could not read it as a link (the
      // shortcode has spaces), so it is made one here, to the post it names.
      const before = node.value.slice(last, start)
      const label = /\[([^\[\]]*)\]\($/.exec(before)
      const target = args.positional[0]
      if (linkShortcodes.has(name) && label && target && !args.malformed && node.value[start + match[0].length] === ')') {
        replacement.push({type: 'text', value: before.slice(0, label.index)})
        replacement.push({
          type: 'link',
          url: target,
          children: [{type: 'text', value: label[1]!}],
          position: {start: pointAt(node, last + label.index)!, end: pointAt(node, start + match[0].length + 1)!}
        })
        last = start + match[0].length + 1
        continue
      }
      const video = videoLink(name, args)
      report(file, {
        reason: `\`${match[0]}\` is a ${match[5] !== undefined || match[7] !== undefined ? 'Liquid (Jekyll) tag' : 'Hugo shortcode'}, which this tool never runs; ${video ? 'it becomes a link to the video' : 'it stays as written'}`,
        ruleId: 'shortcode',
        severity: 'warning',
        place: pointAt(node, start),
        note: 'Replace it with Markdown: a link for a video, `![…](…)` for an image, or the text the include held.'
      })
      replacement.push({type: 'text', value: node.value.slice(last, start)})
      if (video) replacement.push({type: 'link', url: video.url, children: [{type: 'text', value: video.label}]})
      else replacement.push({type: 'text', value: match[0]})
      last = start + match[0].length
    }
    replacement.push({type: 'text', value: node.value.slice(last)})
    if (!parent || typeof index !== 'number') return undefined
    parent.children.splice(index, 1, ...replacement.filter((part) => part.type !== 'text' || part.value !== ''))
    return [SKIP, index + replacement.length]
  })
}

/** Where character `offset` of a text node starts, when the node has a position. */
function pointAt(node: Text, offset: number): Point | undefined {
  const start = node.position?.start
  if (!start) return undefined
  const before = node.value.slice(0, offset)
  const lines = before.split('\n')
  return lines.length === 1 ? {line: start.line, column: start.column + offset} : {line: start.line + lines.length - 1, column: lines.at(-1)!.length + 1}
}

function checkFootnotes(tree: Root, file: VFile): void {
  const referenced = new Set<string>()
  visit(tree, 'footnoteReference', (node) => {
    referenced.add(node.identifier)
  })
  visit(tree, 'footnoteDefinition', (node) => {
    if (referenced.has(node.identifier)) return
    report(file, {
      reason: `Footnote \`[^${node.label ?? node.identifier}]\` is never referred to, so its text would not appear in the book`,
      ruleId: 'unused-footnote',
      severity: 'warning',
      place: node.position,
      note: `Put \`[^${node.label ?? node.identifier}]\` in the text where the note belongs, or delete the definition.`
    })
  })
}
