// The paperback of one book (`--print`): `<book>-paperback.pdf`, the interior, laid out, its
// pages counted and laid out again while the count moves it into another of KDP's gutter
// bands, and `<book>-paperback-cover.pdf`, the full-wrap cover for that count. What it finds
// (too few or too many pages, an image under 300 dpi) is returned for the caller to report;
// a book out of KDP's page range gives no files. Pure apart from the compiler's font files.
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import type {Page, PreparedBook, PrintSpec} from '../../model.js'
import {imageInfo} from '../../shared/image-info.js'
import {renderCover} from '../cover/draw.js'
import {schemeFor} from '../cover/design.js'
import {coverImageName} from '../pages.js'
import {coverSource, frontPanel} from './cover.js'
import {estimatePages, interiorSource} from './interior.js'
import {gutterFor, pageLimits} from './kdp.js'
import {printDpi} from './markup.js'
import {layOut, type TypstDocument} from './typst.js'

export {coverSize, gutterFor, pageLimits, spineWidth, trimSizes, spineTextFrom, barcodeBox, coverBleed} from './kdp.js'
export {marginsFor} from './interior.js'

export interface PrintProblem {
  ruleId: 'print-page-count' | 'print-image-resolution' | 'print-glyph'
  severity: 'error' | 'warning'
  reason: string
  note: string
  /** The file at fault and where; undefined: the book's entry in the manifest. */
  file?: VFile | undefined
  place?: Position | undefined
}

export interface Paperback {
  files: Array<{name: string; bytes: Uint8Array}>
  problems: PrintProblem[]
  pages: number
  gutter: number
  cover: {width: number; height: number; spine: number} | undefined
}

export function paperbackNames(fileName: string): {interior: string; cover: string} {
  const base = fileName.replace(/\.epub$/, '')
  return {interior: `${base}-paperback.pdf`, cover: `${base}-paperback-cover.pdf`}
}

export async function renderPaperback(prepared: PreparedBook, spec: PrintSpec): Promise<Paperback> {
  const {book} = prepared
  const problems: PrintProblem[] = []
  const names = paperbackNames(book.fileName)
  const which = book.kind === 'volume' ? `Volume ${book.position} (${book.title})` : `The collection (${book.title})`

  // Each layout reports its own images (the measure narrows as the gutter widens); the last one's are kept.
  let imageProblems: PrintProblem[] = []
  const warned = new Set<string>()
  const lowResolution = (page: Page, image: string, dpi: number, inches: number) => {
    if (warned.has(image)) return
    warned.add(image)
    const review = page.part?.reviews.find((candidate) => candidate.chapterFile === page.file)
    const source = review ?? [page.part?.foreword, page.part?.introduction, book.about].find((loaded) => loaded && loaded.images.some((i) => i.name === image))
    const known = source?.images.find((candidate) => candidate.name === image)
    imageProblems.push({
      ruleId: 'print-image-resolution',
      severity: 'warning',
      reason: `The image \`${known ? known.path.split(/[\\/]/).pop() : image}\` prints ${inches.toFixed(2)} in wide in the paperback of ${which.charAt(0).toLowerCase()}${which.slice(1)}, which is ${dpi} dpi; KDP Print asks for at least ${printDpi}`,
      note: `Use an image at least ${Math.ceil(inches * printDpi)} pixels wide, or a smaller one is printed blurred.`,
      file: source?.file,
      place: known?.place
    })
  }

  // Characters the font lacks, by the file they come from (the same text in every layout: found once).
  const glyphs = new Map<string, {file: VFile | undefined; chars: Set<string>}>()
  const missing = (page: Page, chars: string[]) => {
    const source = sourceOf(page)
    const key = source?.file.path ?? page.file
    const entry = glyphs.get(key) ?? {file: source?.file, chars: new Set<string>()}
    for (const char of chars) entry.chars.add(char)
    glyphs.set(key, entry)
  }
  const sourceOf = (page: Page) =>
    page.part?.reviews.find((candidate) => candidate.chapterFile === page.file) ??
    (page.role === 'foreword' ? page.part?.foreword : page.role === 'introduction' ? page.part?.introduction : page.role === 'about' ? book.about : undefined)
  let first = true
  const layOutInterior = (gutter: number) => {
    imageProblems = []
    warned.clear()
    const source = interiorSource(prepared, spec, {gutter}, lowResolution, first ? missing : () => {})
    first = false
    return layOut(source)
  }
  // Lay out in the band of a first guess, count, and lay out again while the count lands in
  // another band; should the count swing between two bands, the wider gutter is kept (it is
  // more than KDP asks of the smaller count, never less).
  let gutter = gutterFor(estimatePages(prepared, spec))
  const tried = new Map<number, {document: TypstDocument; images: PrintProblem[]}>()
  let document = await layOutInterior(gutter)
  for (let round = 0; round < 5; round++) {
    tried.set(gutter, {document, images: imageProblems})
    const needed = gutterFor(document.pages)
    if (needed === gutter) break
    const earlier = tried.get(needed)
    if (earlier) {
      if (needed > gutter) {
        gutter = needed
        document = earlier.document
        imageProblems = earlier.images
      }
      break
    }
    gutter = needed
    document = await layOutInterior(gutter)
  }
  problems.push(...imageProblems)
  for (const {file, chars} of glyphs.values()) {
    const list = [...chars]
    const text = String(file?.value ?? '')
    const at = text.indexOf(list[0]!)
    const before = text.slice(0, Math.max(0, at))
    const line = before.split('\n').length
    const column = before.length - before.lastIndexOf('\n')
    problems.push({
      ruleId: 'print-glyph',
      severity: 'warning',
      reason: `${list.map((char) => `\`${char}\` (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ')} ${list.length === 1 ? 'is' : 'are'} not in EB Garamond, the paperback's font, and would print as ${list.length === 1 ? 'an empty box' : 'empty boxes'}`,
      note: 'Write the character another way (a word for an emoji, a plain letter for a symbol), or leave it out of the printed book.',
      file,
      place: at >= 0 ? {start: {line, column}, end: {line, column: column + list[0]!.length}} : undefined
    })
  }
  const pages = document.pages
  const limits = pageLimits[spec.paper]
  if (pages < limits.least || pages > limits.most) {
    const few = pages < limits.least
    problems.push({
      ruleId: 'print-page-count',
      severity: 'error',
      reason: `${which} sets as a paperback of ${pages} pages; KDP Print prints ${limits.least} to ${limits.most} pages in black and white on ${spec.paper} paper`,
      note: few
        ? 'Give the volume more reviews in volumes.yaml (or join it with the next), choose a smaller trim under `print`, or leave out `--print` for it.'
        : book.kind === 'collection'
          ? 'A collection this long cannot be one paperback: print the volumes instead (build with `--no-collection`), or make more, shorter volumes in volumes.yaml.'
          : 'Split the volume into two in volumes.yaml, or choose a larger trim under `print`.'
    })
    return {files: [], problems, pages, gutter, cover: undefined}
  }

  const coverName = coverImageName(book)
  const panel = frontPanel(spec)
  let front: Uint8Array | undefined
  if (book.cover && coverName) {
    front = prepared.images.get(coverName)
    const info = front ? imageInfo(front) : undefined
    if (info?.width && info.height && info.format !== 'svg') {
      const dpi = Math.min(info.width / panel.width, info.height / panel.height)
      if (dpi < printDpi)
        problems.push({
          ruleId: 'print-image-resolution',
          severity: 'warning',
          reason: `The cover image prints ${panel.width.toFixed(3)} × ${panel.height.toFixed(3)} in on the paperback's front (with bleed), which is ${Math.floor(dpi)} dpi; KDP Print asks for at least ${printDpi}`,
          note: `Use a cover of at least ${Math.ceil(panel.width * printDpi)} × ${Math.ceil(panel.height * printDpi)} pixels for this trim.`,
          place: book.coverPlace
        })
    }
  }
  if (!front && book.coverText) {
    // The drawn cover, rendered again at 300 dpi for the front panel (its proportions may leave a sliver to crop).
    const wide = Math.ceil(Math.max(panel.width, panel.height / 1.6) * printDpi)
    front = await renderCover(book.coverText, wide)
  }
  const interior = document.pdf()
  const files = [{name: names.interior, bytes: interior}]
  let cover: Paperback['cover']
  if (front) {
    const extension = imageInfo(front)?.format ?? 'png'
    const made = coverSource(book, spec, pages, front, `/img/front.${extension === 'jpeg' ? 'jpg' : extension}`, schemeFor(book.position))
    const coverDocument = await layOut(made)
    files.push({name: names.cover, bytes: coverDocument.pdf()})
    cover = {width: made.width, height: made.height, spine: made.spine}
  }
  return {files, problems, pages, gutter, cover}
}
