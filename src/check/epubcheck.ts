// `--epubcheck`: run the W3C's EPUBCheck (Java) on each book before it is written, as Apple
// and Kobo do on upload, and turn its findings into messages. Finds the jar through
// EPUBCHECK_JAR, then the Debian package's paths. One JVM checks every book of a build: its
// start-up and EPUBCheck's warm-up on the first book are about 3 s, each book after it about
// 0.1 s (the sample with `--epubcheck`: 7.7 s wall and 10 s of CPU, against 22.3 s and 42 s
// with a JVM per book). Where Java cannot run our checker from its source (a runtime without
// its compiler), each book gets `java -jar` of its own. I/O: a temporary folder, child processes.
import {execFile, spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {createInterface} from 'node:readline'
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

/** What a machine without Java is told. */
const noJava = () => new BuildError('--epubcheck needs Java to run EPUBCheck (Debian/Ubuntu: apt-get install default-jre-headless)', 2)

// The quick compiler alone and the serial collector halve a fresh JVM's CPU time on a check
// (a sample volume: 8.0 s -> 3.9 s of CPU, 4.6 s -> 3.2 s wall).
export const jvmFlags = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC']

/**
 * The checker the one JVM runs, by Java's source launcher (no compiled class to ship): it reads
 * "<book>\t<report.json>" lines on stdin and, for each, writes EPUBCheck's JSON report (the
 * same as `epubcheck --json`) and answers on stdout with a line of its own (EPUBCheck prints
 * there too).
 */
const checkerSource = `import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.reporting.CheckingReport;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class BuildVolumesEpubcheck {
  public static void main(String[] args) throws Exception {
    PrintStream answers = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    answers.println("@@build-volumes ready");
    String line;
    while ((line = in.readLine()) != null) {
      String[] parts = line.split("\\t", 2);
      try {
        CheckingReport report = new CheckingReport(parts[0], parts[1]);
        report.initialize();
        new EpubCheck(new File(parts[0]), report).doValidate();
        report.generate();
        answers.println("@@build-volumes done");
      } catch (Throwable error) {
        answers.println("@@build-volumes failed " + error.toString().replace('\\n', ' '));
      }
    }
  }
}
`

interface EpubcheckReport {
  messages?: Array<{ID?: string; severity?: string; message?: string; locations?: Array<{path?: string; line?: number; column?: number}>}>
}

/** A build's EPUBCheck: one JVM started at the first book, the books checked in turn. `close` ends it and removes its folder. */
export interface EpubcheckSession {
  /** Checks `bytes`; each error or warning becomes a message on `owner` at `place`. */
  check(bytes: Uint8Array, fileName: string, owner: VFile, place: Position | undefined): Promise<void>
  close(): Promise<void>
}

interface Checker {
  /** Writes the JSON report of `book` to `json`; rejects with what went wrong. */
  check(book: string, json: string): Promise<void>
  end(): void
}

export function startEpubcheck(jar: string): EpubcheckSession {
  // Started at once: the JVM's start-up overlaps the rendering of the first book.
  const folder = mkdtemp(path.join(tmpdir(), 'build-volumes-epubcheck-'))
  const checker = folder.then((dir) => oneJvm(jar, dir))
  // Awaited by each check; the handler only stops Node calling it unhandled in the meantime.
  checker.catch(() => {})
  let count = 0
  return {
    async check(bytes, fileName, owner, place) {
      const into = path.join(await folder, String(count++))
      const book = path.join(into, fileName)
      const json = path.join(into, 'report.json')
      await mkdir(into)
      await writeFile(book, bytes)
      try {
        await (await checker).check(book, json)
      } catch (error) {
        if (error instanceof BuildError) throw error
        throw new BuildError(`EPUBCheck could not check ${fileName}: ${(error as Error).message}`, 4)
      }
      reportFindings(JSON.parse(await readFile(json, 'utf8')) as EpubcheckReport, fileName, owner, place)
      await rm(into, {recursive: true, force: true})
    },
    async close() {
      await checker.then((started) => started.end()).catch(() => {})
      await rm(await folder, {recursive: true, force: true})
    }
  }
}

/**
 * The checker in one JVM; when the JVM cannot run it (it ends before saying it is ready), a
 * JVM per book instead. Checks are queued: the JVM takes one book at a time.
 */
async function oneJvm(jar: string, dir: string): Promise<Checker> {
  const source = path.join(dir, 'BuildVolumesEpubcheck.java')
  await writeFile(source, checkerSource)
  const child = spawn('java', [...jvmFlags, '-cp', jar, source], {stdio: ['pipe', 'pipe', 'pipe']})
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 4000) stderr += chunk
  })
  const waiting: Array<{resolve(): void; reject(error: Error): void}> = []
  let ended: Error | undefined
  const ready = new Promise<boolean>((resolve, reject) => {
    const lines = createInterface({input: child.stdout})
    lines.on('line', (line) => {
      if (line === '@@build-volumes ready') resolve(true)
      else if (line === '@@build-volumes done') waiting.shift()?.resolve()
      else if (line.startsWith('@@build-volumes failed ')) waiting.shift()?.reject(new Error(line.slice('@@build-volumes failed '.length)))
    })
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') reject(noJava())
      else reject(error)
    })
    child.on('close', (code) => {
      // Before it was ready: this Java cannot run a program from its source.
      resolve(false)
      ended = new Error(`Java ended (exit code ${code})${stderr ? `: ${stderr.trim().split('\n')[0]}` : ''}`)
      for (const check of waiting.splice(0)) check.reject(ended)
    })
  })
  // A JVM that has ended cannot be written to: the check waiting on it is told by 'close'.
  child.stdin.on('error', () => {})
  if (!(await ready)) return jvmPerBook(jar)
  return {
    check(book, json) {
      if (ended) return Promise.reject(ended)
      return new Promise<void>((resolve, reject) => {
        waiting.push({resolve, reject})
        child.stdin.write(`${book}\t${json}\n`)
      })
    },
    end() {
      child.stdin.end()
    }
  }
}

function jvmPerBook(jar: string): Checker {
  return {
    async check(book, json) {
      // EPUBCheck exits 1 when it finds problems; the JSON report is written either way.
      await run('java', [...jvmFlags, '-jar', jar, '--json', json, book], {maxBuffer: 64 * 1024 * 1024}).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') throw noJava()
        if (!existsSync(json)) throw new Error(error.message.split('\n')[0])
      })
    },
    end() {}
  }
}

function reportFindings(parsed: EpubcheckReport, fileName: string, owner: VFile, place: Position | undefined) {
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
}
