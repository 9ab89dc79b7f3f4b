// The content-hash cache on disk (`.build-volumes-cache/` beside volumes.yaml; safe to
// delete at any time). Each converted review is stored under the hash of everything its
// conversion read: this tool's own code and version, the Node version, the pipeline settings
// from volumes.yaml, the file's path and its text. A hit is used only while the outside
// answers it depended on still hold (its images exist).
// A changed review, manifest setting, or tool therefore misses exactly what it must. Every
// entry names its key and its body's digest, checked on read: a damaged one is a miss. I/O.
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {readdir, readFile, rename, rm, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {makeFolder, processAlive} from '../shared/folders.js'
import {fileURLToPath} from 'node:url'
import {describeOsError} from '../shared/diagnostics.js'
import type {Job, JobResult, PipelineConfig} from './jobs.js'

export const cacheFolderName = '.build-volumes-cache'
/** Bump when the stored form changes (2: a header line with the key and the body's digest). */
const format = 3

let fingerprint: string | undefined
const pipelinePackages = [
  'unified',
  'remark-parse',
  'remark-frontmatter',
  'remark-gfm',
  'remark-rehype',
  'rehype-raw',
  'rehype-sanitize',
  'rehype-stringify',
  'retext',
  'retext-smartypants',
  'yaml',
  'vfile',
  'css-tree',
  '@rgrove/parse-xml',
  'xast-util-to-xml',
  '@resvg/resvg-js',
  'sharp',
  '@expo-google-fonts/eb-garamond'
]

/** This tool's code (every module beside this one), its version, its pipeline's packages, and Node's: a new tool misses. */
function toolFingerprint(): string {
  if (fingerprint) return fingerprint
  const hash = createHash('sha256').update(`${format}\0${process.versions.node}\0`)
  // Every module of the tool and its package.json: the bundle the command line runs (lib/bundle,
  // all its code in one folder), or else the modules beside this one (src/ or lib/, this file's
  // folder's parent).
  const folder = path.dirname(fileURLToPath(import.meta.url))
  const bundled = path.basename(folder) === 'bundle'
  const here = bundled ? folder : path.resolve(folder, '..')
  const packageJson = path.join(here, bundled ? '../..' : '..', 'package.json')
  hash.update(readFileSync(packageJson, 'utf8'))
  for (const name of (readdirSync(here, {recursive: true}) as string[]).filter((file) => /\.(js|ts)$/.test(file)).sort()) {
    hash.update(`\0${name}\0`).update(readFileSync(path.join(here, name)))
  }
  // The pipeline's packages: an update within the ranges package.json allows changes output too.
  for (const name of pipelinePackages) hash.update(`\0${name}@${packageVersion(name)}`)
  fingerprint = hash.digest('hex')
  return fingerprint
}

/** A package's version, from the package.json above its entry point (export maps hide the file itself). */
function packageVersion(name: string): string {
  try {
    let dir = path.dirname(fileURLToPath(import.meta.resolve(name)))
    for (;;) {
      const file = path.join(dir, 'package.json')
      if (existsSync(file)) {
        const found = JSON.parse(readFileSync(file, 'utf8')) as {name?: string; version?: string}
        if (found.name === name) return found.version ?? 'unknown'
      }
      const parent = path.dirname(dir)
      if (parent === dir) return 'unknown'
      dir = parent
    }
  } catch {
    return 'absent'
  }
}

/**
 * The stored form of every entry: one header line naming what the entry answers (its key) and
 * the digest of what follows, then the body. Whatever damaged an entry (a killed write, a full
 * disk, a hand edit, two files swapped), it no longer matches the header its reader expects.
 */
function header(key: string, body: Uint8Array): string {
  return `build-volumes-cache ${format} ${key} sha256:${createHash('sha256').update(body).digest('hex')}\n`
}

/** The body of `bytes` when they are the entry for `key`, whole; otherwise undefined. */
function verified(key: string, bytes: Buffer): Buffer | undefined {
  const end = bytes.indexOf(0x0a)
  if (end < 0) return undefined
  const body = bytes.subarray(end + 1)
  return bytes.toString('latin1', 0, end + 1) === header(key, body) ? body : undefined
}

export type OpenedCache = {cache: ReviewDiskCache; unusable?: undefined} | {cache?: undefined; unusable: string}

/**
 * The cache in `dir`, or why that folder cannot be used. A build that writes makes the folder
 * and checks it can write there; one that only reads (`check`) needs nothing made, so a folder
 * that does not exist yet is fine for it.
 */
export async function openReviewCache(dir: string, config: PipelineConfig, writable: boolean): Promise<OpenedCache> {
  if (!writable) {
    const info = await stat(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : error))
    if (info instanceof Error) return {unusable: describeOsError(info)}
    if (info && !info.isDirectory()) return {unusable: 'it is a file, not a folder'}
    return {cache: new ReviewDiskCache(dir, config, writable)}
  }
  try {
    await makeFolder(dir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    // mkdir says ENOENT both for a missing parent (made first, so not here) and where no folder can be made at all.
    return {unusable: code === 'ENOENT' ? 'no folder can be made there (ENOENT)' : code === 'EEXIST' ? 'it is a file, not a folder' : describeOsError(error)}
  }
  // A folder can exist and still take no files (read-only, another user's, /proc).
  const probe = path.join(dir, `probe.${process.pid}.tmp`)
  try {
    await writeFile(probe, '')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return {unusable: code === 'ENOENT' ? 'no file can be written in it (ENOENT)' : `no file can be written in it: ${describeOsError(error)}`}
  }
  await rm(probe, {force: true}).catch(() => {})
  return {cache: new ReviewDiskCache(dir, config, writable)}
}

/** A temporary file's writer, from its name (`<entry>.<pid>.tmp`). */
const temporaryName = /\.(\d+)\.tmp$/
/** Older than this, a temporary file is left over even if a process has its pid now (pids are reused). */
const temporaryAge = 24 * 60 * 60 * 1000
/**
 * Written longer ago than this, an entry a build did not use may go. Younger ones stay: they
 * may be another series' that shares the folder, or a review edited back (`git checkout`).
 */
export const staleAge = 24 * 60 * 60 * 1000

export class ReviewDiskCache {
  private readonly settings: string
  /** File names of the entries this build read or wrote (the ones pruning keeps). */
  private readonly used = new Set<string>()

  constructor(
    readonly dir: string,
    config: PipelineConfig,
    private readonly writable: boolean
  ) {
    this.settings = JSON.stringify(config)
  }

  key(job: Job): string {
    return createHash('sha256')
      .update(toolFingerprint())
      .update('\0')
      .update(this.settings)
      .update('\0')
      .update(job.kind)
      .update('\0')
      .update(job.reportPath)
      .update('\0')
      .update(job.text)
      .digest('hex')
  }

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`)
  }

  /** The stored result, if there is one, it is whole, and what it depended on still holds. */
  async get(key: string): Promise<JobResult | undefined> {
    const body = await this.read(key, this.file(key))
    if (!body) return undefined
    try {
      const stored = JSON.parse(body.toString('utf8')) as JobResult & {list?: string}
      const {probes} = stored
      if (probes.exists.some(([file, present]) => existsSync(file) !== present)) return undefined
      this.used.add(path.basename(this.file(key)))
      return {compiled: stored.compiled, probes}
    } catch {
      // Only an entry this tool wrote gets here, but a cache is never worth a crash.
      return undefined
    }
  }

  async set(key: string, result: JobResult): Promise<void> {
    await this.store(key, this.file(key), Buffer.from(JSON.stringify(result)))
  }

  /** Other results kept by name, such as drawn covers (stored under the tool's fingerprint too). */
  async getBlob(name: string): Promise<Uint8Array | undefined> {
    const key = this.blobKey(name)
    const body = await this.read(key, this.blobFile(key))
    if (body) this.used.add(path.basename(this.blobFile(key)))
    return body
  }

  /** Keeps a stored blob through this build's pruning without reading it. */
  keepBlob(name: string): void {
    this.used.add(path.basename(this.blobFile(this.blobKey(name))))
  }

  async setBlob(name: string, bytes: Uint8Array): Promise<void> {
    const key = this.blobKey(name)
    await this.store(key, this.blobFile(key), bytes)
  }

  /** An entry's body when the file is the whole entry for `key`; anything else is a miss, and the next store replaces it. */
  private async read(key: string, file: string): Promise<Buffer | undefined> {
    const bytes = await readFile(file).catch(() => undefined)
    return bytes && verified(key, bytes)
  }

  /** Written whole or not at all (a temporary file renamed into place), and only when writable. */
  private async store(key: string, file: string, body: Uint8Array): Promise<void> {
    this.used.add(path.basename(file))
    if (!this.writable) return
    const temporary = `${file}.${process.pid}.tmp`
    try {
      await makeFolder(path.dirname(file))
      await writeFile(temporary, Buffer.concat([Buffer.from(header(key, body), 'latin1'), body]))
      await rename(temporary, file)
    } catch {
      // A cache that cannot be written only makes the next build slower.
      await rm(temporary, {force: true}).catch(() => {})
    }
  }

  private blobKey(name: string): string {
    return createHash('sha256').update(toolFingerprint()).update('\0').update(name).digest('hex')
  }

  private blobFile(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.bin`)
  }

  /**
   * Keeps the folder from growing without end: when it holds far more entries than this build
   * used, those it did not use that were written more than a day ago go (a day's edits, and
   * another series sharing the folder, stay). Temporary files whose writer has died (a killed
   * build) always go.
   */
  async prune(): Promise<void> {
    if (!this.writable) return
    const entries: string[] = []
    const temporaries: string[] = []
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const found = temporaryName.test(name)
        ? [name]
        : (await readdir(path.join(this.dir, name)).catch(() => [] as string[])).map((inner) => path.join(name, inner))
      for (const entry of found) (temporaryName.test(entry) ? temporaries : entries).push(entry)
    }
    const now = Date.now()
    const writtenBefore = async (entry: string, age: number) => {
      const info = await stat(path.join(this.dir, entry)).catch(() => undefined)
      return info !== undefined && now - info.mtimeMs > age
    }
    const leftOver = async (entry: string) => !processAlive(Number(temporaryName.exec(entry)![1])) || (await writtenBefore(entry, temporaryAge))
    const unused = entries.length > Math.max(64, this.used.size * 3) ? entries.filter((entry) => !this.used.has(path.basename(entry))) : []
    const doomed = [
      ...(await Promise.all(temporaries.map(async (entry) => ((await leftOver(entry)) ? [entry] : [])))).flat(),
      ...(await Promise.all(unused.map(async (entry) => ((await writtenBefore(entry, staleAge)) ? [entry] : [])))).flat()
    ]
    await Promise.all(doomed.map((entry) => rm(path.join(this.dir, entry), {force: true}).catch(() => {})))
  }
}
