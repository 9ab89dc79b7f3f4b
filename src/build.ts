// One build, start to finish: read the manifest and the reviews (I/O), process each review
// once, assemble the books, render them, and write them all or none (I/O). The only module
// that sequences stages. Returns every file's messages and what was written; never prints.
import {createHash} from 'node:crypto'
import {existsSync} from 'node:fs'
import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {assembleBooks, type Book, type Review} from './book.js'
import {describeOsError, failed, report} from './diagnostics.js'
import {loadReviews} from './load-reviews.js'
import {bookSpecs, parseManifest, type Manifest} from './manifest.js'
import {checkManifest, isInside, isSafeEntry} from './manifest-rules.js'
import {imageAssetName} from './names.js'
import {createProcessor} from './processor.js'
import {imageReader, renderBook} from './render-book.js'
import {decode, listReviewFolder} from './reviews.js'
import {BuildError, writeOutputs, type OutputFile} from './write.js'

export {BuildError}

export interface BuildOptions {
  /** Path of volumes.yaml (default `volumes.yaml` in `cwd`). */
  manifest?: string | undefined
  cwd?: string | undefined
  /** Output folder; overrides the manifest's `output`. */
  out?: string | undefined
  /** Only these volume numbers (the collection is then skipped). */
  volumes?: number[] | undefined
  collection?: boolean | undefined
  /** Warnings fail the build. */
  strict?: boolean | undefined
  /** `false` validates and renders but writes nothing. */
  write?: boolean | undefined
  /** Seconds since the epoch, as in the `SOURCE_DATE_EPOCH` convention. */
  sourceDateEpoch?: string | undefined
}

export interface BuildOutput {
  kind: 'volume' | 'collection'
  volume: number | undefined
  title: string
  path: string
  bytes: number
  sha256: string
  reviews: number
}

export interface BuildResult {
  files: VFile[]
  outputs: BuildOutput[]
  written: boolean
  outDir: string | undefined
}

export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd())
  const manifestPath = path.resolve(cwd, options.manifest ?? 'volumes.yaml')
  const manifestFile = new VFile({path: path.relative(cwd, manifestPath) || manifestPath, cwd})
  const files: VFile[] = [manifestFile]
  const result = (outputs: BuildOutput[] = [], written = false, outDir?: string): BuildResult => ({files, outputs, written, outDir})

  const text = await readFile(manifestPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') {
      report(manifestFile, {reason: `No manifest at \`${manifestPath}\`; create a volumes.yaml there, or give its path with \`--manifest\``, ruleId: 'missing-manifest', severity: 'error'})
    } else {
      report(manifestFile, {reason: `The manifest could not be read: ${describeOsError(error)}`, ruleId: 'missing-manifest', severity: 'error'})
    }
    return undefined
  })
  if (text === undefined) return result()
  manifestFile.value = decode(text, manifestFile)
  const manifest = parseManifest(manifestFile)
  if (!manifest) return result()
  if (options.out) manifest.outputDir = path.resolve(cwd, options.out)
  const folder = {files: await listReviewFolder(manifest.reviewsDir)}
  checkManifest(manifest, folder)
  const selection = selectVolumes(manifest, options)
  // Go on to the reviews even when the manifest has problems, so one run reports them all;
  // only reviews that exist inside the reviews folder are read.
  const present = new Set(folder.files.map((name) => path.resolve(manifest.reviewsDir, name)))

  const entries = manifest.volumes.flatMap((volume) => volume.reviews)
  const processor = createProcessor({
    language: manifest.language,
    reviews: new Set(entries.map((entry) => entry.path)),
    root: manifest.root,
    exists: existsSync,
    assetName: (file) => imageAssetName(manifest.root, file)
  })
  const reviews = await loadReviews(manifest, cwd, files, processor, (entry) => present.has(entry.path) && isSafeEntry(manifest, entry))
  checkCovers(manifest, selection.volumes)
  if (failed(files, options.strict)) return result()

  const modified = await modifiedDate(options.sourceDateEpoch, manifest, reviews)
  const books = assembleBooks(manifest, reviews, selection, modified.toISOString().replace(/\.\d{3}Z$/, 'Z'))
  const bytesOf = imageReader(manifest.root)
  const outputs: Array<OutputFile & {book: Book}> = []
  for (const book of books) outputs.push({name: book.fileName, book, bytes: await renderBook(book, (tree) => processor.stringify(tree), bytesOf, modified, manifest.file)})
  if (failed(files, options.strict)) return result()

  const summary = outputs.map(({name, bytes, book}) => ({
    kind: book.kind,
    volume: book.position,
    title: book.title,
    path: path.join(manifest.outputDir, name),
    bytes: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    reviews: book.parts.reduce((sum, part) => sum + part.reviews.length, 0)
  }))
  if (options.write === false) return result(summary, false, manifest.outputDir)
  await writeOutputs(manifest.outputDir, outputs)
  return result(summary, true, manifest.outputDir)
}

function selectVolumes(manifest: Manifest, options: BuildOptions): {volumes: number[] | undefined; collection: boolean} {
  const known = manifest.volumes.map((volume) => volume.number)
  const unknown = (options.volumes ?? []).filter((number) => !known.includes(number))
  if (unknown.length) {
    throw new BuildError(`No volume ${unknown.join(', ')} in ${manifest.file.path}; the volumes are ${known.sort((a, b) => a - b).join(', ')}`, 2)
  }
  const onlySome = options.volumes !== undefined && options.volumes.length > 0
  if (onlySome && manifest.collection && options.collection !== false) {
    report(manifest.file, {reason: `The collection is not built when \`--volume\` picks volumes; only volume ${options.volumes!.join(', ')} will be written`, ruleId: 'collection-skipped', severity: 'info'})
  }
  return {volumes: onlySome ? options.volumes : undefined, collection: !onlySome && options.collection !== false}
}

function checkCovers(manifest: Manifest, selected: number[] | undefined): void {
  const specs = [...manifest.volumes.filter((volume) => selected === undefined || selected.includes(volume.number)), ...(manifest.collection ? [manifest.collection] : [])]
  for (const spec of specs) {
    // A cover outside the project is reported by the manifest rules and never looked at.
    if (!spec.cover || !isInside(manifest.root, spec.cover)) continue
    if (!existsSync(spec.cover)) {
      report(manifest.file, {reason: `Cover \`${path.relative(manifest.root, spec.cover)}\` does not exist`, ruleId: 'missing-image', severity: 'error', place: spec.coverPlace})
    } else if (!/\.(png|jpe?g)$/i.test(spec.cover)) {
      report(manifest.file, {reason: `Cover \`${path.relative(manifest.root, spec.cover)}\` must be a JPEG or PNG image`, ruleId: 'image-format', severity: 'error', place: spec.coverPlace})
    }
  }
}

/** `SOURCE_DATE_EPOCH` when given; otherwise the newest input's modification time (never the clock). */
async function modifiedDate(epoch: string | undefined, manifest: Manifest, reviews: ReadonlyMap<string, Review>): Promise<Date> {
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) throw new BuildError(`SOURCE_DATE_EPOCH must be a whole number of seconds, got \`${epoch}\``, 2)
    return new Date(Number(epoch) * 1000)
  }
  const covers = bookSpecs(manifest).flatMap((spec) => (spec.cover ? [spec.cover] : []))
  const inputs = [path.resolve(manifest.file.cwd, manifest.file.path), ...covers, ...[...reviews.values()].flatMap((review) => [review.entry.path, ...review.images.map((image) => image.path)])]
  const times = await Promise.all(inputs.map((input) => stat(input).then((s) => s.mtimeMs, () => 0)))
  return new Date(Math.floor(Math.max(0, ...times) / 1000) * 1000)
}

