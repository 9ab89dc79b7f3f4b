// volumes.yaml → Manifest. Three layers (changesets' shape): YAML syntax, then the zod shape,
// then normalisation into absolute paths. Every problem becomes a positioned message on the
// manifest's VFile. Pure: the caller reads the file.
import path from 'node:path'
import {excludeMatcher} from './exclude.js'
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {isMap, isScalar, isSeq, parseDocument, type Document} from 'yaml'
import type {z} from 'zod'
import {report} from '../shared/diagnostics.js'
import {keysAllowedAt, manifestSchema, trimNames, type ManifestInput} from './manifest-schema.js'
import {didYouMean} from '../shared/suggest.js'
import {flowDepthLimit, guardYaml, tooDeepFlow} from './yaml-guards.js'
import {keyNodeAt, nodeAt, placeOfNode, placeOfRange} from './yaml-place.js'
import type {BookSpec, CalendarDate, IndexSwitches, Manifest, Marketplace, PageSpec, Store, StorePrices} from '../model.js'
import {parseCalendarDate} from '../shared/dates.js'

/**
 * Parse and shape-check the manifest text on `file`. Undefined when it cannot be read at all;
 * with errors in its shape (an unknown key, a bad value) it is reported and then shaped
 * without what is wrong, so the reviews it lists are still checked in the same run (the
 * errors on `file` keep anything from being written).
 */
export function parseManifest(file: VFile): Manifest | undefined {
  const text = String(file.value)
  const deep = tooDeepFlow(text)
  if (deep !== undefined) {
    report(file, {
      reason: `volumes.yaml nests lists or maps in brackets more than ${flowDepthLimit} levels deep`,
      ruleId: 'yaml-syntax',
      severity: 'error',
      place: placeOfRange(file, deep, deep + 1),
      note: 'Write lists as lines starting with `- ` and maps as `key: value` lines.'
    })
    return undefined
  }
  // Repeated keys are found by guardYaml: the library's own check is quadratic in a map's size.
  const doc = parseDocument(text, {uniqueKeys: false, prettyErrors: false, strict: true})
  const reported = new Set<number>()
  for (const error of doc.errors) {
    const mistake = indentationMistake(text, error.pos[0])
    if (mistake) {
      // Both errors the parser gives for one misindented key are the same mistake.
      if (reported.has(mistake.line)) continue
      reported.add(mistake.line)
      report(file, {
        reason: `volumes.yaml is not valid YAML: ${mistake.reason}`,
        ruleId: 'yaml-syntax',
        severity: 'error',
        place: mistake.place,
        note: mistake.note
      })
      continue
    }
    report(file, {
      reason: yamlReason(error.message),
      ruleId: 'yaml-syntax',
      severity: 'error',
      place: placeOfRange(file, error.pos[0], error.pos[1]),
      note: yamlHint(error.code)
    })
  }
  if (doc.errors.length > 0) return undefined
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    report(file, {
      reason: 'The manifest is empty; it needs at least `series`, `author` and `volumes`',
      ruleId: 'empty-manifest',
      severity: 'error',
      place: {line: 1, column: 1},
      note: 'Run `build-volumes --help` or see the README for an example `volumes.yaml`.'
    })
    return undefined
  }
  if (!isMap(doc.contents)) {
    report(file, {
      reason: 'The manifest must be a map of keys such as `series:` and `volumes:`',
      ruleId: 'invalid-value',
      severity: 'error',
      place: placeOfNode(file, doc.contents)
    })
    return undefined
  }
  const safe = guardYaml(doc, file, 0, {
    rule: 'yaml-syntax',
    valueRule: 'invalid-value',
    duplicate: (key, line) => ({
      reason: `volumes.yaml is not valid YAML: \`${key}\` appears twice in the same map; the first is at line ${line}`,
      note: 'Each key may appear once per map; remove or merge the repeated one.'
    })
  })
  if (!safe) return undefined
  const input = doc.toJS({maxAliasCount: -1}) as unknown
  let result = manifestSchema.safeParse(input)
  if (result.success) return normalise(file, doc, result.data)
  for (const issue of result.error.issues) reportIssue(file, doc, issue)
  // Shape what is left without the values at fault, a few times over (a removed value can
  // uncover another), so the rules and the reviews still run; give up when a required key is missing.
  for (let attempt = 0; attempt < 4 && !result.success; attempt++) {
    if (!result.error.issues.every((issue) => removeAt(input, issue))) return undefined
    result = manifestSchema.safeParse(input)
  }
  return result.success ? normalise(file, doc, result.data) : undefined
}

/** Removes what an issue points at (unknown keys, or a value that is optional); false when it cannot. */
function removeAt(input: unknown, issue: Issue): boolean {
  let parent: unknown = input
  for (const key of issue.path.slice(0, -1)) parent = (parent as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey]
  if (typeof parent !== 'object' || parent === null) return false
  const container = parent as Record<PropertyKey, unknown>
  if (issue.code === 'unrecognized_keys') {
    const target = issue.path.length === 0 ? container : (container[issue.path[issue.path.length - 1] as PropertyKey] as Record<string, unknown>)
    for (const key of issue.keys) delete target[key]
    return true
  }
  const key = issue.path[issue.path.length - 1]
  if (key === undefined || !optionalAt(issue.path)) return false
  if (Array.isArray(container)) return false
  delete container[key as PropertyKey]
  return true
}

/** Whether the schema lets the key at this path be left out. */
function optionalAt(at: readonly PropertyKey[]): boolean {
  const key = String(at[at.length - 1])
  if (at.length === 1) return !['series', 'author', 'volumes'].includes(key)
  if (at[0] === 'volumes' && at.length === 3) return !['number', 'title', 'reviews'].includes(key)
  if (at[0] === 'collection' && at.length === 2) return key !== 'title'
  return (
    at[0] === 'fields' ||
    at[0] === 'indexes' ||
    at[0] === 'accessibility' ||
    at[0] === 'print' ||
    at[0] === 'stores' ||
    at.includes('prices') ||
    (at[0] === 'volumes' && at[2] === 'links')
  )
}

/**
 * A key indented one or two spaces more or less than the key above it in the same map: the
 * parser reports it one line early, as a value that needs quoting. Say what it really is.
 */
function indentationMistake(text: string, offset: number): {line: number; reason: string; note: string; place: Position} | undefined {
  const lines = text.split('\n')
  const errorLine = text.slice(0, offset).split('\n').length - 1
  const keyLine = /^(\s*(?:- +)?)([A-Za-z_][\w-]*):(?:\s|$)/
  for (const candidate of [errorLine, errorLine + 1]) {
    const here = keyLine.exec(lines[candidate] ?? '')
    if (!here) continue
    let above = candidate - 1
    while (above >= 0 && /^\s*(#.*)?$/.test(lines[above]!)) above--
    const before = keyLine.exec(lines[above] ?? '')
    if (!before) continue
    const column = here[1]!.length
    const expected = before[1]!.length
    const parent = /:\s*(#.*)?$/.test(lines[above]!)
    if (column === expected || parent || Math.abs(column - expected) > 2) continue
    return {
      line: candidate,
      reason: `\`${here[2]}\` on line ${candidate + 1} starts in column ${column + 1}, but \`${before[2]}\` above it (line ${above + 1}) starts in column ${expected + 1}; keys of one map must line up`,
      note: `Indent \`${here[2]}:\` to column ${expected + 1}, like \`${before[2]}:\`.`,
      place: {start: {line: candidate + 1, column: column + 1}, end: {line: candidate + 1, column: column + 1 + here[2]!.length}}
    }
  }
  return undefined
}

function normalise(file: VFile, doc: Document, input: ManifestInput): Manifest {
  const root = path.dirname(path.resolve(file.cwd, file.path || 'volumes.yaml'))
  const reviewsDir = path.resolve(root, input.reviews ?? 'reviews')
  const bookSpec = (spec: ManifestInput['volumes'][number] | NonNullable<ManifestInput['collection']>, at: PropertyKey[]): BookSpec => ({
    title: spec.title,
    subtitle: spec.subtitle,
    description: spec.description,
    cover: spec.cover === undefined ? undefined : path.resolve(root, spec.cover),
    coverPlace: spec.cover === undefined ? undefined : placeOfNode(file, nodeAt(doc, [...at, 'cover'])),
    identifier: spec.identifier,
    published: spec.published === undefined ? undefined : manifestDate(file, doc, spec.published, [...at, 'published']),
    keywords: spec.keywords,
    keywordsPlace: spec.keywords === undefined ? undefined : placeOfNode(file, nodeAt(doc, [...at, 'keywords'])),
    subjects: spec.subjects,
    prices: pricesOf(spec.prices)
  })
  const isExcluded = excludeMatcher(input.exclude ?? [])
  const entries = input.volumes.map((volume, index) =>
    volume.reviews.map((name, position) => ({
      name,
      path: path.resolve(reviewsDir, name),
      volume: volume.number,
      place: placeOfNode(file, nodeAt(doc, ['volumes', index, 'reviews', position]))
    }))
  )
  // By the path inside the reviews folder, however the entry spells it (`./a.md`).
  const excluded = entries.flat().filter((entry) => isExcluded(path.relative(reviewsDir, entry.path)))
  const pageSpec = (role: PageSpec['role'], name: string | undefined, at: PropertyKey[]): PageSpec | undefined =>
    name === undefined ? undefined : {role, name, path: path.resolve(root, name), place: placeOfNode(file, nodeAt(doc, at))}
  return {
    file,
    root,
    series: input.series,
    authors: typeof input.author === 'string' ? [input.author] : input.author,
    language: input.language ?? 'en',
    publisher: input.publisher,
    rights: input.rights,
    description: input.description,
    reviewsDir,
    reviewsPlace: doc.has('reviews') ? placeOfNode(file, nodeAt(doc, ['reviews'])) : undefined,
    volumesPlace: placeOfNode(file, keyNodeAt(doc, [], 'volumes')),
    outputDir: path.resolve(root, input.output ?? 'dist'),
    outputPlace: input.output === undefined ? undefined : placeOfNode(file, nodeAt(doc, ['output'])),
    fields: Object.fromEntries(Object.entries(input.fields ?? {}).filter(([, value]) => value !== undefined)),
    ratingScale: input.ratings ?? 5,
    exclude: input.exclude ?? [],
    excludePlace: input.exclude === undefined ? undefined : placeOfNode(file, nodeAt(doc, ['exclude'])),
    about: pageSpec('about', input.about, ['about']),
    sites: input.site === undefined ? [] : typeof input.site === 'string' ? [input.site] : input.site,
    stylesheet:
      input.stylesheet === undefined ? undefined : {path: path.resolve(root, input.stylesheet), place: placeOfNode(file, nodeAt(doc, ['stylesheet']))},
    indexes: indexSwitches(input.indexes),
    quotes: quoteStyle(input.quotes, input.language ?? 'en'),
    opening: input.opening ?? 'plain',
    autolink: input.autolink ?? false,
    stores: storeList(input.stores),
    storesPlace: input.stores === undefined ? undefined : placeOfNode(file, nodeAt(doc, ['stores'])),
    prices:
      Array.isArray(input.stores) || input.stores === undefined
        ? {}
        : pricesOf(Object.fromEntries(Object.entries(input.stores).map(([store, value]) => [store, value?.prices]))),
    kdpSelect: Array.isArray(input.stores) || input.stores === undefined ? undefined : (input.stores.kindle?.select ?? undefined),
    keywords: input.keywords,
    keywordsPlace: input.keywords === undefined ? undefined : placeOfNode(file, nodeAt(doc, ['keywords'])),
    subjects: input.subjects ?? [],
    accessibility: {summary: input.accessibility?.summary, certifiedBy: input.accessibility?.certifiedBy},
    print: {
      trim: input.print?.trim ?? '5.5x8.5',
      paper: input.print?.paper ?? 'cream',
      recto: input.print?.recto ?? false,
      place: input.print === undefined ? undefined : placeOfNode(file, nodeAt(doc, ['print']))
    },
    volumes: input.volumes.map((volume, index) => ({
      ...bookSpec(volume, ['volumes', index]),
      number: volume.number,
      numberPlace: placeOfNode(file, nodeAt(doc, ['volumes', index, 'number'])),
      foreword: pageSpec('foreword', volume.foreword, ['volumes', index, 'foreword']),
      introduction: pageSpec('introduction', volume.introduction, ['volumes', index, 'introduction']),
      links: volume.links ?? {},
      linksPlace: volume.links === undefined ? undefined : placeOfNode(file, nodeAt(doc, ['volumes', index, 'links'])),
      reviews: entries[index]!.filter((entry) => !excluded.includes(entry))
    })),
    excluded,
    collection: input.collection ? bookSpec(input.collection, ['collection']) : undefined,
    collectionPlace: input.collection ? placeOfNode(file, keyNodeAt(doc, [], 'collection')) : undefined
  }
}

/** The stores, in the list form (`[kindle, apple]`) or the map form with prices. */
function storeList(stores: ManifestInput['stores']): Store[] {
  if (stores === undefined) return []
  if (Array.isArray(stores)) return stores
  return (['kindle', 'apple', 'kobo'] as const).filter((store) => store in stores)
}

function pricesOf(prices: Partial<Record<Store, Partial<Record<Marketplace, number | undefined>> | undefined>> | undefined): StorePrices {
  const out: StorePrices = {}
  for (const [store, table] of Object.entries(prices ?? {}) as Array<[Store, Partial<Record<Marketplace, number | undefined>> | undefined]>) {
    if (!table) continue
    const known = Object.entries(table).filter((entry): entry is [Marketplace, number] => entry[1] !== undefined)
    if (known.length) out[store] = Object.fromEntries(known)
  }
  return out
}

/** A book's `published` day; an unreadable one is an error at its place. */
function manifestDate(file: VFile, doc: Document, value: string | Date, at: PropertyKey[]): CalendarDate | undefined {
  const date = value instanceof Date ? {year: value.getUTCFullYear(), month: value.getUTCMonth() + 1, day: value.getUTCDate()} : parseCalendarDate(value)
  if (date) return date
  report(file, {
    reason: `\`published\` is not a date this tool can read: \`${String(value)}\``,
    ruleId: 'invalid-date',
    severity: 'error',
    place: placeOfNode(file, nodeAt(doc, at)),
    note: 'Write the day the book is published as `2026-11-01`.'
  })
  return undefined
}

/** `quotes: language`: British, Irish, Australian, New Zealand and South African English put ‘single’ quotes first. */
function quoteStyle(quotes: ManifestInput['quotes'], language: string): 'double' | 'single' {
  if (quotes === 'language') return /^en-(GB|IE|AU|NZ|ZA)\b/i.test(language) ? 'single' : 'double'
  return quotes ?? 'double'
}

/**
 * A volume of fewer reviews than this has no indexes by default: its contents already list
 * every film on a screen or two, and four index pages for three reviews are padding. The
 * collection always has them.
 */
export const indexesFrom = 10

/**
 * `indexes: true` makes every index in every book, however small; `false` none; a map
 * switches each and moves the threshold (`from`). The genre index is left undecided unless
 * switched: each book then decides it from its own tags.
 */
function indexSwitches(input: ManifestInput['indexes']): IndexSwitches {
  if (input === true) return {title: true, director: true, year: true, rating: true, genre: undefined, from: 1}
  if (input === false) return {title: false, director: false, year: false, rating: false, genre: false, from: 1}
  return {
    title: input?.title ?? true,
    director: input?.director ?? true,
    year: input?.year ?? true,
    rating: input?.rating ?? true,
    genre: input?.genre,
    from: input?.from ?? indexesFrom
  }
}

/** Every Markdown page the manifest names, each once. */
export function pageSpecs(manifest: Manifest): PageSpec[] {
  return [
    ...(manifest.about ? [manifest.about] : []),
    ...manifest.volumes.flatMap((volume) => [volume.foreword, volume.introduction].filter((page): page is PageSpec => page !== undefined))
  ]
}

/** Every book the manifest describes: the volumes, then the collection when there is one. */
export function bookSpecs(manifest: Manifest): BookSpec[] {
  return [...manifest.volumes, ...(manifest.collection ? [manifest.collection] : [])]
}

type Issue = z.core.$ZodIssue

function reportIssue(file: VFile, doc: Document, issue: Issue): void {
  const at = issue.path
  const where = describePath(doc, at)
  if (issue.code === 'unrecognized_keys') {
    const allowed = keysAllowedAt(at)
    for (const key of issue.keys) {
      report(file, {
        reason: `Unknown key \`${key}\`${where ? ` in ${where}` : ''}${didYouMean(key, allowed)}`,
        ruleId: 'unknown-key',
        severity: 'error',
        place: placeOfNode(file, keyNodeAt(doc, at, key)),
        actual: key,
        expected: allowed,
        note: `Allowed keys here: ${allowed.map((k) => `\`${k}\``).join(', ')}.`
      })
    }
    return
  }
  const node = nodeAt(doc, at)
  const key = at[at.length - 1]
  const present = node !== undefined && doc.hasIn(at as unknown[])
  if (!present) {
    const parent = describePath(doc, at.slice(0, -1))
    report(file, {
      reason: `Missing required key \`${String(key)}\`${parent ? ` in ${parent}` : ''}`,
      ruleId: 'missing-key',
      severity: 'error',
      place: placeOfNode(file, node)?.start,
      note: requiredHint(String(key))
    })
    return
  }
  const shown = JSON.stringify(isScalar(node) ? node.value : isSeq(node) ? '[list]' : '{map}')
  if (key === 'volumes' && issue.code === 'too_small') {
    report(file, {
      reason: '`volumes` is empty; list at least one volume with its `number`, `title` and `reviews`',
      ruleId: 'no-volumes',
      severity: 'error',
      place: placeOfNode(file, node)
    })
  } else if (key === 'reviews' && issue.code === 'too_small' && at[0] === 'volumes') {
    report(file, {
      reason: `${capitalise(describePath(doc, at.slice(0, -1)))} has no reviews; list at least one review file under \`reviews\``,
      ruleId: 'empty-volume',
      severity: 'error',
      place: placeOfNode(file, node)
    })
  } else if (key === 'number' && at[0] === 'volumes') {
    report(file, {
      reason: `Volume number must be a whole number from 1 up (its place in the series), got ${shown}`,
      ruleId: 'invalid-volume-number',
      severity: 'error',
      place: placeOfNode(file, node),
      actual: shown
    })
  } else if (issue.code === 'custom' && (at[0] === 'site' || at[2] === 'links')) {
    report(file, {
      reason: `\`${String(typeof key === 'number' ? at[at.length - 2] : key)}\`${at[0] === 'volumes' ? ` in ${describePath(doc, at.slice(0, 2))}` : ''} must be a web address such as \`https://example.com/book\`, got ${shown}`,
      ruleId: 'invalid-value',
      severity: 'error',
      place: placeOfNode(file, node),
      actual: shown,
      note: 'Write the whole address, starting with https://, with no spaces; characters such as < > " must be %-escaped.'
    })
  } else if (key === 'language') {
    report(file, {
      reason: `\`language\` must be a BCP 47 language tag such as \`en\` or \`en-GB\`, got ${shown}`,
      ruleId: 'invalid-value',
      severity: 'error',
      place: placeOfNode(file, node),
      actual: shown
    })
  } else {
    // The map the key sits in, when it is not the manifest itself (`collection: false` is about the whole manifest).
    const within = where.includes('volume') || where.includes('collection') ? describePath(doc, at.slice(0, -1)) : ''
    report(file, {
      reason: `\`${String(key)}\`${within ? ` in ${within}` : ''} ${expectation(issue)}, got ${shown}`,
      ruleId: 'invalid-value',
      severity: 'error',
      place: placeOfNode(file, node),
      actual: shown
    })
  }
}

function expectation(issue: Issue): string {
  if (issue.path[0] === 'ratings') return "must be 5, 10 or 100: what the reviews' plain-number ratings are out of"
  if (issue.path[0] === 'indexes' && issue.path.length === 1)
    return 'must be `true`, `false` or a map of `title`, `director`, `year`, `rating` and `genre` switches and a `from` number'
  if (issue.path[0] === 'print' && issue.path[1] === 'trim') return `must be one of KDP Print's trim sizes, width x height in inches: ${trimNames.join(', ')}`
  if (issue.path[0] === 'print' && issue.path[1] === 'paper') return 'must be `white` or `cream`: the paper KDP prints a black-and-white book on'
  if (issue.path[0] === 'indexes' && issue.path[1] === 'from') return 'must be a whole number from 1 up: how many reviews a volume needs for its indexes'
  if (issue.code === 'invalid_type') {
    return issue.expected === 'array'
      ? 'must be a list'
      : issue.expected === 'object'
        ? 'must be a map of keys'
        : `must be ${issue.expected === 'string' ? 'text' : `a ${issue.expected}`}`
  }
  if (issue.code === 'too_small') return 'must not be empty'
  if (issue.code === 'invalid_union') return 'must be text or a list of text'
  return 'has an invalid value'
}

function describePath(doc: Document, at: readonly PropertyKey[]): string {
  if (at[0] === 'volumes' && typeof at[1] === 'number') {
    const title = doc.getIn(['volumes', at[1], 'title'])
    const number = doc.getIn(['volumes', at[1], 'number'])
    if (typeof title === 'string' && title.trim()) return `volume "${title.trim()}"`
    if (typeof number === 'number') return `volume ${number}`
    return `the ${ordinal(at[1] + 1)} volume entry`
  }
  if (at[0] === 'collection') return '`collection`'
  if (at[0] === 'fields') return '`fields`'
  return ''
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')
  return `${n}${suffix}`
}

function requiredHint(key: string): string {
  const hints: Record<string, string> = {
    series: 'Add `series: Your Series Name` at the top of volumes.yaml.',
    author: 'Add `author: Your Name` (or a list of names).',
    volumes: 'Add `volumes:` with at least one entry holding `number`, `title` and `reviews`.',
    number: 'Give each volume its place in the series, e.g. `number: 1`.',
    title: 'Give it a `title:`.',
    reviews: 'List the review files, e.g. `reviews: [her-2013.md]`.'
  }
  return hints[key] ?? ''
}

function yamlReason(message: string): string {
  const first = message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message
  return `volumes.yaml is not valid YAML: ${first.replace(/\.$/, '')}`
}

function yamlHint(code: string): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'YAML indentation must use spaces, not tabs.'
    case 'DUPLICATE_KEY':
      return 'Each key may appear once per map; remove or merge the repeated one.'
    case 'MISSING_CHAR':
    case 'BAD_DQ_ESCAPE':
      return 'Check that every quote that opens is closed on the same value.'
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'A value containing `: ` must be quoted, e.g. `title: "Reviews: 2023"`.'
    default:
      return 'Values containing `: ` or starting with `*`, `&`, `!`, `[` or `{` must be quoted.'
  }
}
