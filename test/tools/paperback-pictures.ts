// Renders the README's pictures of the paperback from real PDFs: the sample's reviews set as
// two volumes (test/helpers/paperback.ts) are built with --print, pdftoppm draws a spread of
// volume 1 and its cover, and Chromium (through playwright-core) puts the two pages side by
// side. Run: node --import tsx test/tools/paperback-pictures.ts
import {execFileSync} from 'node:child_process'
import {mkdir, readFile} from 'node:fs/promises'
import path from 'node:path'
import {chromium} from 'playwright-core'
import {build} from '../../src/index.js'
import {regroupForPrint} from '../helpers/paperback.js'
import {copySample, removeDir, repoRoot, tempDir} from '../helpers/project.js'

const out = path.join(repoRoot, '.github', 'readme')
const project = await copySample()
const dist = await tempDir('paperback-pictures-')
const browser = await chromium.launch({executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu']})
try {
  await mkdir(out, {recursive: true})
  await regroupForPrint(project)
  const result = await build({cwd: project, out: dist, print: true, cache: false})
  const volume = result.outputs.find((output) => output.volume === 1)?.print
  if (!volume) throw new Error('volume 1 has no paperback')
  // The first spread where a full verso ends one review and the recto opens the next.
  const texts = execFileSync('pdftotext', ['-layout', volume.interior.path, '-'], {encoding: 'utf8'}).split('\f')
  const recto = texts.findIndex((text, index) => index % 2 === 0 && index > 0 && /Directed by/i.test(text) && (texts[index - 1] ?? '').trim().length > 400) + 1
  if (recto < 2) throw new Error('no spread that ends one review and opens the next')
  const png = (file: string, dpi: number, page: number) =>
    execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), file]).toString('base64')
  const spread = [png(volume.interior.path, 72, recto - 1), png(volume.interior.path, 72, recto)]
  const page = await browser.newPage({viewport: {width: 2 * 396 + 3, height: 612}})
  await page.setContent(
    `<html><body style="margin:0;background:#888;display:flex;gap:3px">${spread.map((data) => `<img src="data:image/png;base64,${data}" style="width:396px;height:612px">`).join('')}</body></html>`
  )
  await page.screenshot({path: path.join(out, 'paperback-spread.png')})
  await page.close()
  const cover = Buffer.from(png(volume.cover.path, 48, 1), 'base64')
  await import('node:fs/promises').then(({writeFile}) => writeFile(path.join(out, 'paperback-cover.png'), cover))
  process.stdout.write(
    `Wrote ${path.join(out, 'paperback-spread.png')} and ${path.join(out, 'paperback-cover.png')} (${(await readFile(path.join(out, 'paperback-cover.png'))).byteLength} bytes)\n`
  )
} finally {
  await browser.close()
  await removeDir(project)
  await removeDir(dist)
}
