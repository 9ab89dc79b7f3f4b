// Ace by DAISY (the EPUB accessibility checker, axe-core in Debian's Chromium through
// puppeteer; .puppeteerrc.cjs points it there) on every sample book: no violations at all,
// metadata included. Ace exits 0 even when a book fails, so the test reads its report.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {readFile, readdir} from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'
import {after, before, test} from 'node:test'
import {chromiumAvailable, chromiumPath} from './helpers/chromium.js'
import {runCli} from './helpers/cli.js'
import {copySample, removeDir, repoRoot, tempDir} from './helpers/project.js'

const exec = promisify(execFile)
const ace = path.join(repoRoot, 'node_modules', '@daisy', 'ace-cli', 'bin', 'ace.js')

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

test('Ace by DAISY finds no accessibility violations in any sample book', {timeout: 300_000}, async (t) => {
  if (!chromiumAvailable(t)) return
  const built = await runCli(['-q'], sample)
  assert.equal(built.code, 0, built.stderr)
  const books = (await readdir(path.join(sample, 'dist'))).filter((name) => name.endsWith('.epub')).sort()
  assert.equal(books.length, 8)
  for (const book of books) {
    const out = path.join(reports, book)
    // Run from the project root so puppeteer finds .puppeteerrc.cjs.
    const check = (silent: boolean) =>
      exec(process.execPath, [ace, ...(silent ? ['--silent'] : []), '--force', '--outdir', out, path.join(sample, 'dist', book)], {
        cwd: repoRoot,
        env: {...process.env, PUPPETEER_EXECUTABLE_PATH: chromiumPath},
        maxBuffer: 32 * 1024 * 1024
      })
    // Ace's browser sometimes gives up on a loaded machine without saying why; once more, aloud.
    await check(true).catch(async () => {
      await check(false).catch((error: {stdout?: string; stderr?: string}) =>
        assert.fail(`Ace failed twice on ${book}:\n${error.stdout ?? ''}${error.stderr ?? ''}`)
      )
    })
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
})
