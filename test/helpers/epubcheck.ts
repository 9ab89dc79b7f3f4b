// EPUBCheck (the W3C validator) on a built EPUB, through its JSON output. Missing locally:
// the test is skipped with a loud note; with CI=true it fails, since CI installs it.
import {execFile, spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import type {TestContext} from 'node:test'
import {toolAvailable} from './tools.js'

const run = promisify(execFile)
export const epubcheckJar = process.env.EPUBCHECK_JAR ?? '/usr/bin/epubcheck'

export interface EpubcheckResult {
  fatals: number
  errors: number
  warnings: number
  messages: string[]
}

export function epubcheckAvailable(t: TestContext): boolean {
  return toolAvailable(t, {name: 'EPUBCheck', files: [epubcheckJar], install: 'apt-get install -y epubcheck'})
}

/**
 * One EPUBCheck JVM per test process (EpubcheckServer.java, run by Java's source launcher),
 * checking books one after another: the JVM's start-up, not the check, was most of the time.
 * Where that cannot start, each book gets `java -jar` of its own.
 */
interface Server {
  check(file: string, json: string): Promise<void>
}

let server: Promise<Server | undefined> | undefined

function startServer(): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const child = spawn('java', ['-cp', epubcheckJar, fileURLToPath(new URL('EpubcheckServer.java', import.meta.url))], {stdio: ['pipe', 'pipe', 'ignore']})
    const waiting: Array<(line: string) => void> = []
    let buffered = ''
    let ready = false
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk
      let newline
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim()
        buffered = buffered.slice(newline + 1)
        if (!line.startsWith('@@')) continue
        if (!ready && line === '@@ready') {
          ready = true
          resolve(server)
        } else waiting.shift()?.(line)
      }
    })
    child.on('error', () => resolve(undefined))
    child.on('exit', () => {
      if (!ready) resolve(undefined)
      for (const answer of waiting.splice(0)) answer('@@failed EPUBCheck stopped')
    })
    // The test process may end while the JVM waits for work (closing stdin then ends it), but
    // not while a check is under way.
    const handles = [child, child.stdout, child.stdin] as unknown as Array<{ref(): void; unref(): void}>
    let busy = 0
    const hold = (on: boolean) => {
      busy += on ? 1 : -1
      for (const handle of handles)
        if (busy > 0) handle.ref()
        else handle.unref()
    }
    hold(true)
    void new Promise<void>((started) => child.stdout.once('data', () => started())).then(() => hold(false))
    let queue = Promise.resolve()
    const server: Server = {
      check(file, json) {
        hold(true)
        const result = queue.then(
          () =>
            new Promise<void>((done, fail) => {
              waiting.push((line) => (line === '@@done' ? done() : fail(new Error(`EPUBCheck could not check ${file}: ${line.slice(2)}`))))
              child.stdin.write(`${path.resolve(file)}\t${json}\n`)
            })
        )
        queue = result.catch(() => {})
        return result.finally(() => hold(false))
      }
    }
  })
}

export async function epubcheck(file: string): Promise<EpubcheckResult> {
  // EPUBCheck 4 mixes its plain summary into stdout, so the JSON goes to a file of its own.
  const dir = await mkdtemp(path.join(tmpdir(), 'epubcheck-'))
  const json = path.join(dir, 'report.json')
  try {
    server ??= startServer()
    const jvm = await server
    if (jvm) await jvm.check(file, json)
    else {
      await run('java', ['-jar', epubcheckJar, '--json', json, file], {maxBuffer: 64 * 1024 * 1024}).catch((error: unknown) => {
        // It exits 1 when it finds problems; the report is still written.
        if (!existsSync(json)) throw error
      })
    }
    return parseReport(await readFile(json, 'utf8'))
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}

function parseReport(text: string): EpubcheckResult {
  const report = JSON.parse(text) as {
    messages: Array<{ID: string; severity: string; message: string; locations: Array<{path: string; line: number; column: number}>}>
  }
  const count = (severity: string) =>
    report.messages.filter((message) => message.severity === severity).reduce((sum, message) => sum + Math.max(1, message.locations.length), 0)
  return {
    fatals: count('FATAL'),
    errors: count('ERROR'),
    warnings: count('WARNING'),
    messages: report.messages
      .filter((message) => ['FATAL', 'ERROR', 'WARNING'].includes(message.severity))
      .map((message) => `${message.severity} ${message.ID}: ${message.message} ${message.locations.map((l) => `${l.path}:${l.line}:${l.column}`).join(' ')}`)
  }
}
