// Medium's "Download your information" export: reads `posts/*.html` and nothing else (profile,
// claps and the other folders are personal data or lists, some with the same h-entry markup).
// Gives one ImportedPost per story, draft or response, and problems on each entry's file.
// Reads the archive's entries; writes nothing.
//
// Responses (comments on other people's stories) sit in `posts/` shaped exactly like stories,
// and nothing marks them. They are told apart by a heuristic: a response has no subtitle, no
// title graf at the top of its body (Medium's editor adds one to every story), and either a
// title that is the opening of its first paragraph (Medium titles a response with its first
// words) or fewer than 100 words.
import type {Element, Root} from 'hast'
import {select, selectAll} from 'hast-util-select'
import type {VFile} from 'vfile'
import type {CalendarDate} from '../../model.js'
import {report} from '../../shared/diagnostics.js'
import {parseHtml} from '../html.js'
import type {Archive, ImportedPost, PostKind, SourceReader} from '../types.js'
import {mediumBody} from './medium-body.js'
import {comparableText, mostCommon, plainText, utcDay, webAddress} from './text-and-dates.js'

/** `2019-03-14_Her--2013--3c9f1a2b7d4e.html`, `draft_Notes-on-Columbus-9d7c3b2a1e05.html`: the date, and the post id after the last dash. */
const fileName = /^(?:(\d{4}-\d{2}-\d{2})_|draft_)(.*)-([0-9a-f]{8,16})\.html$/
const shortLink = /^https:\/\/medium\.com\/p\/([0-9a-f]{8,16})\/?$/
const responseWords = 100

/** The folder holding `posts/` (the archive's root, or one folder the zip was wrapped in), or undefined. */
function postsFolder(archive: Archive): string | undefined {
  const found = archive.paths.map((path) => /^((?:[^/]+\/)?)posts\/([^/]+)$/.exec(path)).filter((match) => match && fileName.test(match[2]!))
  if (found.some((match) => match![1] === '')) return ''
  return found[0]?.[1]
}

export const medium: SourceReader = {
  name: 'medium',
  recognises(archive) {
    const folder = postsFolder(archive)
    return folder !== undefined && !archive.paths.includes(`${folder}posts.csv`)
  },
  async read(archive) {
    const folder = postsFolder(archive) ?? ''
    const posts: ImportedPost[] = []
    const authors: string[] = []
    const inPosts = `${folder}posts/`
    for (const path of archive.paths) {
      const name = path.slice(inPosts.length)
      if (!path.startsWith(inPosts) || !name.endsWith('.html') || name.includes('/')) continue
      const file = await archive.text(path)
      if (!file) continue
      const tree = parseHtml(file, {fragment: false})
      if (!tree) continue
      posts.push(readPost(tree, file, path, name))
      const author = select('footer a.p-author', tree)
      if (author) authors.push(plainText(author))
    }
    return {posts, publication: {author: mostCommon(authors), site: mostCommon(posts.map((post) => siteOf(post.url)))}}
  }
}

function readPost(tree: Root, file: VFile, entry: string, name: string): ImportedPost {
  const named = fileName.exec(name)
  const draft = name.startsWith('draft_')
  const footer = select('footer', tree)
  const short = footer
    ? selectAll('a[href]', footer)
        .map((link) => shortLink.exec(String(link.properties.href))?.[1])
        .find(Boolean)
    : undefined
  const id = named?.[3] ?? short
  const heading = select('h1.p-name', tree) ?? select('title', tree)
  const title = heading ? plainText(heading) : ''
  if (title === '')
    report(file, {
      reason: 'The post has no title (no `h1.p-name`), so it is imported with an empty one',
      ruleId: 'import-post',
      severity: 'warning',
      note: 'Give the review a title in its front matter after the import.'
    })
  const subtitleSection = select('section[data-field="subtitle"]', tree)
  const subtitle = subtitleSection ? plainText(subtitleSection) || undefined : undefined
  const canonical = footer ? select('a.p-canonical[href]', footer) : undefined
  const url = draft ? undefined : webAddress(String(canonical?.properties.href ?? ''))
  const body = select('section[data-field="body"]', tree) ?? fallbackBody(tree, file)
  const aliases = [id ? `https://medium.com/p/${id}` : undefined, subdomainAddress(url)].filter(
    (alias): alias is string => alias !== undefined && alias !== url
  )
  const lastSegment = url ? new URL(url).pathname.split('/').filter(Boolean).at(-1) : undefined
  const slug = lastSegment && id ? lastSegment.replace(new RegExp(`-?${id}$`), '') || undefined : lastSegment
  return {
    source: 'medium',
    key: id ?? name.replace(/\.html$/, ''),
    origin: {entry, line: body.position?.start.line, column: body.position?.start.column},
    title,
    subtitle,
    published: draft ? undefined : publishedOf(tree, file, named?.[1]),
    url,
    aliases,
    slug,
    tags: [...new Set(selectAll('.p-tags .p-tag, .p-tags a', tree).map((tag) => plainText(tag)))].filter((tag) => tag !== ''),
    kind: kindOf(body, title, subtitleSection),
    draft,
    paid: false,
    body: mediumBody({body, file, title, subtitle}),
    notes: []
  }
}

/** The day from `time.dt-published`; failing that, the day the file name starts with (Medium writes the publication date there). */
function publishedOf(tree: Root, file: VFile, named: string | undefined): CalendarDate | undefined {
  const time = select('footer time.dt-published', tree) ?? select('time.dt-published', tree)
  const stamp = typeof time?.properties.dateTime === 'string' ? time.properties.dateTime : undefined
  const day = stamp === undefined ? undefined : utcDay(stamp)
  if (day) return day
  const fromName = named ? utcDay(named) : undefined
  report(file, {
    reason: `The publication date ${stamp === undefined ? 'is missing (no `time.dt-published[datetime]`)' : `\`${stamp}\` cannot be read`}, so ${fromName ? `the day in the file name (${named}) is used` : 'the post is imported without a date'}`,
    ruleId: 'import-post',
    severity: 'warning',
    place: time?.position,
    note: 'Check `published` in the review’s front matter after the import.'
  })
  return fromName
}

/** `https://medium.com/@user/slug-id` is also served as `https://user.medium.com/slug-id`; other posts may link either. */
function subdomainAddress(url: string | undefined): string | undefined {
  const match = url ? /^https:\/\/medium\.com\/@([\w.-]+)\/([^/?#]+)$/.exec(url) : undefined
  return match ? `https://${match[1]!.toLowerCase()}.medium.com/${match[2]}` : undefined
}

function kindOf(body: Element, title: string, subtitleSection: Element | undefined): PostKind {
  if (subtitleSection || select('.graf--title', body)) return 'post'
  const first = select('.graf--p', body) ?? select('p', body)
  const opening = comparableText(title).replace(/(?:…|\.\.\.)$/, '')
  const opensWithTitle = opening !== '' && first !== undefined && comparableText(plainText(first)).startsWith(opening)
  const words = plainText(body).split(' ').filter(Boolean).length
  return opensWithTitle || words < responseWords ? 'response' : 'post'
}

/** A file with no body section: the article without its header and footer, so no text is lost. */
function fallbackBody(tree: Root, file: VFile): Element {
  const article = select('article', tree) ?? select('body', tree)
  report(file, {
    place: article?.position,
    reason: 'The post has no body section (`section[data-field="body"]`), so everything between its header and footer is imported as the body',
    ruleId: 'import-post',
    severity: 'warning',
    note: 'Check the imported text: this file is not shaped like a Medium export.'
  })
  const children = (article?.children ?? []).filter(
    (node) => !(node.type === 'element' && (node.tagName === 'header' || node.tagName === 'footer' || node.properties.dataField === 'subtitle'))
  )
  return {type: 'element', tagName: 'section', properties: {}, children}
}

/** Where a post's address says it lives: the author's profile on medium.com, or a publication's own host. */
function siteOf(url: string | undefined): string | undefined {
  if (!url) return undefined
  const address = new URL(url)
  return address.hostname === 'medium.com' ? (/^(https:\/\/medium\.com\/@[\w.-]+)\//.exec(url)?.[1] ?? undefined) : address.origin
}
