// Stage 2, the text: every listed review and page through the unified pipeline once (the
// session's and the disk's caches skip what has not changed; reviews in volumes this run does
// not make are read for their front matter only), the author's stylesheet, and the checks on
// what they hold together: the covers the manifest names, volumes left empty by drafts. I/O:
// reads the review, page, stylesheet and cover files.
import type {VFile} from 'vfile'
import {checkCovers} from '../check/covers.js'
import type {LoadedPage} from '../model.js'
import {readStylesheet, type Stylesheet} from '../project/assets/stylesheet.js'
import {checkDraftVolumes} from '../project/inputs.js'
import {pageSpecs} from '../project/manifest.js'
import {loadPages, loadReviews, type Conversion, type LoadedReviews, type ReviewCache} from '../review/load.js'
import type {Project} from './load-project.js'
import type {ResolvedOptions} from './options.js'

export interface Converted {
  loaded: LoadedReviews
  pages: Map<string, LoadedPage>
  style: Stylesheet
}

export async function convertReviews(
  project: Project,
  options: ResolvedOptions,
  files: VFile[],
  conversion: Conversion,
  reviews: ReviewCache
): Promise<Converted> {
  const {manifest, selection} = project
  const started = performance.now()
  const chosen = selection.some
    ? new Set(manifest.volumes.filter((volume) => selection.volumes.has(volume.number)).flatMap((volume) => volume.reviews.map((entry) => entry.path)))
    : undefined
  const loaded = await loadReviews(manifest, options.cwd, files, conversion, project.readable, {
    cache: reviews,
    drafts: options.drafts,
    inBooks: chosen && ((entry) => chosen.has(entry.path))
  })
  const pages = await loadPages(pageSpecs(manifest), options.cwd, files, conversion, manifest.file, (page) => project.readablePage(page.path))
  const style = await readStylesheet(manifest, options.cwd, project.bytesOf)
  if (style.file) files.push(style.file)
  options.onProgress({type: 'reviews', count: loaded.reviews.size + loaded.drafts.size, converted: loaded.converted, ms: performance.now() - started})
  await checkCovers(manifest, selection)
  checkDraftVolumes(manifest, loaded.reviews, loaded.drafts, selection)
  return {loaded, pages, style}
}
