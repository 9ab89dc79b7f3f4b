// Stage 3, the books: links between reviews resolved once the whole series is known (and the
// autolinks chosen), every input dated, and the model assembled: one book per selected volume,
// plus the collection. Pure but for reading the inputs' modification times.
import {assembleBooks, sourcePath} from '../book/assemble.js'
import {linkTable, resolveLinks} from '../book/links.js'
import type {Book} from '../model.js'
import {bookDate, modificationTimes, type FileTime} from '../project/inputs.js'
import type {Converted} from './convert-reviews.js'
import type {Project} from './load-project.js'
import type {ResolvedOptions} from './options.js'

export interface Assembled {
  books: Book[]
  /** Every input file with its size and time, as read this run (the keys are what a watch watches). */
  times: Map<string, FileTime>
  /** What every book shows of the rest of the series: which reviews are left out, and their titles. */
  seriesKey: string
}

export async function assembleStage(project: Project, options: ResolvedOptions, {loaded, pages, style}: Converted): Promise<Assembled> {
  const {manifest} = project
  const covers = [...manifest.volumes, ...(manifest.collection ? [manifest.collection] : [])].flatMap((spec) => (spec.cover ? [spec.cover] : []))
  const styleInputs = [...(manifest.stylesheet ? [manifest.stylesheet.path] : []), ...style.inputs]
  const sources = [...pages.values(), ...loaded.reviews.values()]
  const times = await modificationTimes(
    [options.manifestPath, ...covers, ...styleInputs, ...sources.flatMap((source) => [sourcePath(source), ...source.images.map((image) => image.path)])],
    loaded.times
  )
  const table = linkTable(
    loaded.all.values(),
    manifest.volumes.flatMap((volume) => volume.reviews.map((entry) => entry.path)),
    manifest.sites,
    manifest.autolink ? loaded.reviews.values() : undefined
  )
  const reviews = new Map([...loaded.reviews].map(([key, review]) => [key, resolveLinks(review, review.entry.path, table)]))
  // A draft left out is checked too: its broken links are reported like any other's.
  for (const [key, draft] of loaded.all) if (!reviews.has(key)) resolveLinks(draft, key, table)
  const linkedPages = new Map([...pages].map(([key, page]) => [key, resolveLinks(page, undefined, table)]))
  const seriesKey = JSON.stringify([[...loaded.drafts].sort(), [...loaded.reviews.values()].map((review) => [review.entry.path, review.meta.title]).sort()])
  const books = assembleBooks(manifest, reviews, project.selection, {pages: linkedPages, styleInputs, dateOf: bookDate(options.epoch, times)})
  return {books, times, seriesKey}
}
