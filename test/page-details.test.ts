// The details a paying reader notices, measured where they are drawn: Debian's Chromium opens a
// chapter straight out of the built EPUB with the book's own stylesheet (phone width) and
// checks the two notes are numbered and match their markers, each marker is one superscript
// big enough to tap, the figure has its caption and credit below it, initials stay with the
// name, and the opening is what `opening:` asks (a drop capital floating beside the first
// lines; small capitals on the first words; nothing when plain). calibre's AZW3 conversion
// keeps the drop capital's span and rule. With PAGE_SCREENSHOT=path.png it saves the
// screenshot the README shows.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'
import {after, before, test} from 'node:test'
import {chromium, type Browser, type Page} from 'playwright-core'
import {chromiumAvailable, chromiumEndpoint} from './helpers/chromium.js'
import {runCli} from './helpers/cli.js'
import {readEpub} from './helpers/epub.js'
import {fixturesDir, removeDir, tempDir} from './helpers/project.js'
import {toolAvailable} from './helpers/tools.js'
import {cp} from 'node:fs/promises'

const run = promisify(execFile)
const chapter = 'OEBPS/review-sunrise-1927.xhtml'

let work: string
let browser: Browser | undefined
/** The book built with each opening, unpacked: its folder and the EPUB's path. */
const built = new Map<string, {dir: string; epub: string}>()

async function build(opening: 'drop-cap' | 'small-caps' | 'plain'): Promise<{dir: string; epub: string}> {
  const project = path.join(work, opening)
  await cp(path.join(fixturesDir, 'books', 'page-details'), project, {recursive: true})
  const manifest = path.join(project, 'volumes.yaml')
  await writeFile(manifest, (await readFile(manifest, 'utf8')).replace(/^opening: .*$/m, `opening: ${opening}`))
  const result = await runCli(['-q', '-o', 'out'], project)
  assert.equal(result.code, 0, result.stderr)
  const epub = path.join(project, 'out', 'page-details-volume-01.epub')
  const book = await readEpub(epub)
  const dir = path.join(project, 'unpacked')
  for (const name of book.names) {
    await mkdir(path.dirname(path.join(dir, name)), {recursive: true})
    await writeFile(path.join(dir, name), await book.bytesOf(name))
  }
  return {dir, epub}
}

before(async () => {
  work = await tempDir('page-details-')
  for (const opening of ['drop-cap', 'small-caps', 'plain'] as const) built.set(opening, await build(opening))
})
after(async () => {
  await browser?.close()
  await removeDir(work)
})

async function openChapter(opening: string): Promise<Page> {
  // The run's one browser; closing the connection leaves it running for the next test file.
  browser ??= await chromium.connectOverCDP(await chromiumEndpoint())
  // A phone's screen: 390 CSS pixels wide, as a reader holds it.
  const page = await browser.newPage({viewport: {width: 390, height: 844}, deviceScaleFactor: 2})
  await page.goto(pathToFileURL(path.join(built.get(opening)!.dir, chapter)).href)
  await page.waitForLoadState('load')
  return page
}

// The page's own globals (the test's tsconfig has no DOM types).
type Rect = {left: number; right: number; top: number; bottom: number; width: number; height: number}
type El = {
  textContent: string
  getBoundingClientRect(): Rect
  parentElement: El | null
  closest(selector: string): El | null
  querySelector(selector: string): El | null
  querySelectorAll(selector: string): El[]
  getAttribute(name: string): string | null
}
type Doc = {
  querySelector(selector: string): El | null
  querySelectorAll(selector: string): El[]
  createRange(): {selectNodeContents(node: unknown): void; getClientRects(): Rect[]}
}
type Win = {
  document: Doc
  getComputedStyle(element: El): Record<string, string> & {
    fontSize: string
    lineHeight: string
    listStyleType: string
    display: string
    textAlign: string
    cssFloat: string
    fontVariantCaps: string
  }
}

test('notes are numbered to match their markers; each marker is one tappable superscript; the figure has its caption and credit', async (t) => {
  if (!chromiumAvailable(t)) return
  const page = await openChapter('drop-cap')
  const found = await page.evaluate(() => {
    const win = globalThis as unknown as Win
    const doc = win.document
    const markers = [...doc.querySelectorAll('a.noteref')]
    const items = [...doc.querySelectorAll('.footnotes ol > li')]
    const paragraph = markers[0]!.closest('p')!
    return {
      markers: markers.map((marker) => ({
        text: marker.textContent,
        target: marker.getAttribute('href'),
        parent: marker.parentElement!.closest('sup') === marker.parentElement ? 'sup' : 'other',
        nestedSup: marker.parentElement!.parentElement!.closest('sup') !== null || marker.querySelector('sup') !== null,
        fontSize: parseFloat(win.getComputedStyle(marker).fontSize),
        box: marker.getBoundingClientRect()
      })),
      bodySize: parseFloat(win.getComputedStyle(paragraph).fontSize),
      lineHeight: parseFloat(win.getComputedStyle(paragraph).lineHeight),
      listed: items.map((item, index) => ({
        number: index + 1,
        id: item.querySelector('[id]')?.getAttribute('id'),
        listStyle: win.getComputedStyle(item.parentElement!).listStyleType
      })),
      image: doc.querySelector('figure img')!.getBoundingClientRect(),
      caption: doc.querySelector('figure figcaption')!.getBoundingClientRect(),
      captionSize: parseFloat(win.getComputedStyle(doc.querySelector('figure figcaption')!).fontSize),
      credit: {
        text: doc.querySelector('figcaption .credit')!.textContent,
        display: win.getComputedStyle(doc.querySelector('figcaption .credit')!).display,
        align: win.getComputedStyle(doc.querySelector('figcaption .credit')!).textAlign
      }
    }
  })
  // Two markers, numbered 1 and 2 in reading order, each pointing at the list item with that number.
  assert.deepEqual(
    found.markers.map((marker) => marker.text),
    ['1', '2']
  )
  assert.equal(found.listed.length, 2)
  assert.equal(found.listed[0]!.listStyle, 'decimal')
  for (const [index, marker] of found.markers.entries())
    assert.equal(marker.target, `#${found.listed[index]!.id}`, `marker ${index + 1} leads to note ${index + 1}`)
  for (const marker of found.markers) {
    // One superscript, shrunk once (about three quarters of the text), never a superscript in a superscript.
    assert.equal(marker.parent, 'sup')
    assert.equal(marker.nestedSup, false)
    assert.ok(marker.fontSize / found.bodySize > 0.7 && marker.fontSize / found.bodySize <= 0.8, `marker at ${marker.fontSize}px in ${found.bodySize}px text`)
    // Big enough to tap: WCAG 2.2's minimum target is 24 × 24 CSS pixels.
    assert.ok(marker.box.width >= 24 && marker.box.height >= 24, `marker's target is ${marker.box.width.toFixed(1)} × ${marker.box.height.toFixed(1)} px`)
  }
  // The caption sits under its image, smaller than the text; the credit on a line of its own, to the right.
  assert.ok(found.caption.top >= found.image.bottom - 1, 'caption below the image')
  assert.ok(found.captionSize < found.bodySize)
  assert.equal(found.credit.text, 'Credit: drawn for this book')
  assert.equal(found.credit.display, 'block')
  assert.equal(found.credit.align, 'right')

  // Initials stay with the name: "F. W. Murnau" is joined by no-break spaces.
  const text = await readFile(path.join(built.get('drop-cap')!.dir, chapter), 'utf8')
  assert.match(text, /F\.\u00a0W\.\u00a0Murnau/)
  assert.doesNotMatch(text, /F\. W\. Murnau/)

  if (process.env.PAGE_SCREENSHOT) await page.screenshot({path: process.env.PAGE_SCREENSHOT, fullPage: true})
  await page.close()
})

test('opening: drop-cap floats a capital beside the first lines; small-caps sets the first words in small capitals; plain does neither', async (t) => {
  if (!chromiumAvailable(t)) return
  const measure = async (opening: string) => {
    const page = await openChapter(opening)
    const found = await page.evaluate(() => {
      const win = globalThis as unknown as Win
      const doc = win.document
      const first = doc.querySelector('header.review-header ~ p')!
      const cap = first.querySelector('.drop-cap')
      const words = [...first.querySelectorAll('.opening-words')]
      const range = doc.createRange()
      range.selectNodeContents(first)
      const lines = [...range.getClientRects()]
      return {
        lineHeight: parseFloat(win.getComputedStyle(first).lineHeight),
        cap: cap && {text: cap.textContent, float: win.getComputedStyle(cap).cssFloat, box: cap.getBoundingClientRect()},
        words: words.map((word) => ({text: word.textContent, variant: win.getComputedStyle(word).fontVariantCaps})),
        lines: lines.map((rect) => ({left: rect.left, top: rect.top, width: rect.width})),
        others: doc.querySelectorAll('.drop-cap, .opening-words').length - (cap ? 1 : 0) - words.length
      }
    })
    await page.close()
    return found
  }

  const drop = await measure('drop-cap')
  assert.ok(drop.cap, 'a drop capital')
  assert.equal(drop.cap.text, 'E')
  assert.equal(drop.cap.float, 'left')
  // A two-line capital: the first two lines start right of it, the third back at the left edge (no ragged wrap below it).
  const cap = drop.cap.box
  const starts: number[] = []
  let lineTop = -Infinity
  // The text's boxes in order, less the capital's own (within its width): a box more than half a line below the last starts a new line.
  for (const box of drop.lines.filter((line) => line.width > 1 && !(line.left >= cap.left - 0.5 && line.left + line.width <= cap.right + 0.5))) {
    if (box.top > lineTop + drop.lineHeight / 2) {
      starts.push(box.left)
      lineTop = box.top
    } else starts[starts.length - 1] = Math.min(starts.at(-1)!, box.left)
  }
  const left = Math.min(...starts)
  assert.ok(starts.length >= 4, `${starts.length} lines`)
  assert.ok(
    starts[0]! >= drop.cap.box.right - 0.5 && starts[1]! >= drop.cap.box.right - 0.5,
    `the first lines start at ${starts.slice(0, 2).join(', ')}, the capital ends at ${drop.cap.box.right}`
  )
  assert.ok(starts[2]! - left < 1, `the third line starts at ${starts[2]}, the paragraph at ${left}`)
  const height = drop.cap.box.height / drop.lineHeight
  assert.ok(height > 1.5 && height <= 2, `the capital's box is ${height.toFixed(2)} lines tall`)
  assert.equal(drop.words.length, 0)
  assert.equal(drop.others, 0, 'only the first paragraph opens')

  const caps = await measure('small-caps')
  assert.equal(caps.cap, null)
  assert.deepEqual(caps.words, [{text: 'Every so often a', variant: 'small-caps'}])

  const plain = await measure('plain')
  assert.equal(plain.cap, null)
  assert.deepEqual(plain.words, [])
})

test("calibre's AZW3 conversion keeps the drop capital's span and its float", async (t) => {
  if (!toolAvailable(t, {name: 'calibre', files: ['/usr/bin/ebook-convert'], install: 'apt-get install -y calibre'})) return
  const {epub} = built.get('drop-cap')!
  const azw3 = path.join(work, 'drop-cap.azw3')
  const back = path.join(work, 'drop-cap-back.epub')
  const env = {...process.env, HOME: work, CALIBRE_CONFIG_DIRECTORY: path.join(work, 'calibre-config')}
  await run('ebook-convert', [epub, azw3], {env, maxBuffer: 16 * 1024 * 1024})
  // Read the Kindle file back as calibre understands it, and look for the span and its rule.
  await run('ebook-convert', [azw3, back], {env, maxBuffer: 16 * 1024 * 1024})
  const book = await readEpub(back)
  const texts = await Promise.all(book.names.filter((name) => /\.x?html$/.test(name)).map((name) => book.text(name)))
  assert.ok(
    texts.some((text) => /<span class="drop-cap[^"]*">E<\/span>very so often/.test(text)),
    'the drop capital span survives the conversion'
  )
  const css = (await Promise.all(book.names.filter((name) => name.endsWith('.css')).map((name) => book.text(name)))).join('\n')
  const rule = /\.drop-cap\s*\{([^}]*)\}/.exec(css)?.[1] ?? ''
  assert.match(rule, /float:\s*left/)
  assert.match(rule, /font-size:\s*3\.2em/)
})
