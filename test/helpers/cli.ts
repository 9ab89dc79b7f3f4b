// Running the compiled command line from tests: once to completion (in a warm process that
// has it loaded, or a fresh one), or as a long-running process (watch, preview) whose stderr
// a test waits on. `npm test` compiles first.
import {execFile, fork, spawn, type ChildProcess} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {compiledCopy, repoRoot} from './project.js'

export const bin = path.join(repoRoot, 'bin', 'build-volumes.js')

export interface Run {
  code: number
  stdout: string
  stderr: string
}

function environment(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', SOURCE_DATE_EPOCH: '1700000000'}
  delete base.FORCE_COLOR
  // The tests' own CI may be GitHub Actions: the tool would then add annotations to stdout.
  delete base.GITHUB_ACTIONS
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete base[key]
    else base[key] = value
  }
  return base
}

/**
 * Runs to the end; `env` values of undefined remove that variable. By default in the warm
 * command line (cli-worker.ts), which runs it as a fresh process would, minus the start-up;
 * `fresh: true` starts a process of its own, for a test whose point is the process itself.
 * Colour and the time zone are decided when a process starts, so a command line that sets
 * them gets its own process too.
 */
export function runCli(args: string[], cwd: string, env: Record<string, string | undefined> = {}, {fresh = false}: {fresh?: boolean} = {}): Promise<Run> {
  const full = environment(env)
  if (fresh || full.FORCE_COLOR !== undefined || !full.NO_COLOR || full.TZ !== undefined || process.env.CLI_FRESH === '1') return runFresh(args, cwd, full)
  return warm().then((worker) => worker.run(args, cwd, full))
}

function runFresh(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], {cwd, env}, (error, stdout, stderr) => {
      resolve({code: error ? Number((error as {code?: number}).code ?? 1) : 0, stdout, stderr})
    })
  })
}

interface Worker {
  run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run>
}

let worker: Promise<Worker> | undefined

/** The warm command line of this test process: started on first use, one command at a time. */
function warm(): Promise<Worker> {
  worker ??= new Promise((resolve, reject) => {
    // Under `npm test` (tools/run-compiled.mjs), the worker's compiled copy, in plain Node;
    // else its source, through tsx (whose loader costs a process 0.2 s of CPU).
    const source = fileURLToPath(new URL('cli-worker.ts', import.meta.url))
    const compiled = compiledCopy(source)
    const script = compiled ?? source
    const child = fork(script, [], {
      cwd: repoRoot,
      env: environment({}),
      execArgv: compiled ? [] : ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc']
    })
    // Whatever it writes outside a command (a crash) is the test's to see.
    child.stderr!.pipe(process.stderr)
    const pending = new Map<number, {resolve(run: Run): void; reject(error: Error): void}>()
    let next = 0
    let queue = Promise.resolve()
    // The test process may end while the worker waits; not while it runs a command.
    const hold = (on: boolean) => {
      for (const handle of [child, child.channel, child.stderr] as unknown as Array<{ref(): void; unref(): void} | undefined>)
        if (on) handle?.ref()
        else handle?.unref()
    }
    child.on('message', (message: {ready?: boolean; id?: number; code?: number; stdout?: string; stderr?: string}) => {
      if (message.ready) {
        hold(false)
        resolve({
          run(args, cwd, env) {
            const result = queue.then(
              () =>
                new Promise<Run>((done, fail) => {
                  const id = next++
                  pending.set(id, {resolve: done, reject: fail})
                  hold(true)
                  child.send({id, args, cwd, env})
                })
            )
            queue = result.then(
              () => hold(false),
              () => hold(false)
            )
            return result
          }
        })
        return
      }
      const waiting = pending.get(message.id!)
      pending.delete(message.id!)
      waiting?.resolve({code: message.code!, stdout: message.stdout!, stderr: message.stderr!})
    })
    child.on('exit', (code, signal) => {
      const error = new Error(`The warm command line (test/helpers/cli-worker.ts) ended (${signal ?? code}) while it ran a command`)
      for (const waiting of pending.values()) waiting.reject(error)
      pending.clear()
      reject(error)
      worker = undefined
    })
  })
  return worker
}

export interface LongRun {
  child: ChildProcess
  /** Everything written to stderr so far. */
  stderr(): string
  /** Resolves with the match once stderr (after `from`) matches; rejects after `ms`. */
  waitFor(pattern: RegExp, options?: {from?: number; ms?: number}): Promise<RegExpMatchArray>
  /** Sends SIGINT and resolves with the exit code. */
  stop(): Promise<number | null>
}

export function startCli(args: string[], cwd: string, env: Record<string, string | undefined> = {}): LongRun {
  const child = spawn(process.execPath, [bin, ...args], {cwd, env: environment(env), stdio: ['ignore', 'pipe', 'pipe']})
  let stderr = ''
  const listeners = new Set<() => void>()
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
    for (const listener of listeners) listener()
  })
  child.stdout!.resume()
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    child,
    stderr: () => stderr,
    waitFor(pattern, {from = 0, ms = 45_000} = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = stderr.slice(from).match(pattern)
          if (!match) return false
          listeners.delete(check)
          clearTimeout(timer)
          resolve(match)
          return true
        }
        const timer = setTimeout(() => {
          listeners.delete(check)
          reject(new Error(`Timed out after ${ms} ms waiting for ${pattern} in stderr:\n${stderr}`))
        }, ms)
        if (!check()) listeners.add(check)
        void exited.then((code) => {
          if (listeners.has(check)) {
            listeners.delete(check)
            clearTimeout(timer)
            reject(new Error(`The process exited (${code}) before ${pattern} appeared:\n${stderr}`))
          }
        })
      })
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT')
      return exited
    }
  }
}
