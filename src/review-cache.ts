// The content-hash cache on disk (`.build-volumes-cache/` beside volumes.yaml; safe to
// delete at any time). Each converted review is stored under the hash of everything its
// conversion read: this tool's own code and version, the Node version, the pipeline settings
// from volumes.yaml, the file's path and its text. A hit is used only while the outside
// answers it depended on still hold (its images exist, its links point at listed reviews).
// A changed review, manifest setting, or tool therefore misses exactly what it must. I/O.
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {mkdir, readdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Job, JobResult, PipelineConfig} from './review-jobs.js'

export const cacheFolderName = '.build-volumes-cache'
/** Bump when the stored form changes. */
const format = 1

let fingerprint: string | undefined
const pipelinePackages = ['unified', 'remark-parse', 'remark-frontmatter', 'remark-gfm', 'remark-rehype', 'rehype-raw', 'rehype-sanitize', 'rehype-stringify', 'retext', 'retext-smartypants', 'yaml', 'vfile', '@resvg/resvg-js', '@expo-google-fonts/eb-garamond']

/** This tool's code (every module beside this one), its version, its pipeline's packages, and Node's: a new tool misses. */
function toolFingerprint(): string {
  if (fingerprint) return fingerprint
  const hash = createHash('sha256').update(`${format}\0${process.versions.node}\0`)
  const here = path.dirname(fileURLToPath(import.meta.url))
  const packageJson = path.join(here, '..', 'package.json')
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

export class ReviewDiskCache {
  private readonly settings: string
  private readonly reviews: Set<string>
  /** File names of the entries this build read or wrote (the ones pruning keeps). */
  private readonly used = new Set<string>()
  private readonly listHash: string

  constructor(
    readonly dir: string,
    config: PipelineConfig,
    private readonly writable: boolean
  ) {
    const {reviews, ...rest} = config
    this.settings = JSON.stringify(rest)
    this.reviews = new Set(reviews)
    this.listHash = createHash('sha256').update(reviews.join('\0')).digest('hex')
  }

  key(job: Job): string {
    return createHash('sha256').update(toolFingerprint()).update('\0').update(this.settings).update('\0').update(job.kind).update('\0').update(job.reportPath).update('\0').update(job.text).digest('hex')
  }

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`)
  }

  /** The stored result, if there is one and what it depended on still holds. */
  async get(key: string): Promise<JobResult | undefined> {
    const text = await readFile(this.file(key), 'utf8').catch(() => undefined)
    if (text === undefined) return undefined
    let stored: JobResult & {list?: string}
    try {
      stored = JSON.parse(text) as JobResult & {list?: string}
    } catch {
      return undefined
    }
    const {probes} = stored
    if (probes.allReviews && stored.list !== this.listHash) return undefined
    if (probes.reviews.some(([target, listed]) => this.reviews.has(target) !== listed)) return undefined
    if (probes.exists.some(([file, present]) => existsSync(file) !== present)) return undefined
    this.used.add(path.basename(this.file(key)))
    return {compiled: stored.compiled, probes}
  }

  async set(key: string, result: JobResult): Promise<void> {
    await this.store(this.file(key), JSON.stringify({...result, list: this.listHash}))
  }

  /** Other results kept by name, such as drawn covers (stored under the tool's fingerprint too). */
  async getBlob(name: string): Promise<Uint8Array | undefined> {
    const file = this.blobFile(name)
    const bytes = await readFile(file).catch(() => undefined)
    if (bytes) this.used.add(path.basename(file))
    return bytes
  }

  async setBlob(name: string, bytes: Uint8Array): Promise<void> {
    await this.store(this.blobFile(name), bytes)
  }

  /** Written whole or not at all (a temporary file renamed into place), and only when writable. */
  private async store(file: string, data: string | Uint8Array): Promise<void> {
    this.used.add(path.basename(file))
    if (!this.writable) return
    const temporary = `${file}.${process.pid}.tmp`
    try {
      await mkdir(path.dirname(file), {recursive: true})
      await writeFile(temporary, data)
      await rename(temporary, file)
    } catch {
      // A cache that cannot be written only makes the next build slower.
      await rm(temporary, {force: true}).catch(() => {})
    }
  }

  private blobFile(name: string): string {
    const key = createHash('sha256').update(toolFingerprint()).update('\0').update(name).digest('hex')
    return path.join(this.dir, key.slice(0, 2), `${key}.bin`)
  }

  /** Keeps the folder from growing without end: when it holds far more than this build used, the rest goes. */
  async prune(): Promise<void> {
    if (!this.writable) return
    const folders = await readdir(this.dir).catch(() => [] as string[])
    const entries: string[] = []
    for (const folder of folders) for (const name of await readdir(path.join(this.dir, folder)).catch(() => [] as string[])) entries.push(path.join(folder, name))
    if (entries.length <= Math.max(64, this.used.size * 3)) return
    await Promise.all(entries.filter((entry) => !this.used.has(path.basename(entry))).map((entry) => rm(path.join(this.dir, entry), {force: true}).catch(() => {})))
  }
}

