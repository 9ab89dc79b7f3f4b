// Converting many reviews at once: the same compileSource, run on the main thread for a few
// reviews or spread over worker threads (one per core) for many (or for one long one). Each
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
import {createProcessor, type ReviewProcessor} from './processor.js'
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

  constructor(readonly config: PipelineConfig) {
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

/** Below this many conversions, starting worker threads costs more than it saves. */
export const workerThreshold = 48
/**
 * A review this long takes the main thread long enough that Ctrl+C would wait for it
 * (signals are handled between tasks): it is converted on a worker, whatever the count.
 */
export const longText = 100_000

/** Converts every job, on worker threads when there are many (or one is long) and more than one core. */
export async function convertAll(jobs: readonly Job[], config: PipelineConfig, local: () => Converter): Promise<JobResult[]> {
  const cores = availableParallelism()
  const long = jobs.some((job) => job.text.length > longText)
  if ((jobs.length < workerThreshold && !long) || cores < 2 || process.env.BUILD_VOLUMES_WORKERS === '0') {
    const converter = local()
    const results: JobResult[] = []
    let yielded = performance.now()
    for (const job of jobs) {
      results.push(converter.convert(job))
      // Let a signal (Ctrl+C) or another event through now and then.
      if (performance.now() - yielded > 50) {
        await new Promise((resolve) => setImmediate(resolve))
        yielded = performance.now()
      }
    }
    return results
  }
  const count = Math.max(1, Math.min(cores, 8, Math.ceil(jobs.length / 24)))
  const results: JobResult[] = new Array(jobs.length)
  // Small batches keep both cores busy to the end; each message carries several reviews.
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
        let pending: number[] = []
        const send = () => {
          if (next >= jobs.length) {
            void worker.terminate().then(() => resolve())
            return
          }
          pending = []
          for (let n = 0; n < batch && next < jobs.length; n++) pending.push(next++)
          worker.postMessage(pending.map((index) => jobs[index]))
        }
        worker.on('message', (answers: JobResult[]) => {
          answers.forEach((answer, n) => (results[pending[n]!] = answer))
          send()
        })
        worker.on('error', reject)
        worker.on('exit', (code) => {
          if (next < jobs.length || pending.some((index) => results[index] === undefined)) reject(new Error(`A conversion worker stopped (exit code ${code})`))
        })
        send()
      })
    })
  )
  return results
}
