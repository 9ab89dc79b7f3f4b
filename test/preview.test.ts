// The live preview in a real browser: Debian's Chromium driven by playwright-core loads one
// volume, shows its reviews, reloads by itself when a review is saved, shows an input error
// in the page (file:line:column) while the server keeps running, and recovers when it is
// fixed. With PREVIEW_SCREENSHOT=path.png it also saves the screenshot the README shows.
// Stopping it says so, in its own words.
import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {after, before, test} from 'node:test'
import {chromium, type Browser} from 'playwright-core'
import {chromiumAvailable, chromiumEndpoint} from './helpers/chromium.js'
import {runCli, startCli, type LongRun} from './helpers/cli.js'
import {copySample, removeDir} from './helpers/project.js'

/** The titles of a volume's reviews, read from the sample's own files. */
async function volumeTitles(project: string, volume: number): Promise<string[]> {
  const manifest = await readFile(path.join(project, 'volumes.yaml'), 'utf8')
  const block = manifest.split(/\n\s+- number: /)[volume]!
  const names = [...block.matchAll(/^\s+- ([\w.-]+\.md)\s*$/gm)].map((match) => match[1]!)
  const titles = []
  // Titles are shown with curly apostrophes, as the book sets them.
  for (const name of names) titles.push((await readFile(path.join(project, 'reviews', name), 'utf8')).match(/^title: "?(.+?)"?$/m)![1]!.replace(/'/g, '’'))
  return titles
}

let project: string
let browser: Browser | undefined
let server: LongRun | undefined
before(async () => {
  project = await copySample()
})
after(async () => {
  await browser?.close()
  await server?.stop()
  await removeDir(project)
})

test('the preview shows one volume in Chromium, reloads on save, and shows input errors in the page', async (t) => {
  if (!chromiumAvailable(t)) return
  server = startCli(['preview', '2', '--port', '0'], project, {SOURCE_DATE_EPOCH: undefined})
  const url = (await server.waitFor(/Previewing volume 2 at (http:\/\/127\.0\.0\.1:\d+\/)/))[1]!
  // The run's one browser; closing the connection leaves it running for the next test.
  browser = await chromium.connectOverCDP(await chromiumEndpoint())
  const page = await browser.newPage({viewport: {width: 1280, height: 860}})
  await page.goto(url)

  // The sidebar lists exactly this volume's reviews, in order, with their years.
  const titles = await volumeTitles(project, 2)
  const listed = await page.locator('.preview-sidebar li.preview-review a').allInnerTexts()
  assert.deepEqual(
    listed.map((label) => label.replace(/ \(\d{4}\)$/, '')),
    titles
  )
  assert.equal(await page.locator('.preview-series-name').textContent(), 'Essential Film Reviews · Volume 2')

  // A review page carries the book's own heading block and stylesheet.
  await page.locator('.preview-sidebar li.preview-review a').first().click()
  await page.waitForSelector('article.review header.review-header h1')
  assert.equal(await page.locator('article header.review-header h1').innerText(), titles[0])
  const reviewUrl = page.url()
  const chapter = decodeURIComponent(new URL(reviewUrl).pathname.slice(1))
  const source = path.join(project, 'reviews', chapter.replace(/^review-/, '').replace(/\.xhtml$/, '.md'))
  assert.ok(existsSync(source), `${chapter} comes from ${source}`)
  const original = await readFile(source, 'utf8')

  // Saving the review reloads the page by itself, with the new text.
  // The page's own globals (the test's tsconfig has no DOM types).
  type PageGlobals = {beforeSave?: boolean; document: {body: {innerText: string}}}
  await page.evaluate(() => ((globalThis as unknown as PageGlobals).beforeSave = true))
  const added = 'A sentence the author added while the preview was open.'
  await writeFile(source, `${original}\n${added}\n`)
  await page.waitForFunction((text) => (globalThis as unknown as PageGlobals).document.body.innerText.includes(text), added, {timeout: 15_000})
  assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).beforeSave), undefined, 'the page was reloaded, not patched')
  await server.waitFor(/rebuilt volume 2/)

  if (process.env.PREVIEW_SCREENSHOT) await page.screenshot({path: process.env.PREVIEW_SCREENSHOT})

  // A broken front matter shows in the page with its place, and in the terminal; the server lives on.
  const from = server.stderr().length
  await writeFile(source, original.replace(/^title: .*$/m, 'title: [unclosed'))
  await page.waitForSelector('.preview-problems', {timeout: 15_000})
  const shown = await page.locator('.preview-problem-list').innerText()
  assert.match(shown, new RegExp(`reviews/${path.basename(source).replace('.', '\\.')}:\\d+:\\d+`))
  assert.match(shown, /not valid YAML/)
  await server.waitFor(new RegExp(`${path.basename(source).replace('.', '\\.')}[\\s\\S]*frontmatter-syntax`), {from})
  await server.waitFor(/volume 2 has 1 problem/, {from})

  // Fixing it brings the review back.
  await writeFile(source, original)
  await page.waitForSelector('article header.review-header h1', {timeout: 15_000})
  assert.equal(await page.locator('article header.review-header h1').innerText(), titles[0])
  assert.equal(server.child.exitCode, null, 'the server is still running')
})

test('preview refuses a volume the manifest does not have, and a port that is taken', async () => {
  const missing = await runCli(['preview', '9', '--port', '0'], project)
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /No volume 9 in volumes\.yaml; the volumes are 1, 2, 3, 4, 5, 6, 7/)

  const first = startCli(['preview', '1', '--port', '0'], project)
  try {
    const port = (await first.waitFor(/at http:\/\/127\.0\.0\.1:(\d+)\//))[1]!
    const second = await runCli(['preview', '1', '--port', port], project)
    assert.equal(second.code, 3)
    assert.match(second.stderr, new RegExp(`port ${port} is in use; pick another with --port`))
  } finally {
    await first.stop()
  }
})

test('stopping the preview (Ctrl+C or SIGTERM) says the preview stopped, and nothing about books', async () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const preview = startCli(['preview', '1', '--port', '0'], project)
    try {
      await preview.waitFor(/Previewing volume 1 at http/)
      const exited = new Promise<number | null>((resolve) => preview.child.on('exit', (code) => resolve(code)))
      preview.child.kill(signal)
      assert.equal(await exited, signal === 'SIGINT' ? 130 : 143)
      assert.match(preview.stderr(), /\nStopped the preview\.\n$/, signal)
      assert.doesNotMatch(preview.stderr(), /books/, signal)
    } finally {
      await preview.stop()
    }
  }
})
