// `npm test`'s runner: node:test over test/*.test.ts (or the files named on the command line),
// each file in its own process as `node --test` runs them, one more at once than there are
// cores, the longest first; and the expensive tools started once for the whole run rather than
// once per file: one EPUBCheck JVM (EPUBCHECK_SERVICE) and one headless Chromium
// (CHROMIUM_ENDPOINT), which every file's helpers use. Prints the spec report; exits 1 if a
// test failed. A file run alone (`node --import tsx --test test/x.test.ts`) starts its own.
import {existsSync, mkdirSync, readdirSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {availableParallelism} from 'node:os'
import path from 'node:path'
import {run} from 'node:test'
import {spec} from 'node:test/reporters'
import {finished} from 'node:stream/promises'
import {fileURLToPath} from 'node:url'
import {chromiumPath, startChromium} from './helpers/chromium.js'
import {startEpubcheckService} from './helpers/epubcheck.js'
import {compiledCopy} from './helpers/project.js'

const testDir = path.dirname(fileURLToPath(import.meta.url))
// The files that take longest start first, so that the short ones fill in around them.
const longest = ['catalogue', 'cache', 'accessibility', 'commands', 'import', 'interrupt', 'hostile', 'fuzz', 'cli', 'kit', 'book-matter', 'books']
const rank = (file: string) => {
  const at = longest.indexOf(path.basename(file, '.test.ts'))
  return at < 0 ? longest.length : at
}
const named = process.argv.slice(2)
const files = (
  named.length > 0
    ? named.map((file) => path.resolve(file))
    : readdirSync(testDir)
        .filter((name) => name.endsWith('.test.ts'))
        .map((name) => path.join(testDir, name))
)
  .sort()
  .sort((a, b) => rank(a) - rank(b))

// Run by tools/run-compiled.mjs (`npm test`), each file's compiled copy runs in plain Node;
// run through tsx, the .ts files themselves.
const runnable = (file: string) => compiledCopy(file) ?? file
// One file more than there are cores: a file waiting (on EPUBCheck's JVM, Chromium, a build
// held by strace) leaves its core to the extra one. On this 2-core machine, 3 at a time took
// the run from 137 s to 129 s, idle time from 5% of the cores to 1%.
const concurrency = Number(process.env.TEST_CONCURRENCY) || availableParallelism() + 1
// One content-hash cache for every build of the run (a test about the cache, or about a build
// without one, sets its own): the sample series and the fixtures are converted and their covers
// drawn once, not once per file. An entry names everything it is the answer to and is checked on
// reading (cache.test.ts), so a shared one changes no book and no report.
mkdirSync(path.join(testDir, '.tmp'), {recursive: true})
const sharedCache = await mkdtemp(path.join(testDir, '.tmp', 'run-cache-'))
process.env.BUILD_VOLUMES_CACHE ??= sharedCache
const epubcheck = startEpubcheckService(availableParallelism())
const port = await epubcheck.port
if (port) process.env.EPUBCHECK_SERVICE = String(port)
// Without Chromium installed, the tests that need it say so themselves.
const chromium = existsSync(chromiumPath) ? startChromium() : undefined
if (chromium) process.env.CHROMIUM_ENDPOINT = await chromium.endpoint

const started = Date.now()
let failed = false
const stream = run({files: files.map(runnable), concurrency})
// Each file's own time (its top-level tests, end to end), for the slowest ones at the end.
const fileTimes = new Map<string, number>()
const timed = (event: {nesting: number; file?: string; details: {duration_ms: number}}) => {
  if (event.nesting === 0 && event.file) fileTimes.set(event.file, (fileTimes.get(event.file) ?? 0) + event.details.duration_ms)
}
stream.on('test:pass', timed)
stream.on('test:fail', (event) => {
  failed = true
  timed(event)
})
const report = stream.compose(new spec())
report.pipe(process.stdout, {end: false})
await finished(report)
epubcheck.stop()
await chromium?.stop()
await rm(sharedCache, {recursive: true, force: true, maxRetries: 3}).catch(() => {})
const slowest = [...fileTimes].sort((a, b) => b[1] - a[1]).slice(0, 8)
process.stdout.write(
  `\nslowest files: ${slowest.map(([file, ms]) => `${path.basename(file).replace(/\.test\.[jt]s$/, '')} ${(ms / 1000).toFixed(1)} s`).join(', ')}\n`
)
process.stdout.write(`${files.length} files, ${concurrency} at a time, in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
process.exitCode = failed ? 1 : 0
