// One build, start to finish: read the manifest and the reviews (I/O), process each review
// once, assemble the books, render them, and write them all or none (I/O). The only module
// that sequences stages. Returns every file's messages and what was written; never prints.
import {createHash} from 'node:crypto'
import {readFile, stat} from 'node:fs/promises'
import {existsSync} from 'node:fs'
import path from 'node:path'
import type {Element, Root} from 'hast'
import type {Node as UnistNode, Position} from 'unist'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import {assembleBooks, type Book, type Review, type ReviewImage} from './book.js'
import {hasErrors, hasWarnings, report} from './diagnostics.js'
import {checkImageBytes} from './images.js'
import {parseManifest, type Manifest, type ReviewEntry} from './manifest.js'
import {checkManifest, isSafeEntry} from './manifest-rules.js'
import {chapterFileName, imageAssetName} from './names.js'
import {createProcessor, type ReviewProcessor} from './processor.js'
import {renderEpub} from './render-epub.js'
import {renderNav, renderNcx, renderOpf} from './render-package.js'
import {coverImageName, renderPages} from './render-pages.js'
import {listReviewFolder, readReview, decode} from './reviews.js'
import {stylesheet} from './style.js'
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
      report(manifestFile, {reason: `The manifest could not be read (${error.code ?? String(error)})`, ruleId: 'missing-manifest', severity: 'error'})
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
  const reviews = await processReviews(manifest, cwd, files, processor, (entry) => present.has(entry.path) && isSafeEntry(manifest, entry))
  checkCovers(manifest, selection.volumes)
  if (hasErrors(files) || (options.strict && hasWarnings(files))) return result()

  const modified = await modifiedDate(options.sourceDateEpoch, manifest, reviews)
  const books = assembleBooks(manifest, reviews, selection, modified.toISOString().replace(/\.\d{3}Z$/, 'Z'))
  const bytesOf = imageReader(manifest.root)
  const outputs: Array<OutputFile & {book: Book}> = []
  for (const book of books) outputs.push({name: book.fileName, book, bytes: await renderBook(book, processor, bytesOf, modified, manifest)})
  if (hasErrors(files) || (options.strict && hasWarnings(files))) return result()

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

async function processReviews(manifest: Manifest, cwd: string, files: VFile[], processor: ReviewProcessor, readable: (entry: ReviewEntry) => boolean): Promise<Map<string, Review>> {
  const entries = manifest.volumes.flatMap((volume) => volume.reviews)
  const chapterFiles = uniqueChapterFiles(entries.map((entry) => entry.name))
  const seen = new Set<string>()
  const processed = await Promise.all(
    entries.map(async (entry, index) => {
      // A review listed twice is reported by the manifest rules; read it once.
      if (!readable(entry) || seen.has(entry.path)) return undefined
      seen.add(entry.path)
      return processReview(processor, entry, await readReview(entry.path, cwd), chapterFiles[index]!)
    })
  )
  const reviews = new Map<string, Review>()
  for (const item of processed) {
    if (!item) continue
    const {file, review} = item
    files.push(file)
    if (review) reviews.set(review.entry.path, review)
  }
  return reviews
}

/** Limits that keep one odd file from exhausting memory or the stack; real reviews are far below. */
export const limits = {reviewBytes: 5_000_000, nesting: 100}

async function processReview(processor: ReviewProcessor, entry: Review['entry'], file: VFile, chapterFile: string): Promise<{file: VFile; review?: Review}> {
  if (hasErrors([file])) return {file}
  const size = Buffer.byteLength(String(file.value))
  if (size > limits.reviewBytes) {
    report(file, {reason: `The review is too large (${(size / 1e6).toFixed(1)} MB; at most ${limits.reviewBytes / 1e6} MB); split it or remove embedded data`, ruleId: 'review-too-large', severity: 'error', place: {line: 1, column: 1}})
    return {file}
  }
  let tree: Root
  try {
    const mdast = processor.parse(file)
    const deepest = deepestNode(mdast)
    if (deepest.depth > limits.nesting) {
      report(file, {reason: `The review is nested too deeply (${deepest.depth} levels, such as block quotes inside block quotes; at most ${limits.nesting})`, ruleId: 'review-too-large', severity: 'error', place: deepest.node.position?.start})
      return {file}
    }
    tree = (await processor.run(mdast, file)) as Root
  } catch (error) {
    // A review the pipeline cannot handle is that review's problem, not a crash of the build.
    report(file, {reason: `The review could not be converted: ${error instanceof Error ? error.message : String(error)}`, ruleId: 'unprocessable-review', severity: 'error', place: {line: 1, column: 1}, note: 'Please report this with the file, so the converter can learn to handle it.'})
    return {file}
  }
  const meta = file.data.meta
  if (!meta) return {file}
  const images: ReviewImage[] = []
  visit(tree, 'element', (node: Element) => {
    const imagePath = node.data?.imagePath
    if (imagePath && typeof node.properties.src === 'string' && !images.some((image) => image.path === imagePath)) {
      images.push({path: imagePath, name: node.properties.src.replace(/^images\//, ''), place: node.position})
    }
  })
  return {file, review: {entry, file, meta, tree, chapterFile, images}}
}

/** The deepest node of a tree, found without recursion (the tree may be deeper than the stack). */
function deepestNode(tree: UnistNode): {depth: number; node: UnistNode} {
  let deepest = {depth: 0, node: tree}
  const stack: Array<{node: UnistNode; depth: number}> = [{node: tree, depth: 0}]
  while (stack.length > 0) {
    const {node, depth} = stack.pop()!
    if (depth > deepest.depth) deepest = {depth, node}
    const children = (node as {children?: UnistNode[]}).children
    if (children) for (const child of children) stack.push({node: child, depth: depth + 1})
  }
  return deepest
}

/** Chapter file names from review names, made unique in manifest order. */
function uniqueChapterFiles(names: string[]): string[] {
  const used = new Set<string>()
  return names.map((name) => {
    const base = chapterFileName(name).replace(/\.xhtml$/, '')
    let candidate = `${base}.xhtml`
    for (let n = 2; used.has(candidate); n++) candidate = `${base}-${n}.xhtml`
    used.add(candidate)
    return candidate
  })
}

function checkCovers(manifest: Manifest, selected: number[] | undefined): void {
  const specs = [...manifest.volumes.filter((volume) => selected === undefined || selected.includes(volume.number)), ...(manifest.collection ? [manifest.collection] : [])]
  for (const spec of specs) {
    if (spec.cover && !existsSync(spec.cover)) {
      report(manifest.file, {reason: `Cover \`${path.relative(manifest.root, spec.cover)}\` does not exist`, ruleId: 'missing-image', severity: 'error', place: spec.coverPlace})
    } else if (spec.cover && !/\.(png|jpe?g)$/i.test(spec.cover)) {
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
  const inputs = [path.resolve(manifest.file.cwd, manifest.file.path), ...[...reviews.values()].flatMap((review) => [review.entry.path, ...review.images.map((image) => image.path)])]
  const times = await Promise.all(inputs.map((input) => stat(input).then((s) => s.mtimeMs, () => 0)))
  return new Date(Math.floor(Math.max(0, ...times) / 1000) * 1000)
}

/** Reads each image once, checking its bytes; problems go on the file that shows it. */
type ImageReader = (file: string, owner: VFile, place: Position | undefined) => Promise<Uint8Array | undefined>

function imageReader(root: string): ImageReader {
  const cache = new Map<string, Promise<Uint8Array | undefined>>()
  return (file, owner, place) => {
    let pending = cache.get(file)
    if (!pending) {
      pending = readFile(file).then(
        (bytes) => {
          const problem = checkImageBytes(file, bytes)
          if (problem) report(owner, {reason: problem, ruleId: 'image-format', severity: 'error', place})
          return problem ? undefined : bytes
        },
        (error: NodeJS.ErrnoException) => {
          report(owner, {reason: `Image \`${path.relative(root, file)}\` could not be read (${error.code ?? String(error)})`, ruleId: 'missing-image', severity: 'error', place})
          return undefined
        }
      )
      cache.set(file, pending)
    }
    return pending
  }
}

async function renderBook(book: Book, processor: ReviewProcessor, bytesOf: ImageReader, modified: Date, manifest: Manifest): Promise<Uint8Array> {
  const pages = renderPages(book, (tree) => processor.stringify(tree))
  const images = new Map<string, Uint8Array>()
  for (const review of book.parts.flatMap((part) => part.reviews)) {
    for (const image of review.images) {
      if (images.has(image.name)) continue
      const bytes = await bytesOf(image.path, review.file, image.place)
      if (bytes) images.set(image.name, bytes)
    }
  }
  const contentImages = [...images.keys()].sort()
  const cover = coverImageName(book)
  if (book.cover && cover) {
    const spec = book.kind === 'collection' ? manifest.collection : manifest.volumes.find((volume) => volume.number === book.position)
    const bytes = await bytesOf(book.cover, manifest.file, spec?.coverPlace)
    if (bytes) images.set(cover, bytes)
  }
  const input = {book, pages, images: contentImages}
  return renderEpub({
    title: book.title,
    language: book.language,
    identifier: book.identifier,
    css: stylesheet,
    pages,
    nav: renderNav(input),
    ncx: renderNcx(input),
    opf: renderOpf(input),
    images: [...images].map(([name, bytes]) => ({name, bytes})).sort((a, b) => a.name.localeCompare(b.name)),
    modified
  })
}
