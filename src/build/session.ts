// Builds, start to finish: read the manifest and the reviews (I/O), process each review
// once, assemble the books, render them, and write them all or none (I/O). The only module
// that sequences stages. A BuildSession lives across runs (watch, preview): it keeps every
// converted review while its text and the manifest are unchanged, and rebuilds only the
// books whose inputs changed. Returns every file's messages and what was made; never prints.
import {createHash} from 'node:crypto'
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {linkTable, resolveLinks} from '../book/links.js'
import {assembleBooks, bookInputs, bookSources} from '../book/assemble.js'
import {describeOsError, failed, report} from '../shared/diagnostics.js'
import {loadPages, loadReviews, type Conversion, type ReviewCache} from '../review/load.js'
import {pageSpecs, parseManifest} from '../project/manifest.js'
import {checkManifest, isSafeEntry} from '../project/manifest-rules.js'
import {isInside, resolvesInside} from '../shared/paths.js'
import {cacheFolderName, openReviewCache} from '../review/cache.js'
import {Converter, type PipelineConfig} from '../review/jobs.js'
import {drawCovers, imageReader, packEpub, prepareBook} from '../render/prepare.js'
import {epubcheckBook, findEpubcheck} from '../check/epubcheck.js'
import {preflight} from '../check/preflight.js'
import {checkBook} from '../check/book-check.js'
import {navFile, renderNav} from '../render/package.js'
import {coverImageName} from '../render/pages.js'
import {bookDate, parseSourceDateEpoch, checkCovers, checkDraftVolumes, modificationTimes, type FileTime} from '../project/inputs.js'
import {readStylesheet, type Stylesheet} from '../project/assets/stylesheet.js'
import {decodeText, listReviewFolder} from '../project/review-files.js'
import {describeProblem, readRegularFile} from '../shared/read-file.js'
import {BuildError, writeOutputs, type OutputFile} from '../output/write.js'
import type {Book, BuildOutput, BuildResult, Manifest, PreparedBook, ProgressEvent} from '../model.js'

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
  /** `false` stops before zipping: pages and images only (check, preview). */
  pack?: boolean | undefined
  /** Include reviews marked as drafts. */
  drafts?: boolean | undefined
  /** Also write `SHA256SUMS` (the `sha256sum -c` format) beside the books. */
  checksums?: boolean | undefined
  /** Seconds since the epoch, as in the `SOURCE_DATE_EPOCH` convention. */
  sourceDateEpoch?: string | undefined
  /** Run EPUBCheck (Java) on each book before writing it; its findings are messages. */
  epubcheck?: boolean | undefined
  /**
   * The content-hash cache of converted reviews: a folder, or `false` for none. By default
   * `BUILD_VOLUMES_CACHE` when set (`off` for none), else `.build-volumes-cache` beside
   * volumes.yaml. Builds that write nothing (`check`) only read it.
   */
  cache?: string | false | undefined
  /** Called as the build goes, for progress displays. */
  onProgress?: ((event: ProgressEvent) => void) | undefined
}




export const checksumsFile = 'SHA256SUMS'
/** A manifest of 100,000 reviews is some 4 MB; past this size it is not a manifest. */
const manifestLimit = 8_000_000

/** One build. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  return new BuildSession(options).run()
}

export class BuildSession {
  private readonly options: BuildOptions
  private manifestText: string | undefined
  private conversion: Conversion | undefined
  /** Why the cache folder cannot be used, reported on every run of the conversion that found it. */
  private unusableCache: {dir: string; why: string} | undefined
  private readonly cache: ReviewCache = new Map()
  /** What this session last wrote: book file name → the signature of its inputs, and its output. */
  private readonly written = new Map<string, {signature: string; output: BuildOutput}>()

  constructor(options: BuildOptions = {}) {
    this.options = options
  }

  async run(): Promise<BuildResult> {
    const options = this.options
    const cwd = path.resolve(options.cwd ?? process.cwd())
    // A usage error, found before anything is read.
    const epoch = parseSourceDateEpoch(options.sourceDateEpoch)
    const manifestPath = path.resolve(cwd, options.manifest ?? 'volumes.yaml')
    const manifestFile = new VFile({path: path.relative(cwd, manifestPath) || manifestPath, cwd})
    const files: VFile[] = [manifestFile]
    let manifest: Manifest | undefined
    let inputs: string[] = []
    const result = (outputs: BuildOutput[] = [], written = false, prepared: PreparedBook[] = []): BuildResult => ({files, outputs, written, outDir: manifest?.outputDir, prepared, manifest, inputs})

    const read = await readRegularFile(manifestPath, manifestLimit)
    if (!('bytes' in read)) {
      const reason =
        read.problem === 'os' && read.error.code === 'ENOENT'
          ? `No manifest at \`${manifestPath}\`; create a volumes.yaml there, or give its path with \`--manifest\``
          : `The manifest could not be read: ${describeProblem(read, manifestLimit)}`
      report(manifestFile, {reason, ruleId: 'missing-manifest', severity: 'error'})
      return result()
    }
    const {text, ok} = decodeText(read.bytes, manifestFile)
    if (!ok) return result()
    manifestFile.value = text
    manifest = parseManifest(manifestFile)
    if (!manifest) return result()
    if (options.out) manifest.outputDir = path.resolve(cwd, options.out)
    const folder = await listReviewFolder(manifest.root, manifest.reviewsDir)
    checkManifest(manifest, folder)
    const selection = selectVolumes(manifest, options)
    // Go on to the reviews even when the manifest has problems, so one run reports them all;
    // only reviews that exist inside the reviews folder are read.
    const present = new Set(folder.files.map((name) => path.resolve(manifest!.reviewsDir, name)))

    const started = performance.now()
    const conversion = await this.conversionFor(manifest, text, cwd)
    if (this.unusableCache) {
      report(manifest.file, {
        reason: `The cache folder \`${this.unusableCache.dir}\` cannot be used: ${this.unusableCache.why}; this build goes on without it`,
        ruleId: 'cache-unusable',
        severity: 'warning',
        note: 'The cache only saves time. Point `BUILD_VOLUMES_CACHE` at a folder this user can write, or set it to `off`; unset, the cache is `.build-volumes-cache` beside volumes.yaml, which must then be a folder.'
      })
    }
    // A review that is a symbolic link to a file outside the project is refused, never read.
    for (const entry of manifest.volumes.flatMap((volume) => volume.reviews)) {
      if (present.has(entry.path) && isSafeEntry(manifest, entry) && !resolvesInside(manifest.root, entry.path)) {
        report(manifest.file, {reason: `Review \`${entry.name}\` is a symbolic link to a file outside the project; it is not read`, ruleId: 'unsafe-path', severity: 'error', place: entry.place, note: 'Copy the review into the reviews folder instead of linking to it.'})
        present.delete(entry.path)
      }
    }
    const readable = (entry: Manifest['volumes'][number]['reviews'][number]) => present.has(entry.path) && isSafeEntry(manifest!, entry)
    const chosen = selection.volumes ? new Set(manifest.volumes.filter((volume) => selection.volumes!.includes(volume.number)).flatMap((volume) => volume.reviews.map((entry) => entry.path))) : undefined
    const loaded = await loadReviews(manifest, cwd, files, conversion, readable, {cache: this.cache, drafts: options.drafts, inBooks: chosen && ((entry) => chosen.has(entry.path))})
    const pages = await loadPages(pageSpecs(manifest), cwd, files, conversion, manifest.file, (page) => isInside(manifest!.root, page.path) && resolvesInside(manifest!.root, page.path))
    const bytesOf = imageReader(manifest.root)
    const style = await readStylesheet(manifest, cwd, bytesOf)
    if (style.file) files.push(style.file)
    options.onProgress?.({type: 'reviews', count: loaded.reviews.size + loaded.drafts.size, converted: loaded.converted, ms: performance.now() - started})
    await checkCovers(manifest, selection.volumes)
    checkDraftVolumes(manifest, loaded.reviews, loaded.drafts, selection.volumes)
    if (failed(files, options.strict)) {
      // No book is made, but the images' problems belong in the same report as the rest.
      for (const source of [...loaded.reviews.values(), ...pages.values()]) {
        for (const image of source.images) await bytesOf(image.path, source.file, image.place)
      }
      return result()
    }

    const times = await modificationTimes(manifestPath, manifest, loaded.reviews, pages, loaded.times, style.inputs)
    inputs = [...times.keys()]
    const dateOf = bookDate(epoch, times)
    // Links between reviews (and autolinks) are resolved once the whole series is known.
    const table = linkTable(loaded.all.values(), manifest.volumes.flatMap((volume) => volume.reviews.map((entry) => entry.path)), manifest.sites, manifest.autolink ? loaded.reviews.values() : undefined)
    const reviews = new Map([...loaded.reviews].map(([key, review]) => [key, resolveLinks(review, review.entry.path, table)]))
    for (const [key, draft] of loaded.all) if (!reviews.has(key)) resolveLinks(draft, key, table)
    // What every book shows of the rest of the series: which reviews are left out, and titles
    // (links to another volume's review name it; autolink matches them).
    const seriesKey = JSON.stringify([[...loaded.drafts].sort(), [...loaded.reviews.values()].map((review) => [review.entry.path, review.meta.title]).sort()])
    const linkedPages = new Map([...pages].map(([key, page]) => [key, resolveLinks(page, undefined, table)]))
    const books = assembleBooks(manifest, reviews, selection, (inputs) => dateOf([...inputs, ...(manifest!.stylesheet ? [manifest!.stylesheet.path] : []), ...style.inputs]).toISOString().replace(/\.\d{3}Z$/, 'Z'), linkedPages)
    if (options.pack !== false) drawCovers(books.filter((book) => !this.written.has(book.fileName)), conversion.disk)
    const jar = options.epubcheck ? findEpubcheck() : undefined
    const checks: Array<Promise<void>> = []
    const outputs: BuildOutput[] = []
    const toWrite: OutputFile[] = []
    const prepared: PreparedBook[] = []
    const signatures = new Map<string, string>()
    const checkedImages = new Set<string>()
    for (const book of books) {
      const outPath = path.join(manifest.outputDir, book.fileName)
      const signature = this.signature(book, text, manifestPath, times, seriesKey, style)
      signatures.set(book.fileName, signature)
      const previous = this.written.get(book.fileName)
      if (options.write !== false && previous?.signature === signature && existsSync(outPath)) {
        outputs.push({...previous.output, ms: 0, rebuilt: false})
        continue
      }
      options.onProgress?.({type: 'book-start', title: book.title, path: outPath})
      const bookStarted = performance.now()
      const ready = await prepareBook(book, bytesOf, manifest.file, style, options.pack !== false, conversion.disk)
      // Check, preview and stats read the pages afterwards; a build that writes lets them go.
      if (options.pack === false || options.write === false) prepared.push(ready)
      const epub = options.pack === false ? undefined : await packEpub(ready, new Date(book.modified))
      if (epub) toWrite.push({name: book.fileName, bytes: epub})
      const declared = book.kind === 'volume' ? manifest.volumes.find((volume) => volume.number === book.position)?.numberPlace : manifest.collectionPlace
      preflight({prepared: ready, bytes: epub?.byteLength, manifestFile: manifest.file, place: declared, checkedImages})
      // The drawn cover is in every zipped book, though check and preview never draw it.
      const cover = coverImageName(book)
      // An image that could not be read is reported already; the guard looks for the tool's own mistakes.
      const named = bookSources(book).flatMap((source) => source.images.map((image) => image.name))
      const resources = new Set(['style.css', ...[...ready.images.keys(), ...named, ...(cover ? [cover] : [])].map((name) => `images/${name}`)])
      checkBook(book, ready.pages, [{file: navFile, xhtml: renderNav({book, pages: ready.pages, images: ready.contentImages})}], resources, manifest.file, declared)
      // EPUBCheck is a Java process per book: two at a time use both cores while the next books render.
      if (jar && epub) {
        const checking = epubcheckBook(jar, epub, book.fileName, manifest.file, declared)
        // Awaited below; the handler only stops Node calling it unhandled in the meantime.
        checking.catch(() => {})
        checks.push(checking)
        if (checks.length >= 2) await checks.shift()
      }
      const reviews = book.parts.flatMap((part) => part.reviews)
      const output: BuildOutput = {
        kind: book.kind,
        volume: book.position,
        title: book.title,
        path: outPath,
        bytes: epub ? epub.byteLength : null,
        sha256: epub ? createHash('sha256').update(epub).digest('hex') : null,
        reviews: reviews.length,
        words: reviews.reduce((sum, review) => sum + review.words, 0),
        ms: performance.now() - bookStarted,
        rebuilt: true
      }
      outputs.push(output)
      options.onProgress?.({type: 'book-done', output})
    }
    await Promise.all(checks)
    if (failed(files, options.strict)) return result()
    if (options.write === false || options.pack === false) return result(outputs, false, prepared)

    if (options.checksums) toWrite.push({name: checksumsFile, bytes: Buffer.from(checksums(outputs))})
    if (toWrite.length > 0) await writeOutputs(manifest.outputDir, toWrite)
    await conversion.disk?.prune()
    for (const output of outputs) this.written.set(path.basename(output.path), {signature: signatures.get(path.basename(output.path))!, output})
    return result(outputs, toWrite.length > 0, prepared)
  }

  /** The conversion settings for this manifest text; converted reviews survive only while it is unchanged. */
  private async conversionFor(manifest: Manifest, text: string, cwd: string): Promise<Conversion> {
    if (this.conversion && this.manifestText === text) {
      this.conversion.converted = 0
      return this.conversion
    }
    this.cache.clear()
    this.manifestText = text
    const config: PipelineConfig = {
      root: manifest.root,
      cwd,
      language: manifest.language,
      quotes: manifest.quotes,
      fields: manifest.fields,
      drafts: this.options.drafts,
      sites: manifest.sites,
      reviews: [...new Set(manifest.volumes.flatMap((volume) => volume.reviews).map((entry) => entry.path))]
    }
    let converter: Converter | undefined
    const setting = this.options.cache ?? (process.env.BUILD_VOLUMES_CACHE === 'off' ? false : process.env.BUILD_VOLUMES_CACHE || path.join(manifest.root, cacheFolderName))
    const dir = setting === false ? undefined : path.resolve(cwd, setting)
    const opened = dir === undefined ? undefined : await openReviewCache(dir, config, this.options.write !== false)
    // A folder inside the project is named as the author would write it.
    this.unusableCache = dir && opened?.unusable ? {dir: isInside(cwd, dir) ? path.relative(cwd, dir) || '.' : dir, why: opened.unusable} : undefined
    this.conversion = {config, local: () => (converter ??= new Converter(config)), disk: opened?.cache, converted: 0}
    return this.conversion
  }

  /** Everything a book's bytes depend on; equal signatures mean an identical book. */
  private signature(book: Book, manifestText: string, manifestPath: string, times: ReadonlyMap<string, FileTime>, seriesKey: string, style: Stylesheet): string {
    const hash = createHash('sha256').update(manifestText).update('\0').update(book.fileName).update('\0').update(book.modified).update('\0').update(style.css)
    // The stylesheet's images and fonts: their names are of their paths, so their bytes count here.
    for (const [file, bytes] of [...style.assets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`\0${file}\0`).update(bytes)
    hash.update(seriesKey)
    const texts = new Map(book.parts.flatMap((part) => part.reviews).map((review) => [review.entry.path, textDigest(review.file)]))
    for (const input of bookInputs(book, manifestPath)) {
      const time = times.get(input)
      hash.update(`\0${input}\0${texts.get(input) ?? `${time?.size}:${time?.mtimeMs}`}`)
    }
    return hash.digest('hex')
  }
}

/** A review's text, hashed once per file read (a session keeps unchanged files between runs). */
const digests = new WeakMap<VFile, string>()
function textDigest(file: VFile): string {
  let digest = digests.get(file)
  if (digest === undefined) {
    digest = createHash('sha256').update(String(file.value)).digest('hex')
    digests.set(file, digest)
  }
  return digest
}

/** `sha256sum` format: `<hex>  <name>`, one line per book, sorted by name. */
export function checksums(outputs: readonly BuildOutput[]): string {
  return outputs
    .filter((output) => output.sha256)
    .map((output) => `${output.sha256}  ${path.basename(output.path)}\n`)
    .sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : a.slice(66) > b.slice(66) ? 1 : 0))
    .join('')
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

