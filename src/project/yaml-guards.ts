// Checks on a parsed YAML document before any value is taken from it, shared by volumes.yaml
// and front matter: aliases that would expand past a bound (the "billion laughs" bomb), tags
// that would make values this tool does not read (`!!binary`, `!!js/function`), and
// characters no book can hold (a NUL or form feed written as a YAML escape). Each is an
// error at the node's place. Pure.
import type {VFile} from 'vfile'
import {isAlias, isCollection, isMap, isNode, isPair, isScalar, visit, type Document, type Node as YamlNode} from 'yaml'
import {report} from '../shared/diagnostics.js'
import {codePoint, forbiddenCharacter} from '../shared/xml.js'
import {placeOfNode} from './yaml-place.js'

/** Nodes a document may stand for once every alias is expanded: far above any real manifest. */
export const expandedNodeLimit = 1_000_000
/** Aliases in one document (the YAML library resolves each by a walk over the others). */
export const aliasLimit = 1000
/** Flow collections (`[…]`, `{…}`) inside each other: the YAML library runs out of memory on thousands. */
export const flowDepthLimit = 64

export interface GuardOptions {
  /** The rule for syntax-like problems (`yaml-syntax`, `frontmatter-syntax`). */
  rule: string
  /** The rule for a value no book can hold (`invalid-value`, `invalid-frontmatter`). */
  valueRule: string
  /** The message for a key written twice in one map (`firstLine`: where it first appears). */
  duplicate: (key: string, firstLine: number | undefined) => {reason: string; note: string}
}

/**
 * Before parsing: the offset of a flow collection nested past the limit, if any (strings and
 * comments skipped), so the parser is never given one.
 */
export function tooDeepFlow(text: string): number | undefined {
  let depth = 0
  for (let index = 0; index < text.length; index++) {
    const char = text[index]
    if ((char === '"' || char === "'") && (index === 0 || /[\s[{,:]/.test(text[index - 1]!))) {
      // A quoted scalar: skip to its end (`\"` escapes in double quotes, `''` in single).
      for (index++; index < text.length; index++) {
        if (char === '"' && text[index] === '\\') index++
        else if (text[index] === char) {
          if (char === "'" && text[index + 1] === "'") index++
          else break
        }
      }
    } else if (char === '#' && (index === 0 || /\s/.test(text[index - 1]!))) {
      const end = text.indexOf('\n', index)
      index = end < 0 ? text.length : end
    } else if (char === '[' || char === '{') {
      depth++
      if (depth > flowDepthLimit) return index
    } else if (char === ']' || char === '}') {
      depth = Math.max(0, depth - 1)
    }
  }
  return undefined
}

const plainTags = new Set([
  'tag:yaml.org,2002:str',
  'tag:yaml.org,2002:int',
  'tag:yaml.org,2002:float',
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:null',
  'tag:yaml.org,2002:map',
  'tag:yaml.org,2002:seq'
])

/**
 * Reports every problem on `file` (`base`: where the YAML starts in it) and says whether the
 * document is safe to turn into values (`doc.toJS` with aliases unbounded).
 */
export function guardYaml(doc: Document, file: VFile, base: number, options: GuardOptions): boolean {
  const {rule} = options
  let safe = true
  const anchors = new Map<string, YamlNode>()
  const sizes = new Map<YamlNode, number>()
  const aliasTarget = new Map<YamlNode, YamlNode | undefined>()
  // Nodes in document order: an alias refers to the last anchor of its name before it.
  const order: YamlNode[] = []
  visit(doc, {
    Node(_key, node) {
      order.push(node)
      if (!isAlias(node) && node.anchor) anchors.set(node.anchor, node)
      if (isAlias(node)) aliasTarget.set(node, anchors.get(node.source))
      if (!isMap(node)) return
      const map = node
      // Repeated keys, found with a set (the YAML library's own check compares every pair).
      const seen = new Map<unknown, YamlNode>()
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue
        const first = seen.get(pair.key.value)
        if (!first) {
          seen.set(pair.key.value, pair.key)
          continue
        }
        const {reason, note} = options.duplicate(String(pair.key.value), placeOfNode(file, first, base)?.start.line)
        report(file, {reason, ruleId: rule, severity: 'error', place: placeOfNode(file, pair.key, base), note})
        safe = false
      }
    }
  })
  const aliases = order.filter((node) => isAlias(node))
  if (aliases.length > aliasLimit) {
    report(file, {
      reason: `The YAML uses ${aliases.length.toLocaleString('en-GB')} aliases (at most ${aliasLimit.toLocaleString('en-GB')})`,
      ruleId: rule,
      severity: 'error',
      place: placeOfNode(file, aliases[aliasLimit], base),
      note: 'Write the values out instead of repeating them with `*name`.'
    })
    return false
  }
  const sizeOf = (node: unknown, depth: number): number => {
    if (!isNode(node) || depth > 10_000) return 1
    const known = sizes.get(node)
    if (known !== undefined) return known
    let size = 1
    if (isAlias(node)) size = sizeOf(aliasTarget.get(node), depth + 1)
    else if (isCollection(node))
      for (const item of node.items) size += isPair(item) ? sizeOf(item.key, depth + 1) + sizeOf(item.value, depth + 1) : sizeOf(item, depth + 1)
    sizes.set(node, Math.min(size, Number.MAX_SAFE_INTEGER))
    return size
  }
  const total = sizeOf(doc.contents, 0)
  if (total > expandedNodeLimit) {
    // The alias that expands to the most is where the bomb is set off.
    let worst: YamlNode | undefined
    for (const node of order) if (isAlias(node) && (!worst || sizeOf(node, 0) > sizeOf(worst, 0))) worst = node
    report(file, {
      reason: `The YAML's aliases expand to more than ${expandedNodeLimit.toLocaleString('en-GB')} values (\`*${worst && isAlias(worst) ? worst.source : ''}\` alone to ${worst ? sizeOf(worst, 0).toLocaleString('en-GB') : '?'}), far more than any manifest needs`,
      ruleId: rule,
      severity: 'error',
      place: placeOfNode(file, worst, base),
      note: 'Aliases (`*name`) repeat the value of an anchor (`&name`); aliases of aliases multiply. Write the values out, or reuse an anchor only directly.'
    })
    safe = false
  }
  for (const node of order) {
    if (isAlias(node) || !node.tag || plainTags.has(node.tag)) continue
    report(file, {
      reason: `The tag \`${shortTag(node.tag)}\` asks for a kind of value this tool does not read`,
      ruleId: rule,
      severity: 'error',
      place: placeOfNode(file, node, base),
      note: 'Remove the tag (the `!…` before the value) and write the value as plain text, a number, true or false.'
    })
    safe = false
  }
  for (const node of order) {
    if (!isScalar(node) || typeof node.value !== 'string') continue
    const bad = forbiddenCharacter.exec(node.value)
    if (!bad) continue
    report(file, {
      reason: `The value contains the control character ${codePoint(bad[0])}, which no book can hold`,
      ruleId: options.valueRule,
      severity: 'error',
      place: placeOfNode(file, node, base),
      note: 'Delete it: it is usually an escape such as `\\0` or `\\f` in a quoted value, or a character pasted by mistake.'
    })
    safe = false
  }
  return safe
}

function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag
}
