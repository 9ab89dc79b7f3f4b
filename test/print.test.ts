// The paperback (`--print`), checked with tools no one here wrote: the sample series' reviews
// (regrouped into two volumes, since the sample's own three-review volumes are under KDP's 24
// pages) and the collection are built once with `--print`, then every PDF is held to
// `pdfinfo` (page size is the trim, page count, metadata), `pdffonts` (every font embedded),
// `qpdf --check` (structure) and `pdftoppm` renders (nothing inside KDP's margins, the
// barcode box left white); `pdftotext` finds a note on the page of its reference. The
// cover's size is held to KDP's formula for its page count, and a second build gives the
// same bytes.
import assert from 'node:assert/strict'
import {execFileSync, spawnSync} from 'node:child_process'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {after, before, describe, test} from 'node:test'
import {build} from '../src/index.js'
import type {Book, BuildResult} from '../src/model.js'
import {coverSize, gutterFor, marginsFor, paperbackNames, spineTextFrom, spineWidth} from '../src/render/print/index.js'
import {escapeMarkup} from '../src/render/print/escape.js'
import {pageMarkup} from '../src/render/print/markup.js'
import {layOut} from '../src/render/print/typst.js'
import {regroupForPrint} from './helpers/paperback.js'
import {copySample, removeDir, tempDir, tinyPng} from './helpers/project.js'
import {coverSource} from '../src/render/print/cover.js'
import {schemeFor} from '../src/render/cover/design.js'

const tools = ['pdfinfo', 'pdffonts', 'qpdf', 'pdftoppm', 'pdftotext']
const missing = tools.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
if (missing.length > 0) {
  const message = `${missing.join(', ')} missing: apt-get install -y poppler-utils qpdf`
  if (process.env.CI === 'true') throw new Error(message)
  console.warn(`\n!!! ${message}; the paperback tests are skipped !!!\n`)
}

const epoch = '1700000000'
/** The trim test/helpers/paperback.ts asks for, in inches. */
const trim = {width: 5, height: 8}
const inch = 72
let project = ''
let out = ''
let result: BuildResult

before(async () => {
  if (missing.length > 0) return
  project = await copySample()
  await regroupForPrint(project)
  out = await tempDir('print-out-')
  result = await build({cwd: project, out, print: true, sourceDateEpoch: epoch, cache: false})
})

after(async () => {
  await removeDir(project)
  await removeDir(out)
})

function run(tool: string, args: string[]): string {
  return execFileSync(tool, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
}

/** `pdfinfo`'s fields; with a page range, every page's size as [width, height] in points. */
function pdfinfo(file: string, pages?: number): {fields: Map<string, string>; sizes: Array<[number, number]>} {
  const text = run('pdfinfo', pages ? ['-f', '1', '-l', String(pages), file] : [file])
  const fields = new Map<string, string>()
  const sizes: Array<[number, number]> = []
  for (const line of text.split('\n')) {
    const size = /^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/.exec(line)
    if (size) sizes.push([Number(size[1]), Number(size[2])])
    const field = /^([^:]+):\s*(.*)$/.exec(line)
    if (field) fields.set(field[1]!.trim(), field[2]!.trim())
  }
  return {fields, sizes}
}

interface Gray {
  width: number
  height: number
  pixels: Uint8Array
}

/** Pages rendered by pdftoppm as 8-bit grey at `dpi`, in page order (one run: its PGMs follow one another on stdout). */
function render(file: string, dpi: number, first: number, last: number): Gray[] {
  const bytes = execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-f', String(first), '-l', String(last), file], {maxBuffer: 1 << 28})
  const pages: Gray[] = []
  let at = 0
  while (at < bytes.length) {
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(at, at + 40).toString('latin1'))
    assert.ok(header, 'pdftoppm gives binary PGMs')
    const width = Number(header[1])
    const height = Number(header[2])
    const start = at + Buffer.byteLength(header[0], 'latin1')
    pages.push({width, height, pixels: bytes.subarray(start, start + width * height)})
    at = start + width * height
  }
  assert.equal(pages.length, last - first + 1)
  return pages
}

/** The darkest pixel in a rectangle (inches from the top left). */
function darkest(page: Gray, dpi: number, x: number, y: number, w: number, h: number): number {
  let min = 255
  const x0 = Math.max(0, Math.floor(x * dpi))
  const y0 = Math.max(0, Math.floor(y * dpi))
  const x1 = Math.min(page.width, Math.ceil((x + w) * dpi))
  const y1 = Math.min(page.height, Math.ceil((y + h) * dpi))
  for (let row = y0; row < y1; row++) for (let col = x0; col < x1; col++) min = Math.min(min, page.pixels[row * page.width + col]!)
  return min
}

/** The lightest pixel in a rectangle (inches from the top left). */
function brightest(page: Gray, dpi: number, x: number, y: number, w: number, h: number): number {
  let max = 0
  for (let row = Math.floor(y * dpi); row < Math.min(page.height, Math.ceil((y + h) * dpi)); row++)
    for (let col = Math.floor(x * dpi); col < Math.min(page.width, Math.ceil((x + w) * dpi)); col++) max = Math.max(max, page.pixels[row * page.width + col]!)
  return max
}

/** Lays out a fragment of a review (`body`, XHTML) on a page `inches` wide, alone; its markup and the text pdftotext reads back. */
async function fragmentText(body: string, inches: number): Promise<{markup: string; text: string}> {
  const context = {files: new Set<string>(), images: new Map(), measure: 4, used: new Map(), lowResolution: () => {}, missingGlyphs: () => {}}
  const markup = pageMarkup(body, context)
  const document = await layOut({
    source: `#set text(font: "EB Garamond", fallback: false)\n#set page(width: ${inches}in, height: 4in)\n${markup}\n`,
    files: new Map()
  })
  const out = await tempDir('fragment-')
  try {
    const file = path.join(out, 'fragment.pdf')
    await writeFile(file, document.pdf())
    return {markup, text: run('pdftotext', [file, '-'])}
  } finally {
    await removeDir(out)
  }
}

describe('the paperback', {skip: missing.length > 0}, () => {
  test('the build writes an interior and a cover PDF beside each book, with no problem but the sample image under 300 dpi', () => {
    const problems = result.files.flatMap((file) => file.messages).map((message) => message.ruleId)
    assert.deepEqual([...new Set(problems)], ['print-image-resolution'], result.files.flatMap((file) => file.messages.map(String)).join('\n'))
    assert.equal(result.written, true)
    assert.equal(result.outputs.length, 3)
    for (const output of result.outputs) {
      assert.ok(output.print, `${output.title} has a paperback`)
      assert.equal(path.basename(output.print.interior.path), paperbackNames(path.basename(output.path)).interior)
      assert.equal(path.basename(output.print.cover.path), paperbackNames(path.basename(output.path)).cover)
    }
  })

  test('every interior page is the trim (5 × 8 in); the count is even, within KDP’s 24–776 for cream, and the gutter is its band’s', () => {
    for (const output of result.outputs) {
      const {pages, interior, gutter} = output.print!
      const info = pdfinfo(interior.path, pages)
      assert.equal(Number(info.fields.get('Pages')), pages)
      assert.equal(pages % 2, 0, `${output.title}: an even page count`)
      assert.ok(pages >= 24 && pages <= 776, `${output.title}: ${pages} pages`)
      assert.ok(gutter >= gutterFor(pages), `${output.title}: gutter ${gutter} in for ${pages} pages`)
      assert.equal(info.sizes.length, pages)
      for (const [width, height] of info.sizes) assert.deepEqual([width, height], [trim.width * inch, trim.height * inch])
    }
  })

  test('the PDFs carry title, author and subject, and no date but the build’s own (SOURCE_DATE_EPOCH)', () => {
    const volume = result.outputs.find((output) => output.volume === 1)!
    const {fields} = pdfinfo(volume.print!.interior.path)
    assert.equal(fields.get('Title'), 'Essential Film Reviews, Volume 1: Silents to New Waves')
    assert.equal(fields.get('Author'), 'Morwenna Castellan')
    assert.match(fields.get('Subject') ?? '', /^Spoiler-free reviews/)
    assert.match(fields.get('CreationDate') ?? '', /Nov 14 .*2023/)
  })

  test('pdffonts: every font is embedded, and every one is EB Garamond', () => {
    for (const output of result.outputs) {
      for (const file of [output.print!.interior.path, output.print!.cover.path]) {
        const rows = run('pdffonts', [file]).trim().split('\n').slice(2)
        assert.ok(rows.length > 0)
        for (const row of rows) {
          const columns = row.trim().split(/\s+/)
          // name type [type] encoding emb sub uni object ID: `emb` is the fifth column from the end.
          assert.equal(columns.at(-5), 'yes', `embedded: ${row}`)
          assert.match(columns[0]!, /^[A-Z]{6}\+EBGaramond-/, row)
        }
      }
    }
  })

  test('qpdf --check finds no fault in any PDF', () => {
    for (const output of result.outputs) {
      for (const file of [output.print!.interior.path, output.print!.cover.path]) {
        const checked = spawnSync('qpdf', ['--check', file], {encoding: 'utf8'})
        assert.equal(checked.status, 0, checked.stdout + checked.stderr)
        assert.match(checked.stdout, /No syntax or stream encoding errors found/)
      }
    }
  })

  test('pdftoppm: nothing on any page of volume 1 is printed inside KDP’s margins (0.25 in; the gutter band inside)', () => {
    const volume = result.outputs.find((output) => output.volume === 1)!
    const {pages, gutter} = volume.print!
    const dpi = 50
    const rendered = render(volume.print!.interior.path, dpi, 1, pages)
    const inked: string[] = []
    rendered.forEach((page, index) => {
      const recto = index % 2 === 0
      const w = trim.width
      const h = trim.height
      const inside = recto ? darkest(page, dpi, 0, 0, gutter, h) : darkest(page, dpi, w - gutter, 0, gutter, h)
      const outside = recto ? darkest(page, dpi, w - 0.25, 0, 0.25, h) : darkest(page, dpi, 0, 0, 0.25, h)
      const top = darkest(page, dpi, 0, 0, w, 0.25)
      const bottom = darkest(page, dpi, 0, h - 0.25, w, 0.25)
      if (Math.min(inside, outside, top, bottom) < 250) inked.push(`page ${index + 1}`)
    })
    assert.deepEqual(inked, [])
    // And the check can fail: the text block does reach the margins the design sets.
    const margins = marginsFor({gutter})
    const opening = rendered[8]!
    assert.ok(
      darkest(opening, dpi, margins.inside, margins.top, trim.width - margins.inside - margins.outside, trim.height - margins.top - margins.bottom) < 100
    )
  })

  test('pdftotext: a note sits at the foot of the page that refers to it', () => {
    const volume = result.outputs.find((output) => output.volume === 1)!
    const file = volume.print!.interior.path
    let found = 0
    const pages = run('pdftotext', ['-layout', file, '-']).split('\f')
    for (const [index, page] of pages.entries()) {
      const text = page.replace(/\s+/g, ' ')
      if (!text.includes('Like many silent epics')) continue
      found = index + 1
      assert.match(text, /two and a half hours/, 'the sentence with the note reference is on the same page')
      assert.ok(text.indexOf('Like many silent epics') > text.indexOf('two and a half hours'), 'the note comes after its reference, at the foot')
    }
    assert.ok(found > 0, 'the Metropolis note is in the book')
  })

  test('the contents and the indexes give page numbers, roman before the reviews and arabic from them', () => {
    const collection = result.outputs.find((output) => output.kind === 'collection')!
    const text = run('pdftotext', ['-layout', '-f', '1', '-l', '8', collection.print!.interior.path, '-'])
    assert.match(text, /Contents/)
    assert.match(text, /Volume 1: Silents to New Waves[ .]+1\n/)
    assert.match(text, /Introduction[ .]+\d+\n/)
    const all = run('pdftotext', ['-layout', collection.print!.interior.path, '-'])
    assert.match(all, /Films by Title/)
    // The index gives Alien the page the contents gives it.
    const listed = /Alien \(1979\)[ .]+(\d+)\n/.exec(text)
    const indexed = /Alien \(1979\) Volume 1[ .]+(\d+)\n/.exec(all)
    assert.ok(listed && indexed, 'Alien is in the contents and the index')
    assert.equal(indexed[1], listed[1])
    const volume = run('pdftotext', ['-layout', '-f', '1', '-l', '8', result.outputs.find((output) => output.volume === 1)!.print!.interior.path, '-'])
    assert.match(volume, /Introduction[ .]+[ivx]+\n/)
    assert.match(volume, /Nosferatu \(1922\)[ .]+1\n/)
    // No folio on the half title, the title page or the copyright page.
    const [half, , title, copyright] = volume.split('\f')
    for (const page of [half!, title!, copyright!]) assert.doesNotMatch(page, /^\s*[ivx]+\s*$/m)
  })

  test('with `recto: true` every review opens on a right-hand (odd) page', () => {
    for (const output of result.outputs) {
      const contents = run('pdftotext', ['-layout', '-f', '1', '-l', '8', output.print!.interior.path, '-'])
      const numbers = [...contents.matchAll(/\(\d{4}\)[ .]+(\d+)\n/g)].map((match) => Number(match[1]))
      assert.equal(numbers.length, output.reviews, `${output.title}: every review is in the contents`)
      assert.deepEqual(
        numbers.filter((page) => page % 2 === 0),
        [],
        `${output.title}: reviews on even pages`
      )
    }
  })

  test('a link whose text is not its address keeps the text and puts the address in a note; a cross-volume link says “see Volume 2”', () => {
    const volume = run('pdftotext', [result.outputs.find((output) => output.volume === 1)!.print!.interior.path, '-'])
    assert.match(volume, /\(see Volume\s2\)/)
  })

  test('the cover is back, spine and front with 0.125 in bleed, its spine from the page count on cream paper, the barcode box left white', () => {
    for (const output of result.outputs) {
      const {pages, cover} = output.print!
      const expected = coverSize('5x8', pages, 'cream')
      assert.ok(Math.abs(expected.spine - pages * 0.0025) < 1e-9)
      assert.ok(Math.abs(expected.width - (0.125 + trim.width + pages * 0.0025 + trim.width + 0.125)) < 1e-9)
      const info = pdfinfo(cover.path, 1)
      assert.equal(Number(info.fields.get('Pages')), 1)
      const [width, height] = info.sizes[0]!
      assert.ok(Math.abs(width - expected.width * inch) < 0.01, `${width} pt wide, expected ${expected.width * inch}`)
      assert.ok(Math.abs(height - (trim.height + 0.25) * inch) < 0.01)
      assert.equal(output.print!.spine, spineWidth(pages, 'cream'))
    }
    const volume = result.outputs.find((output) => output.volume === 1)!
    const dpi = 40
    const [page] = render(volume.print!.cover.path, dpi, 1, 1)
    // The box: 2 × 1.2 in, a quarter inch from the spine and from the bottom trim.
    const box = {x: 0.125 + trim.width - 0.25 - 2, y: 0.125 + trim.height - 0.25 - 1.2}
    assert.equal(darkest(page!, dpi, box.x + 0.05, box.y + 0.05, 1.9, 1.1), 255, 'nothing printed in the barcode box')
    assert.ok(darkest(page!, dpi, box.x - 0.5, box.y - 0.5, 0.3, 0.3) < 200, 'the back round it is coloured')
    // Under 80 pages the spine is one flat colour.
    const [plain] = render(volume.print!.cover.path, 100, 1, 1)
    const spine = {x: 0.125 + trim.width + 0.02, y: 1, w: volume.print!.spine - 0.04, h: trim.height - 2}
    assert.ok(volume.print!.pages < spineTextFrom)
    assert.ok(
      brightest(plain!, 100, spine.x, spine.y, spine.w, spine.h) - darkest(plain!, 100, spine.x, spine.y, spine.w, spine.h) < 8,
      'no text on a thin spine'
    )
  })

  test('the same inputs and SOURCE_DATE_EPOCH give byte-identical PDFs', async () => {
    const again = await tempDir('print-again-')
    try {
      const second = await build({cwd: project, out: again, print: true, sourceDateEpoch: epoch, cache: false, volumes: [1]})
      const first = result.outputs.find((output) => output.volume === 1)!.print!
      const repeat = second.outputs[0]!.print!
      assert.equal(repeat.interior.sha256, first.interior.sha256)
      assert.equal(repeat.cover.sha256, first.cover.sha256)
    } finally {
      await removeDir(again)
    }
  })
})

describe('the cover of a thicker book', {skip: missing.length > 0}, () => {
  test('from 80 pages the spine carries the title, clear of the folds', async () => {
    const book = {
      kind: 'volume',
      series: 'Test Series',
      position: 3,
      title: 'A Thick Volume',
      authors: ['Ada Critic'],
      language: 'en-GB',
      description: 'Reviews.',
      publisher: undefined
    } as unknown as Book
    const spec = {trim: '6x9', paper: 'white', recto: false, place: undefined} as const
    const made = coverSource(book, spec, 320, tinyPng, '/img/front.png', schemeFor(3))
    assert.ok(Math.abs(made.spine - 320 * 0.002252) < 1e-9)
    const document = await layOut(made)
    const out = await tempDir('spine-')
    try {
      const file = path.join(out, 'cover.pdf')
      await writeFile(file, document.pdf())
      const [page] = render(file, 150, 1, 1)
      const x = 0.125 + 6
      assert.ok(
        brightest(page!, 150, x + 0.0625, 1, made.spine - 0.125, 7) - darkest(page!, 150, x + 0.0625, 1, made.spine - 0.125, 7) > 80,
        'text on the spine'
      )
      // Nothing but the ground colour within 0.0625 in of either fold.
      for (const edge of [x, x + made.spine - 0.065]) {
        const strip = [edge + 0.005, 0.5, 0.04, 8.5] as const
        assert.ok(brightest(page!, 150, ...strip) - darkest(page!, 150, ...strip) < 8, `clear of the fold at ${edge.toFixed(3)} in`)
      }
      const text = run('pdftotext', [file, '-'])
      assert.match(text, /A THICK VOLUME|A Thick Volume/i)
    } finally {
      await removeDir(out)
    }
  })
})

describe('markup for Typst', {skip: missing.length > 0}, () => {
  test('every character Typst treats as markup prints as itself', async () => {
    const hostile = '#set text(red) *b* _i_ `r` $x^2$ <l> @ref [a] ~ // c /* d */ \\ -- --- -? -1 = h + e 1. f / t: d ... a;b #x.y "q" \'s\''
    const body = `<p>${hostile.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p><p><em>x</em>(y)[z];w</p>`
    const {markup, text} = await fragmentText(body, 8)
    assert.doesNotMatch(markup, /@preview|#import/)
    assert.equal(text.replace(/\s+/g, ' ').trim(), `${hostile} x(y)[z];w`)
  })

  test('a link keeps its text and gives its address in a footnote, unless the text is the address', async () => {
    const body = '<p>See <a href="https://example.com/reviews/a?b=c">the old site</a> or <a href="https://example.org">https://example.org</a>.</p>'
    const {text} = await fragmentText(body, 6)
    // pdftotext shows the address's break chances (zero-width spaces) as spaces.
    assert.equal(text.replace(/[\s\u200b]+/g, ''), 'Seetheoldsite1orhttps://example.org.1https://example.com/reviews/a?b=c')
  })

  test('the escaper leaves letters, digits and spaces alone and folds white space', () => {
    assert.equal(escapeMarkup('Plain text 123'), 'Plain text 123')
    assert.equal(escapeMarkup('a\n\n b'), 'a b')
  })
})
