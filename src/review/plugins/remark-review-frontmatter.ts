// remark plugin: read the review's YAML front matter into `file.data.meta`, with exact
// positions for every problem. Unknown keys are ignored (blog exports carry many), except
// near-misses of the keys we know, which warn. `fields` maps our keys to an archive's own
// (`title: name`), so a Jekyll or Hugo export builds unedited. Pure.
import type {Root, Yaml} from 'mdast'
import type {VFile} from 'vfile'
import {isMap, isScalar, isSeq, parseDocument, type Node as YamlNode, type Pair} from 'yaml'
import {report} from '../../shared/diagnostics.js'
import {parseCalendarDate} from '../../shared/dates.js'
import {parseRating, type RatingScale} from '../../shared/ratings.js'
import {isWebUrl} from '../../shared/urls.js'
import {nearest} from '../../shared/suggest.js'
import {nonBreakingSpaces, smartenText} from '../typography.js'
import {flowDepthLimit, guardYaml, tooDeepFlow} from '../../project/yaml-guards.js'
import {placeOfNode, placeOfRange} from '../../project/yaml-place.js'
import type {CalendarDate, FieldMap, FrontmatterKey, ReviewMeta} from '../../model.js'

declare module 'vfile' {
  interface DataMap {
    meta: ReviewMeta
  }
}

export const knownKeys: readonly FrontmatterKey[] = [
  'title',
  'year',
  'director',
  'rating',
  'published',
  'tags',
  'draft',
  'sort',
  'slug',
  'permalink',
  'url',
  'aliases',
  'source'
]

export interface FrontmatterOptions {
  fields?: FieldMap | undefined
  /** Whether drafts go into the books (`--drafts`); either way a draft gets a notice. */
  drafts?: boolean | undefined
  quotes?: 'double' | 'single' | undefined
  language?: string | undefined
  /** The scale the archive's plain-number ratings use (`ratings:` in volumes.yaml). */
  ratingScale?: RatingScale | undefined
}

/** Keys that often hold a film's title in blog and Letterboxd exports, best guess first. */
const titleLikeKeys = ['name', 'film', 'movie', 'film_title', 'filmTitle', 'movie_title', 'headline', 'subject', 'label', 'heading']

export default function remarkReviewFrontmatter(options: FrontmatterOptions = {}) {
  const fields = options.fields ?? {}
  return function (tree: Root, file: VFile): void {
    const node = tree.children[0]
    if (!node || node.type !== 'yaml') {
      const opening = /^\uFEFF?(-{3}[ \t]*)(?:\r?\n|$)/.exec(String(file.value))
      if (opening) {
        report(file, {
          reason: 'The front matter opened on line 1 is never closed, so the whole file would be read as the review',
          ruleId: 'frontmatter-syntax',
          severity: 'error',
          place: {start: {line: 1, column: 1}, end: {line: 1, column: opening[1]!.length + 1}},
          note: 'Add a line holding only `---` after the last front-matter key (such as `title: …`), before the review text.'
        })
        return
      }
      report(file, {
        reason: 'The review has no front matter; start the file with a `---` line, then `title: …`, then a closing `---` line',
        ruleId: 'missing-title',
        severity: 'error',
        place: {line: 1, column: 1}
      })
      return
    }
    const meta = readMeta(node, file, fields, options.ratingScale ?? 5)
    if (!meta) return
    // The title shows in headings, contents and indexes: it gets the body's typography.
    meta.title = smartenText(meta.title, {quotes: options.quotes, language: options.language})
    // Directors' names too keep their initials with them ("D. W. Griffith").
    meta.directors = meta.directors.map((name) => nonBreakingSpaces(name, options.language))
    file.data.meta = meta
    if (meta.draft) {
      report(file, {
        reason: options.drafts
          ? 'This review is a draft; it is included because of `--drafts`'
          : 'This review is a draft, so it is left out of the books; build with `--drafts` to include it',
        ruleId: 'draft-review',
        severity: 'info',
        place: meta.draftPlace
      })
    }
  }
}

function readMeta(node: Yaml, file: VFile, fields: FieldMap, scale: RatingScale): ReviewMeta | undefined {
  // The YAML text starts on the line after the opening `---`.
  const base =
    (node.position?.start.offset ?? 0) +
    String(file.value)
      .slice(node.position?.start.offset ?? 0)
      .indexOf('\n') +
    1
  const deep = tooDeepFlow(node.value)
  if (deep !== undefined) {
    report(file, {
      reason: `The front matter nests lists or maps in brackets more than ${flowDepthLimit} levels deep`,
      ruleId: 'frontmatter-syntax',
      severity: 'error',
      place: placeOfRange(file, base + deep, base + deep + 1),
      note: 'Front matter holds simple values: `title: …`, `year: …`, `tags: [a, b]`.'
    })
    return undefined
  }
  // Repeated keys are found by guardYaml: the library's own check is quadratic in a map's size.
  const doc = parseDocument(node.value, {uniqueKeys: false, prettyErrors: false})
  for (const error of doc.errors) {
    report(file, {
      reason: `The front matter is not valid YAML: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
      ruleId: 'frontmatter-syntax',
      severity: 'error',
      place: placeOfRange(file, base + error.pos[0], base + error.pos[1]),
      note: 'Quote values that contain `: `, e.g. `title: "Star Wars: Episode IV"`.'
    })
  }
  if (doc.errors.length > 0) return undefined
  const safe = guardYaml(doc, file, base, {
    rule: 'frontmatter-syntax',
    valueRule: 'invalid-frontmatter',
    duplicate: (key, line) => ({
      reason: `The front matter is not valid YAML: \`${key}\` appears twice; the first is at line ${line}`,
      note: 'Each key may appear once; remove or merge the repeated one.'
    })
  })
  if (!safe) return undefined
  const contents = doc.contents
  const place = (value: YamlNode | null | undefined) => placeOfNode(file, value, base) ?? node.position
  if (!isMap(contents)) {
    report(file, {reason: 'The front matter must be a map of keys such as `title: …`', ruleId: 'missing-title', severity: 'error', place: node.position})
    return undefined
  }
  const pairs = new Map<string, Pair<YamlNode, YamlNode | null>>()
  for (const pair of contents.items as Array<Pair<YamlNode, YamlNode | null>>) {
    if (!isScalar(pair.key)) continue
    const key = String(pair.key.value)
    pairs.set(key, pair)
  }
  const mapped = new Set(Object.values(fields))
  const known = [...knownKeys, ...mapped]
  for (const [key, pair] of pairs) {
    if (known.includes(key)) continue
    const guess = nearest(key, known)
    if (guess && !pairs.has(guess)) {
      report(file, {
        reason: `Unknown front matter key \`${key}\` is ignored; did you mean \`${guess}\`?`,
        ruleId: 'frontmatter-key-typo',
        severity: 'warning',
        place: place(pair.key)
      })
    }
  }
  /** The archive's key for one of ours when `fields` maps it and the file has it, else ours. */
  const keyOf = (key: FrontmatterKey): string => {
    const source = fields[key]
    return source !== undefined && pairs.has(source) ? source : key
  }
  const valueOf = (key: FrontmatterKey) => {
    const value = pairs.get(keyOf(key))?.value
    return isScalar(value) && (value.value === null || value.value === '') ? undefined : (value ?? undefined)
  }
  const title = valueOf('title') === undefined ? missingTitle([...pairs.keys()], fields, file, node) : readTitle(valueOf('title')!, keyOf('title'), file, place)
  const year = readYear(valueOf('year'), keyOf('year'), file, place)
  const directors = readTextList(valueOf('director'), keyOf('director'), file, place)
  const rating = readRating(valueOf('rating'), keyOf('rating'), scale, file, place)
  // Jekyll marks an unpublished post `published: false`: a draft, not a date.
  const publishedValue = valueOf('published')
  const unpublished = isScalar(publishedValue) && publishedValue.value === false
  const published = unpublished ? undefined : readDate(publishedValue, keyOf('published'), file, place)
  const tags = readTextList(valueOf('tags'), keyOf('tags'), file, place)
  const draft = unpublished || readDraft(valueOf('draft'), keyOf('draft'), file, place)
  if (title === undefined) return undefined
  const draftPlace = draft ? place(unpublished ? publishedValue : valueOf('draft')) : undefined
  const sort = readTextList(valueOf('sort'), keyOf('sort'), file, place)[0]
  const addresses = (['slug', 'permalink', 'url', 'aliases'] as const).flatMap((key) => readTextList(valueOf(key), keyOf(key), file, place))
  const source = readSource(valueOf('source'), keyOf('source'), file, place)
  return {
    title,
    year,
    directors,
    rating,
    published,
    tags,
    draft,
    ...(draftPlace ? {draftPlace} : {}),
    ...(sort ? {sortTitle: sort} : {}),
    ...(addresses.length ? {addresses} : {}),
    ...(source ? {source} : {})
  }
}

/** No title: name the keys the file does have and suggest the `fields` mapping that fits. */
function missingTitle(keys: string[], fields: FieldMap, file: VFile, node: Yaml): undefined {
  const mappedTo = fields.title
  const looked = mappedTo ? `\`${mappedTo}\` (which \`fields\` maps to \`title\`) or \`title\`` : '`title`'
  const has = keys.length ? `; its front matter has ${keys.map((key) => `\`${key}\``).join(', ')}` : '; its front matter is empty'
  const guess = titleLikeKeys.find((key) => keys.includes(key))
  report(file, {
    reason: `The review has no ${looked}${has}`,
    ruleId: 'missing-title',
    severity: 'error',
    place: node.position,
    note: guess
      ? `If \`${guess}\` holds the film's title in every review, map it once in volumes.yaml instead of editing each file:\n  fields:\n    title: ${guess}`
      : 'Add `title: Film Title` to its front matter, or map the key your archive uses in volumes.yaml (`fields: {title: name}`).'
  })
  return undefined
}

function readDraft(value: YamlNode | undefined, key: string, file: VFile, place: Placer): boolean {
  if (value === undefined) return false
  if (isScalar(value) && typeof value.value === 'boolean') return value.value
  // YAML 1.1 spellings that blog tools wrote for years.
  if (isScalar(value) && typeof value.value === 'string' && /^(yes|no|on|off|true|false)$/i.test(value.value)) return /^(yes|on|true)$/i.test(value.value)
  report(file, {
    reason: `\`${key}\` must be \`true\` or \`false\`, got ${describe(value)}`,
    ruleId: 'invalid-frontmatter',
    severity: 'error',
    place: place(value)
  })
  return false
}

type Placer = (value: YamlNode | null | undefined) => ReturnType<typeof placeOfNode>

function readTitle(value: YamlNode, key: string, file: VFile, place: Placer): string | undefined {
  if (isScalar(value) && (typeof value.value === 'string' || typeof value.value === 'number')) {
    // `title: 1917` is a film title: keep the digits as written.
    const text = typeof value.value === 'string' ? value.value : (value.source ?? String(value.value))
    if (text.trim()) return text.trim()
  }
  report(file, {
    reason: `\`${key}\`${key === 'title' ? '' : ' (the title)'} must be text, got ${describe(value)}; put the title in quotes if that is really its name`,
    ruleId: 'invalid-frontmatter',
    severity: 'error',
    place: place(value)
  })
  return undefined
}

function readYear(value: YamlNode | undefined, key: string, file: VFile, place: Placer): number | undefined {
  if (value === undefined) return undefined
  const year = isScalar(value) ? Number(value.value) : NaN
  if (Number.isInteger(year) && year >= 1870 && year <= 2100) return year
  report(file, {
    reason: `\`${key}\` must be the film's release year (four digits, 1870–2100), got ${describe(value)}`,
    ruleId: 'invalid-frontmatter',
    severity: 'error',
    place: place(value)
  })
  return undefined
}

function readRating(value: YamlNode | undefined, key: string, scale: RatingScale, file: VFile, place: Placer): number | undefined {
  if (value === undefined) return undefined
  const raw = isScalar(value) && (typeof value.value === 'number' || typeof value.value === 'string') ? value.value : undefined
  const rating = raw === undefined ? undefined : parseRating(raw, scale)
  if (rating !== undefined) return rating
  const scaleNote = scale === 5 ? '' : ` (\`ratings: ${scale}\` in volumes.yaml: numbers are out of ${scale})`
  report(file, {
    reason: `\`${key}\` must be a rating from 0 to ${scale}${scaleNote}, a letter grade, stars or a fraction, got ${describe(value)}`,
    ruleId: 'invalid-frontmatter',
    severity: 'error',
    place: place(value),
    note: `Write \`rating: 4.5\`, \`rating: A-\`, \`rating: ★★★★½\` or \`rating: 9/10\`; if the archive rates out of 10 or 100, say so once in volumes.yaml (\`ratings: 10\`).`
  })
  return undefined
}

/** Where the review was first published (the importer writes it): kept for the store kit, checked as a web address. */
function readSource(value: YamlNode | undefined, key: string, file: VFile, place: Placer): string | undefined {
  if (value === undefined) return undefined
  const text = isScalar(value) && typeof value.value === 'string' ? value.value.trim() : ''
  if (isWebUrl(text)) return text
  report(file, {
    reason: `\`${key}\` must be the web address the review was first published at (\`https://…\`), got ${describe(value)}; it is ignored`,
    ruleId: 'invalid-frontmatter',
    severity: 'warning',
    place: place(value)
  })
  return undefined
}

function readDate(value: YamlNode | undefined, key: string, file: VFile, place: Placer): CalendarDate | undefined {
  if (value === undefined) return undefined
  const text = isScalar(value) ? String(value.value) : ''
  const date = text ? parseCalendarDate(text) : undefined
  if (date) return date
  report(file, {
    reason: `\`${key}\` is not a date this tool can read: ${describe(value)}`,
    ruleId: 'invalid-date',
    severity: 'error',
    place: place(value),
    note: 'Write the day it was first published as `2022-12-21`, `21st December 2022` or `December 21, 2022`.'
  })
  return undefined
}

function readTextList(value: YamlNode | undefined, key: string, file: VFile, place: Placer): string[] {
  if (value === undefined) return []
  if (isScalar(value) && (typeof value.value === 'string' || typeof value.value === 'number')) return [String(value.value).trim()].filter(Boolean)
  if (isSeq(value) && value.items.every((item) => isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number'))) {
    return value.items.map((item) => String((item as {value: unknown}).value).trim()).filter(Boolean)
  }
  report(file, {
    reason: `\`${key}\` must be text or a list of text, got ${describe(value)}`,
    ruleId: 'invalid-frontmatter',
    severity: 'error',
    place: place(value)
  })
  return []
}

function describe(value: YamlNode): string {
  if (isScalar(value)) return `${value.value === null ? 'nothing' : typeof value.value} \`${value.source ?? String(value.value)}\``
  if (isSeq(value)) return 'a list'
  if (isMap(value)) return 'a map'
  return 'an unreadable value'
}
