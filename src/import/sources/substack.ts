// Substack's export (Settings → Exports): reads `posts.csv` (columns by name) and, for each of
// its rows, `posts/<post_id>.html`, and never any other entry: the subscriber list and the
// per-post `.opens.csv`/`.delivers.csv` hold readers' e-mail addresses. Gives one ImportedPost
// per row and problems positioned at the row or element. Reads the archive's entries; writes nothing.
//
// Paid: an audience other than `everyone` and `only_free` (`only_paid`, and the values never
// seen, such as `founding`) is read as paid; an empty audience, as from an export older than
// the column, as free. The publication's host comes from the subscriber list's file NAME
// (`email_list.<subdomain>.csv`, never opened), else from the posts' own links to their slugs.
import type {Root} from 'hast'
import type {VFile} from 'vfile'
import {report} from '../../shared/diagnostics.js'
import {parseCsv, type CsvRow} from '../csv.js'
import {hasClass, parseHtml, selectAll} from '../html.js'
import type {Archive, ImportedPost, PostKind, Publication, SourceReader} from '../types.js'
import {component, substackBody} from './substack-body.js'
import {element} from './plain-html.js'
import {attrString, dataAttrs, mostCommon, plainText, utcDay, webAddress} from './text-and-dates.js'

const kinds = new Map<string, PostKind>([
  ['newsletter', 'post'],
  ['', 'post'],
  ['page', 'page'],
  ['podcast', 'podcast'],
  ['thread', 'thread']
])
const freeAudiences = new Set(['everyone', 'only_free', ''])
/** What a post is read as when `posts.csv` lacks the column that says. */
const fallbacks: Record<string, string> = {
  post_date: 'undated',
  is_published: 'a draft',
  type: 'an ordinary post',
  audience: 'free',
  title: 'untitled'
}

/** The folder holding `posts.csv`: the root, or the one folder some tools find the export wrapped in. */
function exportFolder(archive: Archive): string | undefined {
  if (archive.paths.includes('posts.csv')) return ''
  return archive.paths.map((path) => /^([^/]+\/)posts\.csv$/.exec(path)?.[1]).find((folder) => folder !== undefined)
}

interface Row {
  postId: string
  number: string | undefined
  slug: string | undefined
  row: CsvRow
  entry: string
  tree: Root
  file: VFile
}

export const substack: SourceReader = {
  name: 'substack',
  recognises: (archive) => exportFolder(archive) !== undefined,
  async read(archive) {
    const folder = exportFolder(archive) ?? ''
    const csvFile = await archive.text(`${folder}posts.csv`)
    if (!csvFile) return {posts: [], publication: {}}
    const csv = parseCsv(csvFile)
    if (!csv.header.includes('post_id')) {
      report(csvFile, {
        reason: `\`posts.csv\` has no \`post_id\` column (its columns: ${csv.header.map((name) => `\`${name}\``).join(', ') || 'none'}), so no post can be found`,
        ruleId: 'import-unreadable',
        severity: 'error',
        place: {line: 1, column: 1},
        note: 'This is not the `posts.csv` of a Substack export: export the publication again from Settings → Exports.'
      })
      return {posts: [], publication: {}}
    }
    const missing = ['post_date', 'is_published', 'type', 'audience', 'title'].filter((name) => !csv.header.includes(name))
    if (missing.length > 0)
      report(csvFile, {
        reason: `\`posts.csv\` has no ${missing.map((name) => `\`${name}\``).join(', ')} column, so every post is taken to be ${list(missing.map((name) => fallbacks[name]!))}`,
        ruleId: 'import-post',
        severity: 'warning',
        place: {line: 1, column: 1},
        note: 'Export the publication again from Settings → Exports, or check each review’s front matter after the import.'
      })
    const rows: Row[] = []
    const seen = new Set<string>()
    for (const row of csv.rows) {
      const postId = (row.cells.get('post_id') ?? '').trim()
      const problem = (reason: string, note: string) =>
        report(csvFile, {reason, ruleId: 'import-post', severity: 'warning', place: {line: row.line, column: 1}, note})
      // The id names the one file read for the row: nothing that could lead out of `posts/`.
      if (!/^[\w-][\w.-]*$/.test(postId) || postId.includes('..')) {
        problem(
          `The row has no usable \`post_id\` (\`${postId}\`), so its post cannot be found and is left out`,
          'Check this row of `posts.csv` against the export.'
        )
        continue
      }
      if (seen.has(postId)) {
        problem(`\`${postId}\` is listed twice; the second row is left out`, 'Remove the repeated row.')
        continue
      }
      seen.add(postId)
      const entry = `${folder}posts/${postId}.html`
      if (!archive.paths.includes(entry)) {
        problem(
          `The row for \`${postId}\` has no post file \`posts/${postId}.html\` in the export, so the post is left out`,
          'Export again: the download may be incomplete.'
        )
        continue
      }
      const file = await archive.text(entry)
      const tree = file ? parseHtml(file, {fragment: true}) : undefined
      if (!file || !tree) continue
      const named = /^(\d{1,20})(?:\.(.+))?$/.exec(postId)
      rows.push({postId, number: named?.[1], slug: named ? named[2] : postId, row, entry, tree, file})
    }
    const postFile = new RegExp(`^${escape(folder)}posts/([^/]+)\\.html$`)
    for (const path of archive.paths)
      if (postFile.test(path) && !seen.has(postFile.exec(path)![1]!))
        report(csvFile, {
          reason: `\`${path}\` has no row in \`posts.csv\`, so it is not imported`,
          ruleId: 'import-post',
          severity: 'warning',
          note: 'Without its row there is no title, date or status for it; add a row, or copy its text in by hand.'
        })
    const host = hostOf(archive, folder, rows)
    const name = mostCommon(rows.flatMap(({tree}) => publicationNames(tree)))
    const posts = rows.map((row) => readPost(row, host, csvFile))
    const publication: Publication = {name, site: host ? `https://${host}` : undefined}
    return {posts, publication}
  }
}

function readPost({postId, number, slug, row, entry, tree, file}: Row, host: string | undefined, csvFile: VFile): ImportedPost {
  const cell = (name: string) => (row.cells.get(name) ?? '').trim()
  const draft = cell('is_published').toLowerCase() !== 'true'
  const stamp = cell('post_date')
  const published = draft ? undefined : utcDay(stamp)
  if (!draft && !published)
    report(csvFile, {
      reason: `\`${postId}\` is published but its \`post_date\` ${stamp === '' ? 'is empty' : `\`${stamp}\` cannot be read`}, so it is imported without a date`,
      ruleId: 'import-post',
      severity: 'warning',
      place: {line: row.line, column: 1},
      note: 'Set `published` in the review’s front matter after the import.'
    })
  const type = cell('type').toLowerCase()
  const {body, notes} = substackBody(tree, file)
  // A podcast's audio is not in the post file: it is a link at the top, as any embed is.
  const audio = webAddress(cell('podcast_url'))
  if (audio) body.children.unshift(element('p', {}, [element('a', {href: audio}, [{type: 'text', value: 'Listen to the episode'}])]))
  const subdomain = host?.endsWith('.substack.com') ? host.slice(0, -'.substack.com'.length) : undefined
  const url = !draft && host && slug ? `https://${host}/p/${slug}` : undefined
  // The app's and the share sheet's addresses for the same post, which other posts link by too.
  const aliases = draft
    ? []
    : [
        subdomain && slug ? `https://open.substack.com/pub/${subdomain}/p/${slug}` : undefined,
        number ? `https://substack.com/home/post/p-${number}` : undefined
      ]
  return {
    source: 'substack',
    key: number ?? postId,
    origin: {entry},
    title: cell('title'),
    subtitle: cell('subtitle') || undefined,
    published,
    url,
    aliases: aliases.filter((alias) => alias !== undefined),
    slug,
    tags: [],
    kind: kinds.get(type) ?? 'other',
    draft,
    paid: !freeAudiences.has(cell('audience').toLowerCase()),
    body,
    notes
  }
}

/**
 * `<subdomain>.substack.com` from the subscriber list's name; else the host the posts' links to
 * this export's own slugs (`…/p/<slug>`) and Substack's own subscribe buttons name most often.
 */
function hostOf(archive: Archive, folder: string, rows: Row[]): string | undefined {
  const listName = new RegExp(`^${escape(folder)}email_list\\.([a-z0-9-]+)\\.csv$`, 'i')
  const listed = archive.paths.map((path) => listName.exec(path)?.[1]).find(Boolean)
  if (listed) return `${listed.toLowerCase()}.substack.com`
  const slugs = new Set(rows.map((row) => row.slug))
  const hosts: string[] = []
  for (const {tree} of rows) {
    for (const node of selectAll(tree, (element) => element.tagName === 'a' || element.properties.dataAttrs !== undefined)) {
      const address = node.tagName === 'a' ? String(node.properties.href ?? '') : (attrString(dataAttrs(node), 'url') ?? '')
      const match = /^https?:\/\/([a-z0-9.-]+)\/(?:p\/([^/?#]+)|subscribe\b)/i.exec(address)
      if (!match) continue
      const own = match[2] ? slugs.has(match[2]) : ['ButtonCreateButton', 'SubscribeWidgetToDOM'].includes(component(node))
      if (own) hosts.push(match[1]!.toLowerCase())
    }
  }
  return mostCommon(hosts)
}

/** The name Substack writes into its own captions ("Thanks for reading X!", "X is a reader-supported publication."). */
function publicationNames(tree: Root): string[] {
  return selectAll(tree, (node) => hasClass(node, 'cta-caption')).flatMap((caption) => {
    const text = plainText(caption)
    const name = /^Thanks for reading (.+?)! /.exec(text)?.[1] ?? /^(.+?) is a reader-supported publication\./.exec(text)?.[1]
    return name ? [name] : []
  })
}

/** `a, b and c`. */
function list(items: string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
