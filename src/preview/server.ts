// The preview server: builds one volume in memory (no zip, nothing written), serves it on
// localhost through site.ts, watches its inputs, rebuilds what changed and tells
// every open page to reload over server-sent events. Input errors are shown in the page
// and reported to `onBuild`; the server keeps running. I/O (HTTP, fs.watch).
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import path from 'node:path'
import {BuildSession} from '../build/session.js'
import {previewPrefix, sitePage} from './site.js'
import {clockTime} from '../shared/clock.js'
import {diagnosticsOf, type Diagnostic} from '../shared/diagnostics.js'
import {stylesheet} from '../render/style.js'
import {serially} from '../build/rebuild.js'
import {watchInputs, watchTargets, type Watcher} from '../build/watch.js'
import type {BuildResult, PreparedBook} from '../model.js'
import {BuildError} from '../shared/errors.js'

export interface PreviewOptions {
  manifest: string
  cwd: string
  volume: number
  drafts?: boolean | undefined
  /** Undefined: 4000, or the next free port up to 4019. 0: any free port. */
  port?: number | undefined
  host?: string | undefined
  /** Called after every build, the first included. */
  onBuild?: ((build: PreviewBuild) => void) | undefined
}

export interface PreviewBuild {
  result: BuildResult | undefined
  /** A problem outside the input files, such as a volume the manifest no longer has. */
  error: string | undefined
  problems: Diagnostic[]
  ms: number
  first: boolean
}

export interface Preview {
  url: string
  /** Rebuild now (the watcher calls this on every change). */
  rebuild(): Promise<void>
  close(): Promise<void>
}

export const defaultPort = 4000

export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const session = new BuildSession({
    manifest: options.manifest,
    cwd: options.cwd,
    volumes: [options.volume],
    collection: false,
    mode: 'preview',
    drafts: options.drafts
  })
  const manifestPath = path.resolve(options.cwd, options.manifest)
  const state: {prepared: PreparedBook | undefined; problems: Diagnostic[]; stylesheet: string; builtAt: string} = {
    prepared: undefined,
    problems: [],
    stylesheet,
    builtAt: ''
  }
  const clients = new Set<ServerResponse>()
  let watcher: Watcher | undefined

  const runBuild = async (first: boolean): Promise<PreviewBuild> => {
    const started = performance.now()
    let result: BuildResult | undefined
    let error: string | undefined
    try {
      result = await session.run()
    } catch (caught) {
      // The first build fails loudly (a volume that is not in the manifest is a usage error).
      if (first || !(caught instanceof BuildError)) throw caught
      error = caught.message
    }
    state.problems = result
      ? diagnosticsOf(result.files)
      : [
          {
            file: options.manifest,
            line: null,
            column: null,
            endLine: null,
            endColumn: null,
            severity: 'error',
            message: error ?? 'The preview could not be built',
            ruleId: null,
            note: null
          }
        ]
    // Keep showing the last good book's pages only when this build produced one.
    state.prepared = result?.prepared[0]
    state.stylesheet = state.prepared?.css ?? stylesheet
    state.builtAt = clockTime()
    if (result && result.inputs.length > 0) {
      const targets = watchTargets(manifestPath, result.manifest, result.inputs)
      if (watcher) watcher.update(targets)
    }
    return {result, error, problems: state.problems, ms: performance.now() - started, first}
  }

  const rebuild = serially(async () => {
    const build = await runBuild(false)
    options.onBuild?.(build)
    for (const client of clients) client.write(`event: reload\ndata: ${state.builtAt}\n\n`)
  })

  const firstBuild = await runBuild(true)
  options.onBuild?.(firstBuild)

  const server = createServer((request, response) => handle(request, response))
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, {allow: 'GET, HEAD'}).end()
      return
    }
    if (url.pathname === `${previewPrefix}events`) {
      response.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive'})
      response.write(`retry: 500\n\n`)
      clients.add(response)
      request.on('close', () => clients.delete(response))
      return
    }
    let page
    try {
      page = sitePage(url.pathname, state)
    } catch {
      page = {status: 400, type: 'text/plain; charset=utf-8', body: 'Bad request'}
    }
    response.writeHead(page.status, {'content-type': page.type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(page.body)})
    response.end(request.method === 'HEAD' ? undefined : page.body)
  }

  const port = await listen(server, options.port, options.host ?? '127.0.0.1')
  const targets = watchTargets(manifestPath, firstBuild.result?.manifest, firstBuild.result?.inputs ?? [])
  watcher = watchInputs(targets, () => void rebuild())
  const host = options.host ?? '127.0.0.1'
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    rebuild,
    async close() {
      watcher?.close()
      for (const client of clients) client.end()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** Listen on the port asked for; with none asked, on 4000 or the next free one. */
async function listen(server: Server, port: number | undefined, host: string): Promise<number> {
  const candidates = port === undefined ? Array.from({length: 20}, (_, index) => defaultPort + index) : [port]
  for (const candidate of candidates) {
    const outcome = await new Promise<number | NodeJS.ErrnoException>((resolve) => {
      const onError = (error: NodeJS.ErrnoException) => resolve(error)
      server.once('error', onError)
      server.listen(candidate, host, () => {
        server.off('error', onError)
        const address = server.address()
        resolve(typeof address === 'object' && address ? address.port : candidate)
      })
    })
    if (typeof outcome === 'number') return outcome
    if (outcome.code !== 'EADDRINUSE' || candidate === candidates[candidates.length - 1]) {
      const reason =
        outcome.code === 'EADDRINUSE'
          ? `port ${candidate} is in use${port === undefined ? ` (and so are ${defaultPort}–${candidate - 1})` : ''}; pick another with --port, or --port 0 for any free one`
          : `${outcome.message}`
      throw new BuildError(`The preview could not listen on ${host}: ${reason}`, 3, {cause: outcome})
    }
  }
  throw new BuildError('The preview found no free port', 3)
}
