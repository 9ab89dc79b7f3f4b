// EPUBCheck (the W3C validator) on a built EPUB, through its JSON output. Missing locally:
// the test is skipped with a loud note; with CI=true it fails, since CI installs it.
import {execFile, spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {connect} from 'node:net'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import type {TestContext} from 'node:test'
import {toolAvailable} from './tools.js'
import {jvmFlags} from '../../src/check/epubcheck.js'

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
 * One EPUBCheck JVM for the whole run (EpubcheckServer.java, run by Java's source launcher):
 * test/run.ts starts it and names its port in EPUBCHECK_SERVICE; a test file run alone starts
 * one of its own. The JVM's start-up, not the check, was most of the time. Where it cannot
 * start, each book gets `java -jar` of its own.
 */
let service: Promise<number | undefined> | undefined

/** Starts the service; resolves with its port, or undefined when it cannot start. `stop` ends it. */
export function startEpubcheckService(threads?: number): {port: Promise<number | undefined>; stop(): void} {
  const source = fileURLToPath(new URL('EpubcheckServer.java', import.meta.url))
  // The product's flags (the quick compiler only: on 72 books it spent 19 s of CPU where the
  // optimising one spent 30 s).
  const child = spawn('java', [...jvmFlags, '-cp', epubcheckJar, source, ...(threads ? [String(threads)] : [])], {
    stdio: ['pipe', 'pipe', 'ignore']
  })
  const port = new Promise<number | undefined>((resolve) => {
    let buffered = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk
      const ready = /^@@ready (\d+)$/m.exec(buffered)
      if (ready) resolve(Number(ready[1]))
    })
    child.on('error', () => resolve(undefined))
    child.on('exit', () => resolve(undefined))
  })
  // Once it listens, whoever started it may end while the JVM waits for work: it holds no
  // process open (a check under way does, by its connection).
  void port.then(() => {
    for (const handle of [child, child.stdout, child.stdin] as unknown as Array<{unref(): void}>) handle.unref()
  })
  return {
    port,
    stop() {
      // Closing its stdin ends the JVM.
      child.stdin.end()
    }
  }
}

function servicePort(): Promise<number | undefined> {
  if (!service) {
    const shared = Number(process.env.EPUBCHECK_SERVICE)
    if (shared) service = Promise.resolve(shared)
    else {
      const own = startEpubcheckService()
      service = own.port
      process.once('exit', () => own.stop())
    }
  }
  return service
}

function checkOn(port: number, file: string, json: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({port, host: '127.0.0.1'})
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('connect', () => socket.write(`${path.resolve(file)}\t${json}\n`))
    socket.on('data', (chunk: string) => {
      answer += chunk
      if (!answer.includes('\n')) return
      socket.end()
      const line = answer.slice(0, answer.indexOf('\n'))
      if (line === '@@done') resolve()
      else reject(new Error(`EPUBCheck could not check ${file}: ${line.slice(2)}`))
    })
    socket.on('error', (error) => reject(new Error(`EPUBCheck could not check ${file}: ${error.message}`)))
    socket.on('close', () => reject(new Error(`EPUBCheck could not check ${file}: the service closed the connection`)))
  })
}

export async function epubcheck(file: string): Promise<EpubcheckResult> {
  // EPUBCheck 4 mixes its plain summary into stdout, so the JSON goes to a file of its own.
  const dir = await mkdtemp(path.join(tmpdir(), 'epubcheck-'))
  const json = path.join(dir, 'report.json')
  try {
    const port = await servicePort()
    if (port) await checkOn(port, file, json)
    else {
      await run('java', [...jvmFlags, '-jar', epubcheckJar, '--json', json, file], {maxBuffer: 64 * 1024 * 1024}).catch((error: unknown) => {
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
