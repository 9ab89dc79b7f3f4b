// Converting many reviews at once: the same compileSource, run on the main thread for a little
// text, or spread over worker threads (one per core) for much (or for one long review). Each
// job records what it asked of the world outside its text (does this image exist), so a
// cached result can be checked against today's answers. Runs worker threads; asks whether
// files exist, reads none.
import {existsSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {Worker} from 'node:worker_threads'
import {compileSource, type CompiledSource} from './compile.js'
import {imageAssetName} from '../shared/names.js'
import type {ReviewProcessor} from './processor.js'
import type {FieldMap, RatingScale} from '../model.js'

/** What the pipeline depends on besides a review's own text: plain data, sent to workers once. */
export interface PipelineConfig {
  root: string
  cwd: string
  language: string
  quotes: 'double' | 'single' | undefined
  fields: FieldMap | undefined
  ratingScale: RatingScale
  drafts: boolean | undefined
  /** The author's site addresses (`site:`), under which links may name reviews. */
  sites: string[]
}

export interface Job {
  /** `meta`: the front matter only, for a review in a volume this build does not make. */
  kind: 'review' | 'page' | 'meta'
  /** Absolute path, and the path messages name (relative to `cwd`). */
  path: string
  reportPath: string
  text: string
}

/** The answers a conversion depended on; a cached result holds while they hold. */
export interface Probes {
  /** Files checked for existence (images), with the answer. */
  exists: Array<[string, boolean]>
}

export interface JobResult {
  compiled: CompiledSource
  probes: Probes
}

/** Converts jobs one after another with processors built from `config` (used on every thread). */
export class Converter {
  private readonly exists = new Map<string, boolean>()
  private readonly processors: Record<Job['kind'], ReviewProcessor>

  /**
   * The pipeline's modules (unified, micromark, parse5, …) are most of what the tool loads, so
   * they are loaded only when a review is converted: a build from the cache never needs them.
   */
  static async create(config: PipelineConfig): Promise<Converter> {
    const {createProcessor} = await import('./processor.js')
    return new Converter(config, createProcessor)
  }

  private constructor(
    readonly config: PipelineConfig,
    createProcessor: typeof import('./processor.js').createProcessor
  ) {
    const common = {
      language: config.language,
      sites: config.sites,
      root: config.root,
      exists: (file: string) => {
        const answer = existsSync(file)
        this.exists.set(file, answer)
        return answer
      },
      assetName: (file: string) => imageAssetName(config.root, file),
      quotes: config.quotes
    }
    this.processors = {
      review: createProcessor({...common, fields: config.fields, ratingScale: config.ratingScale, drafts: config.drafts}),
      page: createProcessor({...common, kind: 'page'}),
      meta: createProcessor({...common, fields: config.fields, ratingScale: config.ratingScale, drafts: config.drafts, kind: 'meta'})
    }
  }

  convert(job: Job): JobResult {
    this.exists.clear()
    const compiled = compileSource(this.processors[job.kind], job.text, job.reportPath, this.config.cwd, job.kind)
    return {compiled, probes: {exists: [...this.exists]}}
  }
}

/**
 * Below this much text (in characters, about 40 reviews of 1,000 words), a worker thread costs
 * more than it saves: starting one loads the whole pipeline again, which takes about as long as
 * converting this much text on the main thread, where the pipeline is loaded already.
 */
export const workerText = 256 * 1024
/**
 * A review this long takes the main thread long enough that Ctrl+C would wait for it
 * (signals are handled between tasks): it is converted on a worker, whatever the count.
 */
export const longText = 100_000

/**
 * Converts every job. On the main thread when the text is short (or there is one core);
 * otherwise on worker threads, no more than one per core and than the text pays for, taking
 * the next jobs from one queue. The main thread then never loads the pipeline: its memory
 * stays the books', and each worker's goes when it ends. `BUILD_VOLUMES_WORKERS=0` keeps
 * everything on the main thread; `=1` (for tests) uses workers whatever the amount of text.
 */
export async function convertAll(jobs: readonly Job[], config: PipelineConfig, local: () => Promise<Converter>, alone?: () => void): Promise<JobResult[]> {
  // Nothing to convert (a build from the cache): the pipeline is not even loaded.
  if (jobs.length === 0) return []
  const cores = availableParallelism()
  const total = jobs.reduce((sum, job) => sum + job.text.length, 0)
  const long = jobs.some((job) => job.text.length > longText)
  const setting = process.env.BUILD_VOLUMES_WORKERS
  const results: JobResult[] = new Array(jobs.length)
  // Run from the TypeScript sources (the tests, through tsx), a worker would compile every module
  // again before its first review: there, workers are started only when forced (`=1`) or for a
  // review long enough that Ctrl+C must not wait for it.
  const fromSources = import.meta.url.endsWith('.ts')
  const mainOnly = setting === '0' || (setting !== '1' && (cores < 2 || (!long && (fromSources || total < workerText))))
  if (mainOnly) {
    alone?.()
    await convertHere(jobs, await local(), results)
    return results
  }
  const count = Math.max(1, Math.min(cores, 8, Math.ceil(total / workerText)))
  // Small batches keep every worker busy to the end; each message carries several reviews.
  const batch = Math.max(1, Math.min(16, Math.floor(jobs.length / (count * 8))))
  let next = 0
  const here = fileURLToPath(import.meta.url)
  const script = path.join(path.dirname(here), `worker${path.extname(here)}`)
  // Run from TypeScript sources (the tests, through tsx), a worker registers tsx first.
  const start = (workerData: PipelineConfig) =>
    script.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then(({register}) => { register(); return import(${JSON.stringify(pathToFileURL(script).href)}) })`, {
          eval: true,
          workerData
        })
      : new Worker(script, {workerData})
  await Promise.all(
    Array.from({length: count}, () => {
      const worker = start(config)
      return new Promise<void>((resolve, reject) => {
        // Two batches in flight: the worker converts the next while its last answer travels back.
        const inFlight: number[][] = []
        const send = () => {
          const indexes: number[] = []
          while (indexes.length < batch && next < jobs.length) indexes.push(next++)
          if (indexes.length === 0) return false
          inFlight.push(indexes)
          worker.postMessage(indexes.map((index) => jobs[index]))
          return true
        }
        const finish = () => void worker.terminate().then(() => resolve())
        worker.on('message', (answers: JobResult[]) => {
          const indexes = inFlight.shift()!
          answers.forEach((answer, n) => (results[indexes[n]!] = answer))
          send()
          if (inFlight.length === 0) finish()
        })
        worker.on('error', reject)
        worker.on('exit', (code) => {
          if (inFlight.length > 0) reject(new Error(`A conversion worker stopped (exit code ${code})`))
        })
        if (send()) send()
        else finish()
      })
    })
  )
  return results
}

/** Converts the jobs on this thread, in order, into `results`. */
async function convertHere(jobs: readonly Job[], converter: Converter, results: JobResult[]): Promise<void> {
  let yielded = performance.now()
  for (const [index, job] of jobs.entries()) {
    results[index] = converter.convert(job)
    // Let a signal (Ctrl+C) or another event through now and then.
    if (performance.now() - yielded > 50) {
      await new Promise((resolve) => setImmediate(resolve))
      yielded = performance.now()
    }
  }
}
