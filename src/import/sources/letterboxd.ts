// Letterboxd's export: `reviews.csv` (at the root, or inside the zip's one top-level folder; never
// `deleted/` or `orphaned/`) read by column name into posts, one per diary entry with a review,
// and `profile.csv` for the author. Reads those two entries of the archive; problems go on them.
import type {Root} from 'hast'
import {VFile} from 'vfile'
import {parseCsv, type CsvRow} from '../csv.js'
import {parseHtml} from '../html.js'
import type {Archive, ImportedPost, Publication, SourceReader} from '../types.js'
import type {CalendarDate} from '../../model.js'
import {parseCalendarDate} from '../../shared/dates.js'
import {report} from '../../shared/diagnostics.js'
import {paragraphsFromLines} from './paragraphs.js'
import {tidyBody} from './plain-body.js'

const required = ['Name', 'Letterboxd URI', 'Review']

export const letterboxd: SourceReader = {
  name: 'letterboxd',
  // `reviews.csv` alone is enough: authors keep it on its own (a folder of it, or the file given
  // directly), without the diary and profile the zip has; its columns are checked when it is read.
  recognises(archive) {
    return rootOf(archive) !== undefined
  },
  async read(archive) {
    const root = rootOf(archive)
    if (root === undefined) {
      report(archive.file, {
        reason: 'The Letterboxd export has no `reviews.csv` at its root, so there are no reviews to import',
        ruleId: 'import-unreadable',
        severity: 'error',
        note: 'Import the zip Letterboxd sends (Settings › Import & Export › Export your data), or the folder it unpacks to.'
      })
      return {posts: [], publication: {}}
    }
    const publication = await readProfile(archive, root)
    const path = `${root}reviews.csv`
    const file = await archive.text(path)
    if (!file) return {posts: [], publication}
    const csv = parseCsv(file)
    const missing = required.filter((name) => !csv.header.includes(name))
    if (missing.length > 0) {
      report(file, {
        reason: `\`reviews.csv\` has no ${missing.map((name) => `\`${name}\``).join(', ')} column, so its rows cannot be read as reviews`,
        ruleId: 'import-unreadable',
        severity: 'error',
        place: {line: 1, column: 1},
        note: `A Letterboxd export's \`reviews.csv\` starts with \`Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\`; export it again.`
      })
      return {posts: [], publication}
    }
    return {posts: csv.rows.map((row) => readRow(row, file, path)), publication}
  }
}

/** Where the export's files are: the root, or the one folder everything is in (some unzip tools add it). */
function rootOf(archive: Archive): string | undefined {
  if (archive.paths.includes('reviews.csv')) return ''
  const tops = new Set(archive.paths.map((entry) => (entry.includes('/') ? entry.slice(0, entry.indexOf('/') + 1) : '')))
  const [only] = tops
  return tops.size === 1 && only && archive.paths.includes(`${only}reviews.csv`) ? only : undefined
}

async function readProfile(archive: Archive, root: string): Promise<Publication> {
  if (!archive.paths.includes(`${root}profile.csv`)) return {}
  const file = await archive.text(`${root}profile.csv`)
  const row = file ? parseCsv(file).rows[0] : undefined
  if (!row) return {}
  const username = row.cells.get('Username')?.trim() ?? ''
  const name = [row.cells.get('Given Name'), row.cells.get('Family Name')]
    .map((part) => part?.trim() ?? '')
    .filter(Boolean)
    .join(' ')
  return {
    author: name || username || undefined,
    site: username ? `https://letterboxd.com/${encodeURIComponent(username)}/` : undefined
  }
}

function readRow(row: CsvRow, file: VFile, path: string): ImportedPost {
  const cell = (name: string) => row.cells.get(name)?.trim() ?? ''
  const place = {line: row.line, column: 1}
  const warn = (reason: string, note: string) => report(file, {reason, ruleId: 'import-post', severity: 'warning', place, note})
  const name = cell('Name')
  const label = name ? `The review of ${name}` : `The review on line ${row.line}`
  const date = (column: string): CalendarDate | undefined => {
    const written = cell(column)
    const day = written === '' ? undefined : parseCalendarDate(written)
    if (written !== '' && !day)
      warn(
        `${label} has a \`${column}\` of \`${written}\`, which is not a date, so it is left out`,
        'Letterboxd writes dates as YYYY-MM-DD; add the date to the review by hand.'
      )
    return day
  }
  const yearText = cell('Year')
  const year = /^\d{1,4}$/.test(yearText) ? Number(yearText) : undefined
  if (yearText !== '' && year === undefined)
    warn(`${label} has a \`Year\` of \`${yearText}\`, which is not a year, so it is left out`, 'Add the year to the review by hand.')
  const ratingText = cell('Rating')
  const rating = ratingText === '' ? undefined : Number(ratingText)
  const validRating = rating !== undefined && rating >= 0.5 && rating <= 5 && Number.isInteger(rating * 2) ? rating : undefined
  if (ratingText !== '' && validRating === undefined)
    warn(`${label} has a \`Rating\` of \`${ratingText}\`, which is not a Letterboxd rating (0.5 to 5 in halves), so it is left out`, 'Add the rating by hand.')
  let key = cell('Letterboxd URI')
  if (key === '') {
    // Without the entry's link a re-import cannot recognise the review; this is the next most stable thing.
    key = `letterboxd:${cell('Date')}:${name}:${yearText}`
    warn(
      `${label} has no \`Letterboxd URI\`, so it is recognised by its date and film instead`,
      'A re-import after the date or film changes will see it as a new review.'
    )
  }
  const review = row.cells.get('Review') ?? ''
  const hasReview = review.trim() !== ''
  return {
    source: 'letterboxd',
    key,
    origin: {entry: path, line: row.line, column: 1},
    title: name && year !== undefined ? `${name} (${year})` : name,
    published: date('Date'),
    url: /^https?:\/\//.test(cell('Letterboxd URI')) ? cell('Letterboxd URI') : undefined,
    aliases: [],
    tags: [
      ...new Set(
        cell('Tags')
          .split(',')
          .map((tag) => tag.trim())
          .filter(Boolean)
      )
    ],
    // A row without review text is a logged viewing, not a review: kept so the report can count it.
    kind: hasReview ? 'post' : 'other',
    draft: false,
    paid: false,
    film: name ? {title: name, year} : undefined,
    rating: validRating,
    rewatch: /^yes$/i.test(cell('Rewatch')),
    watched: date('Watched Date'),
    body: hasReview ? reviewBody(review, file, row.line) : {type: 'root', children: []},
    notes: []
  }
}

/** The Review cell's small HTML, its blank lines as paragraphs and its single newlines as `br`. */
/**
 * Letterboxd keeps the tags its members type, and many type the same tag to end a quote or an
 * italic (`<i>"…"<i>`, `<blockquote>…<blockquote>`): in its small subset an element never sits
 * inside one of its own kind, so a second opening tag of an open element closes it (a place
 * reported after it on that line is one column further on than in the export).
 */
export function closeRepeatedTags(html: string): string {
  const open = new Set<string>()
  return html.replace(/<(\/?)(i|b|em|strong|blockquote)>/gi, (tag, slash: string, name: string) => {
    const key = name.toLowerCase()
    if (slash) {
      open.delete(key)
      return tag
    }
    if (open.has(key)) {
      open.delete(key)
      return `</${name}>`
    }
    open.add(key)
    return tag
  })
}

function reviewBody(review: string, file: VFile, line: number): Root {
  // The cell is parsed on its own file, so that a problem in it can be placed on the row.
  const cell = new VFile({path: file.path, value: closeRepeatedTags(review)})
  const tree = parseHtml(cell, {fragment: true})
  for (const message of cell.messages)
    report(file, {
      reason: `The review on line ${line}: ${message.reason}`,
      ruleId: message.ruleId ?? 'import-unreadable',
      severity: message.fatal ? 'error' : 'warning',
      place: {line: line + (message.line ?? 1) - 1, column: message.column ?? 1},
      note: message.note
    })
  if (!tree) return {type: 'root', children: []}
  paragraphsFromLines(tree)
  tidyBody(tree)
  return tree
}
