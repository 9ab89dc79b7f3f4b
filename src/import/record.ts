// The import record: a small JSON file in the reviews folder saying which review file each
// imported post became and a digest of the text written then. With it a later import of a
// newer export knows, file by file, whether the author has edited a review since (never
// overwritten), whether the post changed on the platform (`--update` takes the new text), and
// which posts are new. The record holds no dates, so importing the same export twice writes
// the same bytes. Parsing is pure; reading the file is the caller's.
import {createHash} from 'node:crypto'
import {report} from '../shared/diagnostics.js'
import type {VFile} from 'vfile'

export const recordName = '.build-volumes-import.json'

export interface RecordEntry {
  /** The review file, relative to the reviews folder. */
  file: string
  /** sha256 of the file's text as the import wrote it. */
  sha256: string
  /** sha256 of the post as the export gave it (its converted text with the images' original addresses): whether the post has changed since. */
  input: string
}

export interface ImportRecord {
  version: 1
  /** `<source>:<post key>` → what it became. */
  posts: Record<string, RecordEntry>
}

export function emptyRecord(): ImportRecord {
  return {version: 1, posts: {}}
}

export function digest(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex')
}

/** The record in `file` (its text already read); an unreadable one is a warning and counts as empty, so imports go on but never overwrite. */
export function parseRecord(file: VFile): {record: ImportRecord; trusted: boolean} {
  try {
    const data = JSON.parse(String(file.value)) as Partial<ImportRecord>
    if (data.version === 1 && data.posts && typeof data.posts === 'object') {
      const posts: Record<string, RecordEntry> = {}
      for (const [key, entry] of Object.entries(data.posts)) {
        const hex = (value: unknown) => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)
        if (entry && typeof entry.file === 'string' && hex(entry.sha256) && hex(entry.input))
          posts[key] = {file: entry.file, sha256: entry.sha256, input: entry.input}
      }
      return {record: {version: 1, posts}, trusted: true}
    }
  } catch {
    // Reported below.
  }
  report(file, {
    reason:
      'The import record is not one this version of build-volumes wrote, so this import cannot tell which reviews you edited; it only adds new files and overwrites none',
    ruleId: 'import-record',
    severity: 'warning',
    note: 'Restore the file from version control, or delete it to start a fresh record (existing reviews are still never overwritten).'
  })
  return {record: emptyRecord(), trusted: false}
}

export function formatRecord(record: ImportRecord): string {
  const posts = Object.fromEntries(Object.entries(record.posts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  return `${JSON.stringify({version: 1, about: 'Written by `build-volumes import`: which review each imported post became, so a later import never overwrites your edits. Keep it with your reviews.', posts}, null, 2)}\n`
}
