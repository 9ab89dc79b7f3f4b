// `import`: an export in, review files out. Open the archive (zip or folder, defensively),
// let the platform's reader turn it into posts, choose the reviews, name them, decide per
// file what a re-import may do, download the images of the files to be written, and write
// everything (reviews, images, the import record, a starting volumes.yaml) all or nothing.
// Any error stops before writing; the report says what was written, left or skipped, and why.
// I/O: reads the export and the reviews folder, downloads images, writes the reviews folder.
import {readdir, stat} from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {parseManifest} from '../project/manifest.js'
import {decodeText} from '../project/review-files.js'
import {failed, report} from '../shared/diagnostics.js'
import {BuildError} from '../shared/errors.js'
import {isInside} from '../shared/paths.js'
import {describeProblem, readRegularFile} from '../shared/read-file.js'
import {writeOutputs, type OutputFile, type WriteState} from '../output/write.js'
import {openArchive} from './archive.js'
import {fetchImages, type FetchLike, type ImageLimits, type ImageOutcome, type ImageSource} from './images.js'
import {
  addressBook,
  assignNames,
  chronological,
  decide,
  imageAddresses,
  locateImage,
  recordKey,
  resolveLink,
  reviewText,
  type Action,
  type Existing
} from './plan.js'
import {digest, emptyRecord, formatRecord, parseRecord, recordName, type ImportRecord} from './record.js'
import {selectPosts, type Filters, type Skipped} from './select.js'
import {readers, sourceNames} from './sources/index.js'
import {reviewsSnippet, splitVolumes, starterManifest} from './starter.js'
import type {ImportedPost, SourceName} from './types.js'

export interface ImportOptions {
  source: SourceName
  /** The export (zip or folder), as given. */
  archive: string
  cwd: string
  /** volumes.yaml, as given. */
  manifest: string
  /** The reviews folder, when not the manifest's. */
  into?: string | undefined
  dryRun?: boolean | undefined
  /** Download remote images (the default); false keeps their web addresses. */
  download?: boolean | undefined
  /** Replace reviews imported before, unedited since, whose post changed. */
  update?: boolean | undefined
  strict?: boolean | undefined
  filters?: Filters | undefined
  /** Split a new volumes.yaml into this many volumes (else by year). */
  volumes?: number | undefined
  series?: string | undefined
  author?: string | undefined
  fetch?: FetchLike | undefined
  imageLimits?: Partial<ImageLimits> | undefined
  sleep?: ((ms: number) => Promise<void>) | undefined
  writeState?: WriteState | undefined
  /** A line of progress for a person waiting (downloads). */
  onProgress?: ((message: string) => void) | undefined
}

export interface ImportedReview {
  /** The review file, as the report shows it (relative to the working folder when inside it). */
  file: string
  action: Action
  /** Where in the export the post came from: the entry, and its row or item's line in a data file (`reviews.csv:12`). */
  entry: string
  /** The post's key on its platform (its id or address): what a re-import recognises it by. */
  key: string
  title: string
  /** Images the review shows from files in the reviews folder. */
  images: number
}

export interface ImportResult {
  source: SourceName
  archive: string
  dryRun: boolean
  written: boolean
  reviewsDir: string
  reviews: ImportedReview[]
  skipped: Array<{entry: string; title: string; why: Skipped['why'] | 'exists'; reason: string}>
  images: {downloaded: number; fromExport: number; alreadyThere: number; failed: number; remote: number; toDownload: number}
  /** volumes.yaml: written new, left as it was (with a snippet of the new reviews), or not touched. */
  manifest: {path: string; action: 'written' | 'exists' | 'none'; snippet: string | undefined}
  files: VFile[]
}

const writeWords = {
  what: 'the imported reviews',
  existing: 'the files already there',
  edition: 'version',
  one: 'a review file',
  retry: 'import again'
}

/** Runs an import. Problems in the input are messages on `files`; a BuildError is a usage or output problem. */
export async function runImport(options: ImportOptions): Promise<ImportResult> {
  const reader = readers[options.source]
  const shown = (file: string) => {
    const relative = path.relative(options.cwd, file)
    return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? file : relative
  }
  const manifestPath = path.resolve(options.cwd, options.manifest)
  const files: VFile[] = []
  const manifestFile = new VFile({path: shown(manifestPath), cwd: options.cwd})
  files.push(manifestFile)
  const result: ImportResult = {
    source: options.source,
    archive: options.archive,
    dryRun: Boolean(options.dryRun),
    written: false,
    reviewsDir: '',
    reviews: [],
    skipped: [],
    images: {downloaded: 0, fromExport: 0, alreadyThere: 0, failed: 0, remote: 0, toDownload: 0},
    manifest: {path: shown(manifestPath), action: 'none', snippet: undefined},
    files
  }

  // Where the reviews go: --into, else the manifest's folder, else `reviews` beside the manifest.
  const manifestRead = await readRegularFile(manifestPath, 8_000_000)
  const manifestExists = !('problem' in manifestRead && manifestRead.problem === 'os' && manifestRead.error.code === 'ENOENT')
  let reviewsDir = options.into === undefined ? path.join(path.dirname(manifestPath), 'reviews') : path.resolve(options.cwd, options.into)
  if (manifestExists && options.into === undefined) {
    if (!('bytes' in manifestRead)) {
      report(manifestFile, {
        reason: `The manifest could not be read: ${describeProblem(manifestRead, 8_000_000)}`,
        ruleId: 'missing-manifest',
        severity: 'error'
      })
      return result
    }
    const {text, ok} = decodeText(manifestRead.bytes, manifestFile)
    if (!ok) return result
    manifestFile.value = text
    const manifest = parseManifest(manifestFile)
    if (!manifest) {
      report(manifestFile, {
        reason: 'The import needs to know the reviews folder from volumes.yaml, which has the problems above',
        ruleId: 'import-unreadable',
        severity: 'error',
        note: 'Fix volumes.yaml, or name the folder with `--into`.'
      })
      return result
    }
    reviewsDir = manifest.reviewsDir
  }
  result.reviewsDir = reviewsDir
  const there = await stat(reviewsDir).catch(() => undefined)
  if (there && !there.isDirectory())
    throw new BuildError(`The reviews folder ${shown(reviewsDir)} is a file; choose a folder with --into (nothing was written)`, 3)

  // The export.
  const archiveFile = new VFile({path: options.archive, cwd: options.cwd})
  files.push(archiveFile)
  const archive = await openArchive(path.resolve(options.cwd, options.archive), archiveFile)
  if (!archive) return result
  if (!reader.recognises(archive)) {
    const others = sourceNames.filter((name) => name !== options.source && readers[name].recognises(archive))
    report(archiveFile, {
      reason: `\`${options.archive}\` does not look like a ${label(options.source)} export: ${expected[options.source]}`,
      ruleId: 'import-format',
      severity: 'error',
      note: others.length
        ? `It looks like a ${others.map(label).join(' or ')} export: try \`build-volumes import ${others[0]} ${options.archive}\`.`
        : `Export again from ${label(options.source)} (the README says where to click) and give the zip, or the folder it unpacks to.`
    })
    return result
  }
  const {posts, publication} = await reader.read(archive)
  files.push(...archive.opened)
  if (failed(files, false)) return result

  // The reviews folder as it is.
  const existing = await readExisting(reviewsDir, files, options.cwd)
  const {kept, skipped} = selectPosts(posts, options.filters ?? {})
  result.skipped = skipped.map(({post, why, reason}) => ({entry: whereIn(post), title: post.title, why, reason}))
  const ordered = chronological(kept)
  const {names, blocked} = assignNames(ordered, existing.state)
  for (const [post, name] of blocked) {
    result.skipped.push({
      entry: whereIn(post),
      title: post.title,
      why: 'exists',
      reason: `\`${name}\` is already in the reviews folder, not written by an import; it may be this review, so it is left alone`
    })
  }
  const book = addressBook(names)
  const archivePaths = new Set(archive.paths)

  // Each post's text with its images as tokens: the digest of the post as exported decides what happens to its file.
  const nonce = Math.random().toString(36).slice(2, 10)
  interface Work {
    post: ImportedPost
    name: string
    action: Action
    converted: string
    tokens: Map<string, {address: string; source: ImageSource | undefined}>
    input: string
    film: boolean
  }
  const work: Work[] = []
  for (const post of ordered) {
    const name = names.get(post)
    if (name === undefined) continue
    const tokens = new Map<string, {address: string; source: ImageSource | undefined}>()
    const located = new Map<string, ImageSource | undefined>()
    for (const address of imageAddresses(post.body)) {
      const where = locateImage(address, post, archivePaths)
      located.set(
        address,
        where === undefined ? undefined : 'entry' in where ? {address: `${archive.name}:${where.entry}`, entry: where.entry} : {address: where.url}
      )
    }
    const {text: converted, film} = reviewText(post, {
      link: (href) => resolveLink(href, post, book),
      image: (src) => {
        const token = `bv-image-${nonce}-${tokens.size}`
        const source = located.get(src.trim())
        tokens.set(token, {address: source && source.entry === undefined ? source.address : src, source})
        return token
      }
    })
    const input = fill(converted, tokens, (token) => token.address)
    const action = decide(post, name, digest(input), existing.state, Boolean(options.update))
    work.push({post, name, action, converted, tokens, input, film: film !== undefined})
  }

  // Images, for the files to be written only.
  const writing = work.filter((item) => item.action === 'new' || item.action === 'update')
  const sources = writing.flatMap((item) => [...item.tokens.values()].flatMap((token) => (token.source ? [token.source] : [])))
  const remoteCount = new Set(sources.filter((source) => source.entry === undefined).map((source) => source.address)).size
  const download = options.download !== false
  if (options.dryRun && download) result.images.toDownload = remoteCount
  let outcomes = new Map<string, ImageOutcome>()
  if (!options.dryRun && (download || sources.some((source) => source.entry !== undefined))) {
    const wanted = download ? sources : sources.filter((source) => source.entry !== undefined)
    if (download && remoteCount > 0) options.onProgress?.(`Downloading ${remoteCount.toLocaleString('en-GB')} ${remoteCount === 1 ? 'image' : 'images'}…`)
    outcomes = await fetchImages(wanted, {archive, fetch: options.fetch, limits: options.imageLimits, sleep: options.sleep})
  }

  const outputs = new Map<string, OutputFile>()
  const relativeReviews = (name: string) => path.relative(writeRootFor(), path.join(reviewsDir, name)).split(path.sep).join('/')
  let writeRoot = reviewsDir
  function writeRootFor(): string {
    return writeRoot
  }
  const imageFiles = new Map<string, Uint8Array>()
  const record: ImportRecord = {version: 1, posts: {...existing.state.record.posts}}
  const reviewFiles: Array<{name: string; text: string}> = []
  for (const item of work) {
    const entryFile = archive.opened.find((file) => file.path === `${archive.name}:${item.post.origin.entry}` || file.path === archive.name) ?? archiveFile
    const place = item.post.origin.line ? {line: item.post.origin.line, column: item.post.origin.column ?? 1} : undefined
    const target = shown(path.join(reviewsDir, item.name))
    let images = 0
    if (item.action === 'new' || item.action === 'update') {
      const text = fill(item.converted, item.tokens, (token) => {
        if (!token.source) return token.address
        const outcome = outcomes.get(token.source.address)
        if (outcome?.ok) {
          images++
          if (existing.images.has(outcome.name.slice('images/'.length))) result.images.alreadyThere++
          else if (!imageFiles.has(outcome.name)) {
            imageFiles.set(outcome.name, outcome.bytes)
            if (token.source.entry !== undefined) result.images.fromExport++
            else result.images.downloaded++
          }
          return outcome.name
        }
        if (outcome) {
          result.images.failed++
          report(entryFile, {
            reason:
              token.source.entry === undefined
                ? `The image ${token.address} in “${item.post.title}” could not be downloaded: ${outcome.reason}; ${item.name} keeps its web address`
                : `The image \`${token.source.entry}\` in “${item.post.title}” could not be used: ${outcome.reason}`,
            ruleId: 'import-image',
            severity: 'warning',
            place,
            note:
              token.source.entry === undefined
                ? `The build warns about a web address in a review until the image is in the reviews folder: save it into ${shown(path.join(reviewsDir, 'images'))} and point the review at it, or import again later.`
                : 'Export again, or put the picture into the reviews folder by hand and point the review at it.'
          })
        } else if (token.source.entry === undefined && !options.dryRun) result.images.remote++
        return token.address
      })
      reviewFiles.push({name: item.name, text})
      record.posts[recordKey(item.post)] = {file: item.name, sha256: digest(text), input: digest(item.input)}
      if (!item.film) {
        report(entryFile, {
          reason: `The title “${item.post.title}” does not say which film and year (as “Her (2013)” or “Review: Her (2013)”), so ${item.name} keeps it whole as its \`title\``,
          ruleId: 'import-title',
          severity: 'info',
          place,
          note: `Put the film's title in \`title:\` and its release year in \`year:\` in ${target}, for the contents and the indexes.`
        })
      }
    } else if (item.action === 'conflict') {
      const reviewFile = new VFile({path: target, cwd: options.cwd})
      files.push(reviewFile)
      report(reviewFile, {
        reason: `${item.name} was edited since it was imported, and its post (${item.post.origin.entry}) has changed in the export too; your version is kept`,
        ruleId: 'import-conflict',
        severity: 'warning',
        note: "To take the export's version, move yours aside and import again with `--update`; then copy your edits back."
      })
    }
    result.reviews.push({file: target, action: item.action, entry: whereIn(item.post), key: item.post.key, title: item.post.title, images})
  }

  // volumes.yaml: a new one when there is none (and the reviews folder is inside its folder); else a snippet.
  const listed = work.filter((item) => item.action !== 'deleted').map((item) => ({post: item.post, name: item.name}))
  let manifestText: string | undefined
  const reviewsFromManifest = path.relative(path.dirname(manifestPath), reviewsDir).split(path.sep).join('/')
  if (!manifestExists && listed.length > 0 && isInside(path.dirname(manifestPath), reviewsDir) && reviewsFromManifest !== '') {
    const starter = starterManifest(splitVolumes(listed, options.volumes), publication, {
      volumes: options.volumes,
      series: options.series,
      author: options.author,
      reviews: reviewsFromManifest,
      source: options.source,
      archive: path.basename(options.archive)
    })
    manifestText = starter.text
    manifestFile.value = starter.text
    result.manifest.action = 'written'
    if (!options.author && !publication.author) {
      report(manifestFile, {
        reason: 'The export does not name its author, so the new volumes.yaml says `author: Your Name`; put your name there before you publish',
        ruleId: 'import-author',
        severity: 'warning',
        place: starter.authorLine ? {line: starter.authorLine, column: 1} : undefined,
        note: 'Or import with `--author "Your Name"`.'
      })
    }
  } else {
    const fresh = work.filter((item) => item.action === 'new').map((item) => item.name)
    result.manifest.action = manifestExists ? 'exists' : 'none'
    if (fresh.length > 0) result.manifest.snippet = reviewsSnippet(fresh, options.source)
  }

  // All or nothing: the reviews, their images, the record and volumes.yaml under one root.
  if (failed(files, options.strict)) return result
  writeRoot = manifestText === undefined ? reviewsDir : path.dirname(manifestPath)
  for (const review of reviewFiles) outputs.set(relativeReviews(review.name), {name: relativeReviews(review.name), bytes: Buffer.from(review.text)})
  for (const [name, bytes] of imageFiles) outputs.set(relativeReviews(name), {name: relativeReviews(name), bytes})
  const recordText = formatRecord(record)
  if (outputs.size > 0 || (existing.recordText !== undefined && existing.recordText !== recordText))
    outputs.set(relativeReviews(recordName), {name: relativeReviews(recordName), bytes: Buffer.from(recordText)})
  if (manifestText !== undefined) outputs.set(path.basename(manifestPath), {name: path.basename(manifestPath), bytes: Buffer.from(manifestText)})
  if (options.dryRun || outputs.size === 0) return result
  await writeOutputs(writeRoot, [...outputs.values()], options.writeState, writeWords)
  result.written = true
  return result
}

/** The text with each image token replaced by an address (Markdown-safe: spaces and brackets escaped). */
function fill(
  text: string,
  tokens: ReadonlyMap<string, {address: string; source: ImageSource | undefined}>,
  address: (token: {address: string; source: ImageSource | undefined}) => string
): string {
  let out = text
  for (const [token, value] of tokens) out = out.split(token).join(address(value).replace(/[ ()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
  return out
}

interface ExistingFolder {
  state: Existing
  trusted: boolean
  /** The record file's text, when there is one. */
  recordText: string | undefined
  /** Names in the folder's `images/`. */
  images: Set<string>
}

async function readExisting(reviewsDir: string, files: VFile[], cwd: string): Promise<ExistingFolder> {
  const names = await readdir(reviewsDir).catch(() => [] as string[])
  const images = new Set(await readdir(path.join(reviewsDir, 'images')).catch(() => [] as string[]))
  const recordPath = path.join(reviewsDir, recordName)
  const read = await readRegularFile(recordPath, 50_000_000)
  let record = emptyRecord()
  let trusted = true
  let recordText: string | undefined
  if ('bytes' in read) {
    recordText = read.bytes.toString('utf8')
    const file = new VFile({path: path.relative(cwd, recordPath) || recordPath, value: recordText, cwd})
    files.push(file)
    ;({record, trusted} = parseRecord(file))
  } else if (!(read.problem === 'os' && read.error.code === 'ENOENT')) {
    trusted = false
    const file = new VFile({path: path.relative(cwd, recordPath) || recordPath, cwd})
    files.push(file)
    report(file, {
      reason: `The import record could not be read: ${describeProblem(read, 50_000_000)}; this import only adds new files and overwrites none`,
      ruleId: 'import-record',
      severity: 'warning'
    })
  }
  const texts = new Map<string, string>()
  for (const entry of Object.values(record.posts)) {
    const got = await readRegularFile(path.join(reviewsDir, entry.file), 20_000_000)
    if ('bytes' in got) texts.set(entry.file, got.bytes.toString('utf8'))
  }
  return {state: {files: new Set(names), texts, record}, trusted, recordText, images}
}

/** A post's place in the export as the report shows it: a data file's line, a post file alone. */
function whereIn(post: ImportedPost): string {
  return /\.(csv|xml)$/i.test(post.origin.entry) && post.origin.line ? `${post.origin.entry}:${post.origin.line}` : post.origin.entry
}

function label(source: SourceName): string {
  return {medium: 'Medium', substack: 'Substack', letterboxd: 'Letterboxd', wordpress: 'WordPress'}[source]
}

const expected: Record<SourceName, string> = {
  medium: 'a Medium export has a `posts/` folder of HTML files (from Settings → Security and apps → Download your information)',
  substack: 'a Substack export has `posts.csv` and a `posts/` folder (from Settings → Exports → New export)',
  letterboxd: 'a Letterboxd export has `reviews.csv` (from Settings → Data → Export your data)',
  wordpress: 'a WordPress export is one WXR file (`.xml`) from Tools → Export'
}
