// Renders the README's pictures from the built sample books, so they always show what the
// tool really makes: volume 4's generated cover (scaled down) and a page of the collection's
// title index, as Debian's Chromium (through playwright-core) draws it with the book's own
// stylesheet. Run: npm run readme:pictures (after npx build-volumes).
import {mkdtemp, mkdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {chromium} from 'playwright-core'
import {readEpub} from '../helpers/epub.js'
import {repoRoot} from '../helpers/project.js'

const out = path.join(repoRoot, '.github', 'readme')
const dist = path.join(repoRoot, 'dist')
const scratch = await mkdtemp(path.join(tmpdir(), 'readme-pictures-'))
const browser = await chromium.launch({executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu']})
try {
  await mkdir(out, {recursive: true})
  // The cover at 400×640, a quarter of its size, as a store's product page shows it.
  const volume = await readEpub(path.join(dist, 'essential-film-reviews-volume-04.epub'))
  const cover = Buffer.from(await volume.bytesOf('OEBPS/images/cover.png')).toString('base64')
  const page = await browser.newPage({viewport: {width: 400, height: 640}})
  await page.setContent(`<html><body style="margin:0"><img src="data:image/png;base64,${cover}" style="width:400px;height:640px;display:block"></body></html>`)
  await page.screenshot({path: path.join(out, 'cover-volume-04.png')})

  const collection = await readEpub(path.join(dist, 'essential-film-reviews-collection.epub'))
  for (const name of collection.names.filter((entry) => entry.startsWith('OEBPS/'))) {
    const target = path.join(scratch, name)
    await mkdir(path.dirname(target), {recursive: true})
    await writeFile(target, await collection.bytesOf(name))
  }
  const reader = await browser.newPage({viewport: {width: 560, height: 900}})
  await reader.goto(pathToFileURL(path.join(scratch, 'OEBPS', 'index-title.xhtml')).href)
  await reader.addStyleTag({content: 'html{background:#fffdf8} body{margin:2.5em 3em; font-size:17px}'})
  await reader.screenshot({path: path.join(out, 'index-by-title.png')})
  process.stdout.write(`Wrote ${path.join(out, 'cover-volume-04.png')} and ${path.join(out, 'index-by-title.png')}\n`)
} finally {
  await browser.close()
  await rm(scratch, {recursive: true, force: true})
}
