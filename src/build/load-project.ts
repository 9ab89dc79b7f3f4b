// Stage 1, the project: read volumes.yaml (a regular file, UTF-8, of a manifest's size), parse
// and shape it, list the reviews folder, apply the cross-reference rules, and decide which
// books this run makes. Every problem goes on the manifest's file; undefined when there is no
// manifest to go on with. I/O: reads the manifest and lists the reviews folder.
import path from 'node:path'
import {VFile} from 'vfile'
import type {Manifest, ReviewEntry, Selection} from '../model.js'
import {imageReader, type ImageReader} from '../project/assets/images.js'
import {parseManifest} from '../project/manifest.js'
import {checkManifest, isSafeEntry} from '../project/manifest-rules.js'
import {decodeText, listReviewFolder} from '../project/review-files.js'
import {report} from '../shared/diagnostics.js'
import {isInside, resolvesInsideOf} from '../shared/paths.js'
import {describeProblem, readRegularFile} from '../shared/read-file.js'
import {selectBooks, type ResolvedOptions} from './options.js'

/** A manifest of 100,000 reviews is some 4 MB; past this size it is not a manifest. */
const manifestLimit = 8_000_000

export interface Project {
  manifest: Manifest
  /** The manifest's text: the conversion settings depend on it. */
  text: string
  selection: Selection
  /** Whether a listed review may be read: it exists, inside the reviews folder, and is no link leading out. */
  readable: (entry: ReviewEntry) => boolean
  /** Whether a page the manifest names may be read: inside the project, and no link leading out. */
  readablePage: (file: string) => boolean
  /** Reads each image once this run, checked; shared by reviews, the stylesheet and covers. */
  bytesOf: ImageReader
}

export async function loadProject(options: ResolvedOptions, manifestFile: VFile): Promise<Project | undefined> {
  const read = await readRegularFile(options.manifestPath, manifestLimit)
  if (!('bytes' in read)) {
    const reason =
      read.problem === 'os' && read.error.code === 'ENOENT'
        ? `No manifest at \`${options.manifestPath}\`; create a volumes.yaml there, or give its path with \`--manifest\``
        : `The manifest could not be read: ${describeProblem(read, manifestLimit)}`
    report(manifestFile, {reason, ruleId: 'missing-manifest', severity: 'error'})
    return undefined
  }
  const {text, ok} = decodeText(read.bytes, manifestFile)
  if (!ok) return undefined
  manifestFile.value = text
  const manifest = parseManifest(manifestFile)
  if (!manifest) return undefined
  if (options.out) manifest.outputDir = options.out
  const folder = await listReviewFolder(manifest.root, manifest.reviewsDir)
  checkManifest(manifest, folder)
  const selection = selectBooks(manifest, options)
  // The reviews are read even when the manifest has problems, so one run reports them all;
  // only those that exist inside the reviews folder are read.
  const present = new Set(folder.files.map((name) => path.resolve(manifest.reviewsDir, name)))
  // A review that is a symbolic link to a file outside the project is refused, never read.
  const insideProject = resolvesInsideOf(manifest.root)
  for (const entry of manifest.volumes.flatMap((volume) => volume.reviews)) {
    if (present.has(entry.path) && isSafeEntry(manifest, entry) && !insideProject(entry.path)) {
      report(manifest.file, {
        reason: `Review \`${entry.name}\` is a symbolic link to a file outside the project; it is not read`,
        ruleId: 'unsafe-path',
        severity: 'error',
        place: entry.place,
        note: 'Copy the review into the reviews folder instead of linking to it.'
      })
      present.delete(entry.path)
    }
  }
  return {
    manifest,
    text,
    selection,
    readable: (entry) => present.has(entry.path) && isSafeEntry(manifest, entry),
    readablePage: (file) => isInside(manifest.root, file) && insideProject(file),
    bytesOf: imageReader(manifest.root)
  }
}
