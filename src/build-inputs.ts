// What a build reads besides the reviews, checked and dated: covers against the store rules,
// volumes left empty by drafts, and each input's modification time, from which a book takes
// its date (never the clock). I/O: reads and stats files.
import {existsSync} from 'node:fs'
import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import type {Review} from './book.js'
import {report} from './diagnostics.js'
import type {LoadedPage} from './load-reviews.js'
import type {Manifest} from './manifest.js'
import {isInside} from './manifest-rules.js'
import {checkCover} from './preflight.js'
import {resolvesInside} from './reviews.js'
import {BuildError} from './write.js'

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
      const bytes = await readFile(spec.cover).catch(() => undefined)
      if (bytes) checkCover(bytes, name, manifest.file, spec.coverPlace)
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
export function bookDate(epoch: string | undefined, times: ReadonlyMap<string, FileTime>): (inputs: string[]) => Date {
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) throw new BuildError(`SOURCE_DATE_EPOCH must be a whole number of seconds, got \`${epoch}\``, 2)
    const date = new Date(Number(epoch) * 1000)
    return () => date
  }
  return (inputs) => new Date(Math.floor(Math.max(0, ...inputs.map((input) => times.get(input)?.mtimeMs ?? 0)) / 1000) * 1000)
}
