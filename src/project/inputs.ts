// What the inputs say besides their text: volumes left empty by drafts, and each input's
// modification time, from which a book takes its date (never the clock). I/O: stats files.
import {stat} from 'node:fs/promises'
import {report} from '../shared/diagnostics.js'
import type {Manifest, Selection} from '../model.js'

/** A volume whose every review is a draft left out is not built; say so where it is declared. */
export function checkDraftVolumes(manifest: Manifest, reviews: ReadonlyMap<string, unknown>, drafts: ReadonlySet<string>, selection: Selection): void {
  for (const volume of manifest.volumes) {
    if (!selection.volumes.has(volume.number)) continue
    const entries = volume.reviews.map((entry) => entry.path)
    if (entries.some((entry) => reviews.has(entry)) || !entries.some((entry) => drafts.has(entry))) continue
    report(manifest.file, {
      reason: `Volume ${volume.number} holds only drafts, so it is not built`,
      ruleId: 'draft-volume',
      severity: 'warning',
      place: volume.numberPlace,
      note: 'Build with `--drafts` to include drafts, or take `draft: true` out of a review when it is ready.'
    })
  }
}

export interface FileTime {
  mtimeMs: number
  size: number
}

/** Each file's size and modification time (`known`: those already read this run, not asked again); a missing file gets size -1. */
export async function modificationTimes(files: Iterable<string>, known: ReadonlyMap<string, FileTime> = new Map()): Promise<Map<string, FileTime>> {
  const times = new Map<string, FileTime>()
  await Promise.all(
    [...new Set(files)].map(async (file) =>
      times.set(
        file,
        known.get(file) ??
          (await stat(file).then(
            (info) => ({mtimeMs: info.mtimeMs, size: info.size}),
            () => ({mtimeMs: 0, size: -1})
          ))
      )
    )
  )
  return times
}

/**
 * A book's date: `SOURCE_DATE_EPOCH` when given; otherwise the newest of its own input files'
 * modification times (never the clock), so editing one review re-dates only the books that hold it.
 */
export function bookDate(epoch: Date | undefined, times: ReadonlyMap<string, FileTime>): (inputs: readonly string[]) => string {
  const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z')
  if (epoch) {
    const fixed = iso(epoch)
    return () => fixed
  }
  return (inputs) => {
    const newest = Math.floor(inputs.reduce((max, input) => Math.max(max, times.get(input)?.mtimeMs ?? 0), 0) / 1000)
    // A file dated before zip's calendar starts (or after it ends) dates the book at the edge.
    return iso(new Date(Math.min(Math.max(newest, epochRange.first), epochRange.last) * 1000))
  }
}

/** The seconds a book can be dated with: zip's calendar runs from 1980 to 2107 (EPUB's needs four-digit years). */
export const epochRange = {first: 315_532_800, last: 4_354_819_199}
