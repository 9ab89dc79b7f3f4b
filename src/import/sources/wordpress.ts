// WordPress's export (WXR: the `.xml` file of Tools › Export, alone or in a folder or zip; several
// when WordPress.com splits a large site) into posts and pages. Attachments are read only to map
// resized images to their full-size files; menu items, revisions and trashed posts are no posts.
// Reads the `.xml` entries of the archive; problems go on them, placed at the item.
import type {XmlElement} from '@rgrove/parse-xml'
import type {VFile} from 'vfile'
import type {Archive, ImportedPost, PostKind, Publication, SourceReader} from '../types.js'
import type {CalendarDate} from '../../model.js'
import {parseCalendarDate} from '../../shared/dates.js'
import {report} from '../../shared/diagnostics.js'
import {readBody, type Attachment} from './wordpress-body.js'
import {plainText} from './wordpress-text.js'
import {child, children, childText, parseWxr, placeInText, placeOf} from './wordpress-xml.js'

interface Export {
  path: string
  file: VFile
  channel: XmlElement
}

const kinds: Record<string, PostKind> = {post: 'post', page: 'page'}
/** WordPress's own machinery, exported but never anybody's writing. */
const machinery = new Set([
  'attachment',
  'nav_menu_item',
  'revision',
  'wp_block',
  'wp_navigation',
  'wp_template',
  'wp_template_part',
  'wp_global_styles',
  'wp_font_family',
  'wp_font_face',
  'custom_css',
  'customize_changeset',
  'oembed_cache',
  'user_request'
])
const drafts = new Set(['draft', 'pending', 'future', 'private'])

export const wordpress: SourceReader = {
  name: 'wordpress',
  recognises(archive) {
    return exportPaths(archive).length > 0
  },
  async read(archive) {
    const exports: Export[] = []
    const paths = exportPaths(archive)
    for (const path of paths) {
      const file = await archive.text(path)
      const channel = file ? parseWxr(file) : undefined
      if (file && channel) exports.push({path, file, channel})
    }
    if (paths.length === 0)
      report(archive.file, {
        reason: 'The WordPress export holds no `.xml` file, so there is nothing to import',
        ruleId: 'import-unreadable',
        severity: 'error',
        note: 'Import the file WordPress gives under Tools › Export › All content (it ends in `.xml`), or a folder holding it.'
      })
    const attachments = new Map<string, Attachment>()
    for (const {channel} of exports)
      for (const item of children(channel, 'item'))
        if (childText(item, 'wp:post_type') === 'attachment')
          attachments.set(childText(item, 'wp:post_id').trim(), {
            url: childText(item, 'wp:attachment_url').trim(),
            alt: meta(item, '_wp_attachment_image_alt')[0]?.text ?? ''
          })
    const posts = exports.flatMap((found) => children(found.channel, 'item').flatMap((item) => readItem(item, found, attachments)))
    return {posts, publication: exports[0] ? publicationOf(exports[0].channel) : {}}
  }
}

/** The export's `.xml` files; WordPress names them `<site>.WordPress.<date>.xml`, so those win when others sit beside them. */
function exportPaths(archive: Archive): string[] {
  const xml = archive.paths.filter((path) => /\.xml$/i.test(path) && !/(^|\/)(__MACOSX\/|\.)/.test(path))
  const named = xml.filter((path) => /wordpress/i.test(path.split('/').at(-1)!))
  return named.length > 0 ? named : xml
}

function publicationOf(channel: XmlElement): Publication {
  const author = children(channel, 'wp:author')[0]
  const authorName = author
    ? plainText(childText(author, 'wp:author_display_name')) ||
      plainText(`${childText(author, 'wp:author_first_name')} ${childText(author, 'wp:author_last_name')}`) ||
      plainText(childText(author, 'wp:author_login'))
    : ''
  return {
    name: plainText(childText(channel, 'title')) || undefined,
    author: authorName || undefined,
    site: (childText(channel, 'wp:base_blog_url') || childText(channel, 'link')).trim() || undefined
  }
}

function meta(item: XmlElement, key: string): XmlElement[] {
  return children(item, 'wp:postmeta')
    .filter((entry) => childText(entry, 'wp:meta_key') === key)
    .flatMap((entry) => child(entry, 'wp:meta_value') ?? [])
}

function readItem(item: XmlElement, {path, file, channel}: Export, attachments: ReadonlyMap<string, Attachment>): ImportedPost[] {
  const type = childText(item, 'wp:post_type').trim()
  const status = childText(item, 'wp:status').trim()
  // Trashed posts are deleted ones; `inherit` is a revision's or attachment's status.
  if (machinery.has(type) || status === 'trash' || status === 'inherit' || status === 'auto-draft') return []
  const itemPlace = placeOf(file, item)
  const id = childText(item, 'wp:post_id').trim()
  const title = plainText(childText(item, 'title'))
  const label = `${type === 'page' ? 'Page' : 'Post'} ${id || '(no id)'}${title ? ` (“${title}”)` : ''}`
  const warn = (reason: string, note: string, place = itemPlace) =>
    report(file, {reason: `${label}: ${reason}`, ruleId: 'import-post', severity: 'warning', place, note})
  if (status !== 'publish' && !drafts.has(status))
    warn(`its status \`${status}\` is not one WordPress writes, so it is imported as a draft`, 'Set `draft: false` in its front matter if it was published.')
  if (status === 'private')
    report(file, {
      reason: `${label} is private on the blog (only its author could read it), so it is imported as a draft`,
      ruleId: 'import-private',
      severity: 'info',
      place: itemPlace,
      note: 'Set `draft: false` in its front matter to put it in a book.'
    })
  const link = childText(item, 'link').trim()
  const guid = childText(item, 'guid').trim()
  const site = (childText(channel, 'wp:base_blog_url') || childText(channel, 'link')).trim().replace(/\/+$/, '')
  const rawSlug = childText(item, 'wp:post_name').trim()
  const slug = decodeSlug(rawSlug)
  if (!id) warn('it has no `wp:post_id`, so a re-import recognises it by its address instead', 'Export the site again with a current WordPress.')
  const content = child(item, 'content:encoded')
  const footnotes = meta(item, 'footnotes')[0]
  const {body, notes} = readBody({
    raw: content?.text ?? '',
    footnotes: footnotes?.text,
    footnotesPlace: footnotes ? placeOf(file, footnotes) : undefined,
    attachments,
    place: (offset) => (content && offset !== undefined ? placeInText(file, content, offset) : itemPlace),
    label,
    file
  })
  const url = /^https?:\/\//i.test(link) ? link : undefined
  const aliases = [
    /^https?:\/\//i.test(guid) ? guid : undefined,
    site && id ? `${site}/?p=${id}` : undefined,
    // A slug changed after publishing: WordPress still redirects the old address.
    ...meta(item, '_wp_old_slug').map((old) =>
      url && rawSlug ? url.replace(new RegExp(`/${escapeRegExp(rawSlug)}(/?)$`), `/${old.text.trim()}$1`) : undefined
    )
  ].filter((alias): alias is string => alias !== undefined && alias !== url)
  return [
    {
      source: 'wordpress',
      key: id || guid || link || `${path}:${itemPlace?.start.line ?? 0}`,
      origin: {entry: path, line: itemPlace?.start.line, column: itemPlace?.start.column},
      title,
      published: status === 'draft' || status === 'pending' ? undefined : publishedDay(item, warn),
      url,
      aliases: [...new Set(aliases)],
      slug,
      tags: tagsOf(item),
      kind: kinds[type] ?? 'other',
      draft: status !== 'publish',
      paid: false,
      body,
      notes
    }
  ]
}

/** The day in UTC (`wp:post_date_gmt`); a never-published post has the zero date. */
function publishedDay(item: XmlElement, warn: (reason: string, note: string) => void): CalendarDate | undefined {
  const gmt = childText(item, 'wp:post_date_gmt').trim()
  const written = gmt === '' ? childText(item, 'wp:post_date').trim() : gmt
  if (written === '' || written.startsWith('0000-00-00')) return undefined
  const day = parseCalendarDate(written)
  if (!day) warn(`its date \`${written}\` cannot be read, so it has none`, 'Add `date:` to its front matter by hand.')
  return day
}

/** Tags, then categories (WordPress's default `Uncategorized` is no category the author chose). */
function tagsOf(item: XmlElement): string[] {
  const terms = children(item, 'category')
  const names = (domain: string) => terms.filter((term) => term.attributes.domain === domain).map((term) => plainText(term.text))
  const categories = terms
    .filter((term) => term.attributes.domain === 'category' && term.attributes.nicename !== 'uncategorized')
    .map((term) => plainText(term.text))
    .filter((name) => name.toLowerCase() !== 'uncategorized')
  const seen = new Set<string>()
  return [...names('post_tag'), ...categories].filter((name) => name !== '' && !seen.has(name.toLowerCase()) && Boolean(seen.add(name.toLowerCase())))
}

/** WordPress stores a non-Latin slug percent-encoded. */
function decodeSlug(slug: string): string | undefined {
  if (slug === '') return undefined
  try {
    return decodeURIComponent(slug)
  } catch {
    return slug
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
