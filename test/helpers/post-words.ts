// What the import tests compare: the words a reader sees in an export's HTML (platform chrome
// taken out by selector) against the words of an imported post (title, subtitle, body, notes),
// counted, so a word written twice and kept once is missed; and the elements of a body.
import type {Element, ElementContent, Root, RootContent} from 'hast'
import {matches} from 'hast-util-select'
import rehypeParse from 'rehype-parse'
import rehypeStringify from 'rehype-stringify'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {openArchive} from '../../src/import/archive.js'
import type {Archive, ImportedPost, Publication, SourceReader} from '../../src/import/types.js'

/** Elements that separate words; inline ones (em, a, span) do not. */
const breaking = new Set(
  'p div section article header footer li ul ol h1 h2 h3 h4 h5 h6 blockquote figure figcaption pre td th tr br hr table body html'.split(' ')
)

export async function readExport(
  location: string,
  reader: SourceReader
): Promise<{archive: Archive; posts: ImportedPost[]; publication: Publication; file: VFile}> {
  const file = new VFile({path: location})
  const archive = await openArchive(location, file)
  if (!archive) throw new Error(`${location} does not open: ${file.messages.map(String).join('; ')}`)
  const {posts, publication} = await reader.read(archive)
  return {archive, posts, publication, file}
}

export function wordsOf(node: Root | RootContent): string[] {
  let text = ''
  const walk = (current: Root | RootContent) => {
    if (current.type === 'text') text += current.value
    if (current.type === 'element' && ['script', 'style', 'title', 'head'].includes(current.tagName)) return
    if (current.type === 'element' && breaking.has(current.tagName)) text += ' '
    if ('children' in current) current.children.forEach(walk)
    if (current.type === 'element' && breaking.has(current.tagName)) text += ' '
  }
  walk(node)
  return text.match(/[\p{L}\p{N}]+/gu) ?? []
}

/** The words of an export's HTML, less every element matching one of the `chrome` selectors. */
export function htmlWords(html: string, chrome: string[], fragment: boolean): string[] {
  const tree = unified().use(rehypeParse, {fragment}).parse(html)
  const prune = (nodes: RootContent[]): RootContent[] =>
    nodes
      .filter((node) => !(node.type === 'element' && chrome.some((selector) => matches(selector, node))))
      .map((node) => (node.type === 'element' ? {...node, children: prune(node.children) as ElementContent[]} : node))
  return wordsOf({type: 'root', children: prune(tree.children)})
}

export function postWords(post: ImportedPost): string[] {
  const notes: Root = {type: 'root', children: post.notes.flatMap((note) => note.children)}
  return [post.title, post.subtitle ?? ''].flatMap((text) => text.match(/[\p{L}\p{N}]+/gu) ?? []).concat(wordsOf(post.body), wordsOf(notes))
}

/** Each word of `source` that `output` holds fewer times (a multiset difference). */
export function missingWords(source: string[], output: string[]): string[] {
  const left = new Map<string, number>()
  for (const word of output) left.set(word, (left.get(word) ?? 0) + 1)
  const missing: string[] = []
  for (const word of source) {
    const count = left.get(word) ?? 0
    if (count === 0) missing.push(word)
    else left.set(word, count - 1)
  }
  return missing
}

export function elementsOf(node: Root | RootContent): Element[] {
  const found: Element[] = []
  const walk = (current: Root | RootContent) => {
    if (current.type === 'element') found.push(current)
    if ('children' in current) current.children.forEach(walk)
  }
  walk(node)
  return found
}

export function html(node: Root): string {
  return unified().use(rehypeStringify).stringify(node)
}

/** The tags and properties a PostBody may hold (types.ts); anything else is a platform's leftover. */
export const allowed: Record<string, string[]> = {
  p: [],
  h2: [],
  h3: [],
  h4: [],
  ul: [],
  ol: ['start'],
  li: [],
  blockquote: [],
  hr: [],
  pre: [],
  code: ['className'],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: [],
  td: [],
  em: [],
  strong: [],
  a: ['href'],
  br: [],
  del: [],
  figure: [],
  img: ['src', 'alt'],
  figcaption: [],
  sup: ['dataFootnote']
}

/** Every element of a body or its notes that the contract does not allow, as `tag[property]` strings. */
export function leftovers(post: ImportedPost): string[] {
  const roots: Root[] = [post.body, ...post.notes.map((note): Root => ({type: 'root', children: note.children}))]
  return roots.flatMap((root) =>
    elementsOf(root).flatMap((element) => {
      const properties = allowed[element.tagName]
      if (!properties) return [element.tagName]
      const extra = Object.keys(element.properties).filter((name) => !properties.includes(name))
      const footnoteWithChildren = element.tagName === 'sup' && element.children.length > 0 ? ['sup with children'] : []
      return [...extra.map((name) => `${element.tagName}[${name}]`), ...footnoteWithChildren]
    })
  )
}

const inline = new Set(['a', 'em', 'strong', 'del', 'code', 'sup'])

/** The text of a tree, blocks apart (as a reader sees them), inline elements joined. */
export function text(node: Root | ElementContent): string {
  if (node.type === 'text') return node.value
  const inner = 'children' in node ? node.children.map((child) => text(child as ElementContent)).join('') : ''
  return node.type === 'element' && !inline.has(node.tagName) ? ` ${inner} ` : inner
}

/** The body as compact HTML-like text, so a test can state its whole shape. */
export function shape(node: Root | ElementContent): string {
  if (node.type === 'text') return node.value
  if (node.type !== 'element' && node.type !== 'root') return `<${node.type}>`
  const inner = node.children.map((child) => shape(child as ElementContent)).join('')
  if (node.type === 'root') return inner
  const props = Object.entries((node as Element).properties)
    .map(([key, value]) => ` ${key}=${String(value)}`)
    .join('')
  return `<${node.tagName}${props}>${inner}</${node.tagName}>`
}
