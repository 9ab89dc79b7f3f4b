// EPUBCheck (the W3C validator) on a built EPUB, through its JSON output. Missing locally:
// the test is skipped with a loud note; with CI=true it fails, since CI installs it.
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
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

export async function epubcheck(file: string): Promise<EpubcheckResult> {
  // EPUBCheck 4 mixes its plain summary into stdout, so the JSON goes to a file of its own.
  const dir = await mkdtemp(path.join(tmpdir(), 'epubcheck-'))
  const json = path.join(dir, 'report.json')
  try {
    await run('java', ['-jar', epubcheckJar, '--json', json, file], {maxBuffer: 64 * 1024 * 1024}).catch((error: unknown) => {
      // It exits 1 when it finds problems; the report is still written.
      if (!existsSync(json)) throw error
    })
    return parseReport(await readFile(json, 'utf8'))
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}

function parseReport(text: string): EpubcheckResult {
  const report = JSON.parse(text) as {messages: Array<{ID: string; severity: string; message: string; locations: Array<{path: string; line: number; column: number}>}>}
  const count = (severity: string) => report.messages.filter((message) => message.severity === severity).reduce((sum, message) => sum + Math.max(1, message.locations.length), 0)
  return {
    fatals: count('FATAL'),
    errors: count('ERROR'),
    warnings: count('WARNING'),
    messages: report.messages
      .filter((message) => ['FATAL', 'ERROR', 'WARNING'].includes(message.severity))
      .map((message) => `${message.severity} ${message.ID}: ${message.message} ${message.locations.map((l) => `${l.path}:${l.line}:${l.column}`).join(' ')}`)
  }
}
