// Ace by DAISY (the EPUB accessibility checker, axe-core in Debian's Chromium through
// puppeteer) on the sample's collection and first volume: no violations at all, metadata included. Ace passes a book
// that fails (its CLI exits 0), so the test reads its report.
import assert from 'node:assert/strict'
import {readFile, readdir} from 'node:fs/promises'
import {createRequire} from 'node:module'
import path from 'node:path'
import {after, before, test} from 'node:test'
import {chromiumAvailable, chromiumEndpoint, chromiumPath} from './helpers/chromium.js'
import {runCli} from './helpers/cli.js'
import {copySample, removeDir, tempDir} from './helpers/project.js'

const require = createRequire(import.meta.url)

interface AxeRunner {
  concurrency: number
  setTimeout(ms: number): void
  launch(): Promise<void>
  close(): Promise<void>
  run(...args: unknown[]): Promise<unknown>
}
type Ace = (epub: string, options: Record<string, unknown>, runner: AxeRunner) => Promise<[string, unknown]>
interface Puppeteer {
  launch(options?: unknown): Promise<unknown>
  connect(options: {browserWSEndpoint: string; protocolTimeout?: number}): Promise<{disconnect(): Promise<void>}>
}
interface Assertion {
  'earl:test'?: {'dct:title'?: string; 'earl:impact'?: string}
  'earl:result'?: {'earl:outcome'?: string; 'dct:description'?: string}
  'earl:testSubject'?: {url?: string}
  assertions?: Assertion[]
}

let sample: string
let reports: string
before(async () => {
  sample = await copySample()
  reports = await tempDir('ace-')
})
after(async () => {
  await removeDir(sample)
  await removeDir(reports)
})

test('Ace by DAISY finds no accessibility violations in the sample collection and a volume', {timeout: 300_000}, async (t) => {
  if (!chromiumAvailable(t)) return
  const built = await runCli(['-q'], sample)
  assert.equal(built.code, 0, built.stderr)
  const books = (await readdir(path.join(sample, 'dist'))).filter((name) => name.endsWith('.epub')).sort()
  assert.equal(books.length, 8)
  // Ace itself, in this process, with its own puppeteer runner; the runner launches a browser
  // for each book and closes it after, so it is lent the run's one browser instead, and its
  // launch and close do nothing.
  process.env.PUPPETEER_EXECUTABLE_PATH = chromiumPath
  const puppeteer = require('puppeteer') as Puppeteer
  const runner = require('@daisy/ace-axe-runner-puppeteer') as AxeRunner
  const ace = require('@daisy/ace-core') as Ace
  const browser = await puppeteer.connect({browserWSEndpoint: await chromiumEndpoint(), protocolTimeout: 240_000})
  const launch = puppeteer.launch
  puppeteer.launch = () => Promise.resolve(browser)
  try {
    await runner.launch()
  } finally {
    puppeteer.launch = launch
  }
  const lent: AxeRunner = {
    ...runner,
    setTimeout: (ms) => runner.setTimeout(ms),
    run: (...args) => runner.run(...args),
    launch: async () => {},
    close: async () => {}
  }
  // The collection holds every review's page and every kind of front and back matter (indexes
  // included); volume 1 has what only a volume has (its number, the series list). The other six
  // volumes are the same templates over the same pages, and each took Ace seven seconds.
  const checked = books.filter((book) => /-(volume-01|collection)\.epub$/.test(book))
  assert.equal(checked.length, 2)
  try {
    for (const book of checked) {
      const out = path.join(reports, book)
      await ace(path.join(sample, 'dist', book), {cwd: sample, outdir: out, silent: true, jobId: ''}, lent)
      const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as Assertion & {'earl:result': {'earl:outcome': string}}
      const violations = (report.assertions ?? []).flatMap((document) =>
        (document.assertions ?? []).map(
          (finding) =>
            `${document['earl:testSubject']?.url ?? '?'}: ${finding['earl:test']?.['dct:title']} (${finding['earl:test']?.['earl:impact']}) ${finding['earl:result']?.['dct:description'] ?? ''}`
        )
      )
      assert.deepEqual(violations, [], `${book}: Ace violations`)
      assert.equal(report['earl:result']['earl:outcome'], 'pass', `${book}: Ace's verdict`)
    }
  } finally {
    await browser.disconnect()
  }
})
