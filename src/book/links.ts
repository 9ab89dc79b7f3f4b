// Links between reviews, resolved once the whole series is known: a link a review marked as
// possibly naming another review (rehype-review-links.ts) is matched by the target's file
// (`alien-1979.md`, relative to the linking file), by its address on the author's blog (a
// front-matter `permalink`, `url` or `aliases`, or a `site:` address with that path), or by
// its slug (front-matter `slug`, or the file name with or without a `2019-03-14-` date).
// Optional autolinks (an italic title of another review) are chosen here too. A link that
// names no review becomes its text, with a warning at its place; a link to the author's
// site stays a link there. Pure: returns new records and reports on each source's file.
import path from 'node:path'
import type {VFile} from 'vfile'
import {autolinkSlots, titleTargets} from './autolink.js'
import {report} from '../shared/diagnostics.js'
import {decodeUrlPath} from '../shared/names.js'
import {nearest} from '../shared/suggest.js'
import {isWebUrl} from '../shared/urls.js'
import type {CompiledBody, LinkTarget, Review} from '../model.js'

interface Source {
  body: CompiledBody
  file: VFile
  linked?: ReadonlyMap<number, LinkTarget> | undefined
}

export interface LinkTable {
  /** Every listed review's path (drafts and reviews in other volumes too). */
  listed: ReadonlySet<string>
  /** Normalised site paths (`/2019/03/14/her`) → review paths. */
  addresses: ReadonlyMap<string, string[]>
  /** Slugs (`her`, `her-2013`) → review paths. */
  slugs: ReadonlyMap<string, string[]>
  /** The author's site addresses, without a trailing slash. */
  sites: readonly string[]
  /** Titles an italic mention may autolink to (off: empty). */
  titles: ReadonlyMap<string, string>
}

/** `reviews`: every review read (drafts too); `titled`: those an italic title may autolink to (the ones in books), when `autolink` is on. */
export function linkTable(reviews: Iterable<Review>, listed: Iterable<string>, sites: readonly string[], titled: Iterable<Review> | undefined): LinkTable {
  const addresses = new Map<string, string[]>()
  const slugs = new Map<string, string[]>()
  const add = (map: Map<string, string[]>, key: string, review: string) => {
    if (key === '') return
    const list = map.get(key) ?? []
    if (!list.includes(review)) list.push(review)
    map.set(key, list)
  }
  const all = [...reviews]
  for (const review of all) {
    const stem = path
      .basename(review.entry.path)
      .replace(/\.(md|markdown)$/i, '')
      .toLowerCase()
    add(slugs, stem, review.entry.path)
    add(slugs, stem.replace(/^\d{4}-\d{2}-\d{2}-/, ''), review.entry.path)
    for (const address of review.meta.addresses ?? []) {
      const normal = sitePath(address, sites)
      if (normal === undefined) continue
      if (normal.includes('/')) add(addresses, normal, review.entry.path)
      else add(slugs, normal.toLowerCase(), review.entry.path)
    }
  }
  return {listed: new Set(listed), addresses, slugs, sites: sites.map((site) => site.replace(/\/+$/, '')), titles: titled ? titleTargets(titled) : new Map()}
}

/**
 * A site path without what varies between ways of writing one address: the site's own
 * address, the query and fragment, `index.html`, an extension, slashes at the ends.
 * `/2019/03/14/her/` and `https://blog.example/2019/03/14/her.html` both give `2019/03/14/her`.
 */
function sitePath(address: string, sites: readonly string[]): string | undefined {
  let rest = address.trim()
  const site = sites.find((base) => rest.toLowerCase().startsWith(base.replace(/\/+$/, '').toLowerCase()))
  if (site) rest = rest.slice(site.replace(/\/+$/, '').length)
  else if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(rest)) return undefined
  rest = decodeUrlPath(rest.replace(/[?#].*$/, ''))
  return rest
    .replace(/\/index\.html?$/i, '')
    .replace(/\.(html?|md|markdown)$/i, '')
    .replace(/^\/+|\/+$/g, '')
    .toLowerCase()
}

/** Each source's links resolved (and autolinks chosen), as a new record; problems on its file. */
export function resolveLinks<S extends Source>(source: S, self: string | undefined, table: LinkTable): S {
  const linked = new Map<number, LinkTarget>()
  const from = path.dirname(path.resolve(source.file.cwd, source.file.path))
  const autolinked = new Set<string>()
  source.body.slots.forEach((slot, index) => {
    if (slot.kind === 'emphasis') return
    const found = resolve(slot.href, from, table)
    if ('review' in found || 'external' in found) {
      linked.set(index, found)
      return
    }
    report(source.file, {
      reason: `Link to \`${slot.href}\` ${found.why}, so it is shown as plain text${found.guess ? `; did you mean \`${found.guess}\`?` : ''}`,
      ruleId: found.ruleId,
      severity: 'warning',
      place: slot.place,
      note:
        found.ruleId === 'unknown-review-link'
          ? 'Link to another review by its file name, e.g. `[Alien](alien-1979.md)`, and list that file in volumes.yaml.'
          : 'Link to a review by its file name (`alien-1979.md`) or its blog address (with `site:` in volumes.yaml, or `permalink:` in its front matter), or to a web page by its whole address (`https://…`).'
    })
  })
  for (const [index, target] of autolinkSlots(source.body, table.titles, self)) {
    if (autolinked.has(target)) continue
    autolinked.add(target)
    linked.set(index, {review: target})
  }
  return linked.size === 0 && source.linked === undefined ? source : {...source, linked}
}

type Resolution = LinkTarget | {why: string; ruleId: 'unknown-review-link' | 'broken-link'; guess?: string | undefined}

function resolve(href: string, from: string, table: LinkTable): Resolution {
  const site = table.sites.find((base) => href.toLowerCase() === base.toLowerCase() || href.toLowerCase().startsWith(`${base.toLowerCase()}/`))
  if (isWebUrl(href) && !site) return {external: href}
  if (href.startsWith('//')) return {why: 'has no scheme (`https:`), which a book needs to open it', ruleId: 'broken-link'}
  const bare = href.replace(/[?#].*$/, '')
  const markdown = /\.(md|markdown)$/i.test(bare)
  if (!site && !bare.startsWith('/') && bare !== '') {
    // A file beside the linking one, as written or with its %-escapes decoded.
    for (const candidate of new Set([path.resolve(from, decodeUrlPath(bare)), path.resolve(from, bare)]))
      if (table.listed.has(candidate)) return {review: candidate}
  }
  if (markdown && !site) {
    // A review file named from another folder (Hugo's `relref` names files from the content root).
    const name = path.basename(decodeUrlPath(bare))
    // Jekyll and Hugo name posts with their date (`2019-03-14-her.md`) and link them without it.
    const same = [...table.listed].filter((listed) => path.basename(listed) === name || path.basename(listed).replace(/^\d{4}-\d{2}-\d{2}-/, '') === name)
    if (same.length === 1) return {review: same[0]!}
    const names = [...table.listed].map((listed) => path.relative(from, listed).split(path.sep).join('/'))
    const written = decodeUrlPath(bare)
    const guess = nearest(written, names)
    return {why: 'does not point at a review in any volume', ruleId: 'unknown-review-link', guess: guess !== written && guess !== bare ? guess : undefined}
  }
  const address = sitePath(href, table.sites)
  if (address !== undefined && address !== '') {
    const byAddress = table.addresses.get(address)
    const last = address.split('/').at(-1)!
    const bySlug = table.slugs.get(last) ?? table.slugs.get(last.replace(/^\d{4}-\d{2}-\d{2}-/, ''))
    const matches = byAddress ?? bySlug ?? []
    if (matches.length === 1) return {review: matches[0]!}
    if (matches.length > 1)
      return {why: `matches ${matches.length} reviews (${matches.map((match) => `\`${path.basename(match)}\``).join(', ')})`, ruleId: 'broken-link'}
  }
  // Not a review: a page of the author's site stays a link there.
  if (site && isWebUrl(href)) return {external: href}
  if (bare.startsWith('/') && !href.startsWith('//') && table.sites[0] && isWebUrl(`${table.sites[0]}${href}`)) return {external: `${table.sites[0]}${href}`}
  return {
    why: bare.startsWith('/')
      ? 'is an address on a website that is not a review in any volume (give the site with `site:` in volumes.yaml to link there)'
      : 'is not a review in any volume nor a web address',
    ruleId: 'broken-link'
  }
}
