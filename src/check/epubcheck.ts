// `--epubcheck`: run the W3C's EPUBCheck (Java) on each book before it is written, as Apple
// and Kobo do on upload, and turn its findings into messages. Finds the jar through
// EPUBCHECK_JAR, then the Debian package's paths. I/O: a temporary file and a child process.
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {report} from '../shared/diagnostics.js'
import {BuildError} from '../shared/errors.js'

const run = promisify(execFile)

export function findEpubcheck(env: NodeJS.ProcessEnv = process.env, installed = ['/usr/bin/epubcheck', '/usr/share/java/epubcheck.jar']): string {
  const candidates = [env.EPUBCHECK_JAR, ...installed].filter((candidate): candidate is string => Boolean(candidate))
  const found = candidates.find((candidate) => existsSync(candidate))
  if (!found) {
    throw new BuildError('--epubcheck needs EPUBCheck: install it (Debian/Ubuntu: apt-get install epubcheck) or set EPUBCHECK_JAR to its .jar', 2)
  }
  return found
}

interface EpubcheckReport {
  messages?: Array<{ID?: string; severity?: string; message?: string; locations?: Array<{path?: string; line?: number; column?: number}>}>
}

/** Runs EPUBCheck on `bytes`; each error or warning becomes a message on `owner` at `place`. */
export async function epubcheckBook(jar: string, bytes: Uint8Array, fileName: string, owner: VFile, place: Position | undefined): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'build-volumes-epubcheck-'))
  try {
    const book = path.join(dir, fileName)
    const json = path.join(dir, 'report.json')
    await writeFile(book, bytes)
    // EPUBCheck exits 1 when it finds problems; the JSON report is written either way. A check is
    // a few seconds of work in a fresh JVM: the quick compiler alone and the serial collector
    // halve its CPU time (a sample volume: 8.0 s -> 3.9 s of CPU, 4.6 s -> 3.2 s wall).
    await run('java', ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', jar, '--json', json, book], {maxBuffer: 64 * 1024 * 1024}).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') throw new BuildError('--epubcheck needs Java to run EPUBCheck (Debian/Ubuntu: apt-get install default-jre-headless)', 2)
        if (!existsSync(json)) throw new BuildError(`EPUBCheck could not check ${fileName}: ${error.message.split('\n')[0]}`, 4)
      }
    )
    const parsed = JSON.parse(await readFile(json, 'utf8')) as EpubcheckReport
    for (const message of parsed.messages ?? []) {
      const severity = message.severity === 'ERROR' || message.severity === 'FATAL' ? 'error' : message.severity === 'WARNING' ? 'warning' : undefined
      if (!severity) continue
      const where = message.locations?.[0]
      const at = where?.path ? ` (${where.path}${where.line && where.line > 0 ? `:${where.line}:${where.column ?? 0}` : ''})` : ''
      report(owner, {
        reason: `EPUBCheck on ${fileName}: ${message.ID ?? '?'} ${message.message ?? ''}${at}`,
        ruleId: 'epubcheck',
        severity,
        place,
        note: 'This is a bug in build-volumes if the book came from it unchanged; please report it with the review that causes it.'
      })
    }
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}
