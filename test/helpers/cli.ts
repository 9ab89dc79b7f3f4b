// Running the compiled command line from tests: once to completion, or as a long-running
// process (watch, preview) whose stderr a test waits on. `npm test` compiles first.
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import path from 'node:path'
import {repoRoot} from './project.js'

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

/** Runs to the end; `env` values of undefined remove that variable. */
export function runCli(args: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], {cwd, env: environment(env)}, (error, stdout, stderr) => {
      resolve({code: error ? Number((error as {code?: number}).code ?? 1) : 0, stdout, stderr})
    })
  })
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
    waitFor(pattern, {from = 0, ms = 15_000} = {}) {
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
