// What a build reads besides the reviews, checked and dated: covers against the store rules,
// volumes left empty by drafts, and each input's modification time, from which a book takes
// its date (never the clock). I/O: reads and stats files.
import {existsSync} from 'node:fs'
import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import {report} from '../shared/diagnostics.js'
import {checkCover} from '../check/preflight.js'
import {isInside, resolvesInside} from '../shared/paths.js'
import {readRegularFile} from '../shared/read-file.js'
import {imageReadLimit} from '../render/prepare.js'
import {BuildError} from '../output/write.js'
import type {LoadedPage, Manifest, Review} from '../model.js'

export async function checkCovers(manifest: Manifest, selected: number[] | undefined): Promise<void> {
  const specs = [...manifest.volumes.filter((volume) => selected === undefined || selected.includes(volume.number)), ...(manifest.collection ? [manifest.collection] : [])]
  const checked = new Set<string>()
  for (const spec of specs) {
    // A cover outside the project is reported by the manifest rules and never looked at.
    if (!spec.cover || !isInside(manifest.root, spec.cover)) continue
    const name = path.relative(manifest.root, spec.cover)
    if (!existsSync(spec.cover)) {
      report(manifest.file, {reason: `Cover \`${name}\` does not exist`, ruleId: 'missing-image', severity: 'error', place: spec.coverPlace})
    } else if (!/\.(png|jpe?g)$/i.test(spec.cover)) {
      report(manifest.file, {reason: `Cover \`${name}\` must be a JPEG or PNG image`, ruleId: 'image-format', severity: 'error', place: spec.coverPlace})
    } else if (!checked.has(spec.cover) && resolvesInside(manifest.root, spec.cover)) {
      // The store rules, once per cover file (volumes may share one).
      checked.add(spec.cover)
      const read = await readRegularFile(spec.cover, imageReadLimit)
      if ('bytes' in read) checkCover(read.bytes, name, manifest.file, spec.coverPlace)
    }
  }
}

/** A volume whose every review is a draft left out is not built; say so where it is declared. */
export function checkDraftVolumes(manifest: Manifest, reviews: ReadonlyMap<string, unknown>, drafts: ReadonlySet<string>, selected: number[] | undefined): void {
  for (const volume of manifest.volumes) {
    if (selected !== undefined && !selected.includes(volume.number)) continue
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

/** `known`: times already read this run (the reviews'), not asked of the disk again; `style`: the stylesheet and what it brings in. */
export async function modificationTimes(manifestPath: string, manifest: Manifest, reviews: ReadonlyMap<string, Review>, pages: ReadonlyMap<string, LoadedPage>, known: ReadonlyMap<string, FileTime> = new Map(), style: readonly string[] = []): Promise<Map<string, FileTime>> {
  const covers = [...manifest.volumes, ...(manifest.collection ? [manifest.collection] : [])].flatMap((spec) => (spec.cover ? [spec.cover] : []))
  const inputs = new Set([
    manifestPath,
    ...covers,
    ...(manifest.stylesheet ? [manifest.stylesheet.path] : []),
    ...style,
    ...[...pages.values()].flatMap((page) => [page.spec.path, ...page.images.map((image) => image.path)]),
    ...[...reviews.values()].flatMap((review) => [review.entry.path, ...review.images.map((image) => image.path)])
  ])
  const times = new Map<string, FileTime>()
  await Promise.all([...inputs].map(async (input) => times.set(input, known.get(input) ?? (await stat(input).then((s) => ({mtimeMs: s.mtimeMs, size: s.size}), () => ({mtimeMs: 0, size: -1}))))))
  return times
}

/**
 * A book's date: `SOURCE_DATE_EPOCH` when given; otherwise the newest of its own input files'
 * modification times (never the clock), so editing one review re-dates only the books that hold it.
 */
export function bookDate(epoch: Date | undefined, times: ReadonlyMap<string, FileTime>): (inputs: string[]) => Date {
  if (epoch) return () => epoch
  return (inputs) => {
    const newest = Math.floor(inputs.reduce((max, input) => Math.max(max, times.get(input)?.mtimeMs ?? 0), 0) / 1000)
    // A file dated before zip's calendar starts (or after it ends) dates the book at the edge.
    return new Date(Math.min(Math.max(newest, epochRange.first), epochRange.last) * 1000)
  }
}

/** The seconds a book can be dated with: zip's calendar runs from 1980 to 2107 (EPUB's needs four-digit years). */
export const epochRange = {first: 315_532_800, last: 4_354_819_199}

/** `SOURCE_DATE_EPOCH` as a date; a value zip and EPUB cannot hold is a usage error. */
export function parseSourceDateEpoch(value: string | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined
  const seconds = /^\d+$/.test(value) ? Number(value) : NaN
  if (!(seconds >= epochRange.first && seconds <= epochRange.last)) {
    throw new BuildError(`SOURCE_DATE_EPOCH must be a whole number of seconds from ${epochRange.first} (1980-01-01, where zip dates begin) to ${epochRange.last} (2107-12-31, where they end), got \`${value}\``, 2)
  }
  return new Date(seconds * 1000)
}
