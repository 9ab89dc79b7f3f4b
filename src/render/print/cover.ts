// The paperback's full-wrap cover as one Typst page: bleed, back, spine, front, bleed. The
// front is the e-book's cover (the author's image, or the drawn one rendered again at
// 300 dpi); the back carries the description above KDP's barcode box, which is left white;
// the spine carries the title only on books thick enough for KDP to print it. Pure.
import type {Book} from '../../model.js'
import type {Scheme} from '../cover/design.js'
import {joinNames} from '../../shared/names.js'
import {typstString} from './escape.js'
import {barcodeBox, coverBleed, coverSize, spineTextFrom, trimSizes} from './kdp.js'
import type {PrintSpec} from '../../model.js'

/** Text on the cover keeps this far inside the trim (KDP asks for at least 0.125 in; 0.25 in is safe for anything that must not be cut). */
const safe = 0.375
/** The clearance KDP asks between spine text and the folds (G201953020). */
const spineClearance = 0.0625

export interface CoverSource {
  source: string
  files: Map<string, Uint8Array>
  width: number
  height: number
  spine: number
}

/** The front panel's size with its bleed (outside edge, top and bottom), in inches: what the front image must cover. */
export function frontPanel(spec: PrintSpec): {width: number; height: number} {
  const trim = trimSizes[spec.trim]
  return {width: trim.width + coverBleed, height: trim.height + 2 * coverBleed}
}

export function coverSource(book: Book, spec: PrintSpec, pages: number, front: Uint8Array, frontFile: string, scheme: Scheme): CoverSource {
  const trim = trimSizes[spec.trim]
  const size = coverSize(spec.trim, pages, spec.paper)
  const b = coverBleed
  const W = trim.width
  const H = trim.height
  const S = size.spine
  const panel = frontPanel(spec)
  const author = joinNames(book.authors, book.language)
  const backWidth = W - 2 * safe
  // The description stops above the barcode box, with a quarter inch to spare.
  const backHeight = H - 2 * safe - barcodeBox.height - barcodeBox.inset - 0.25
  const seriesLine = book.kind === 'volume' ? `${book.series} · Volume ${book.position}` : book.series
  const lines = [
    `#set document(title: ${typstString(`Cover: ${book.title}`)}, author: (${book.authors.map(typstString).join(', ')},), date: none)`,
    `#set page(width: ${size.width}in, height: ${size.height}in, margin: 0pt, fill: rgb(${typstString(scheme.bottom)}))`,
    `#set text(font: "EB Garamond", fallback: false, fill: rgb(${typstString(scheme.ink)}), lang: "en", hyphenate: true)`,
    `#set par(justify: true, leading: 0.6em, spacing: 0.9em)`,
    // The back: series line, title, description fitted to the space above the barcode box.
    `#place(top + left, dx: ${b + safe}in, dy: ${b + safe}in, block(width: ${backWidth}in, height: ${backHeight}in, clip: true, {`,
    `  set align(center)`,
    `  block(below: 0.8em, smallcaps(all: true, text(size: 9pt, tracking: 0.08em, fill: rgb(${typstString(scheme.accent)}), ${typstString(seriesLine)})))`,
    `  block(below: 1.2em, text(size: 17pt, ${typstString(book.title)}))`,
    `  set align(left)`,
    `  let body = ${typstString(book.description ?? '')}`,
    `  context {`,
    `    let room = ${backHeight - 0.9}in`,
    `    let size = (14pt, 13pt, 12pt, 11pt, 10.5pt, 10pt, 9.5pt, 9pt, 8.5pt, 8pt).find(s => measure(block(width: ${backWidth}in, text(size: s, body))).height <= room)`,
    `    text(size: if size == none { 8pt } else { size }, body)`,
    `  }`,
    `}))`,
    `#place(top + left, dx: ${b + safe}in, dy: ${b + H - safe - 0.3}in, text(size: 9pt, fill: rgb(${typstString(scheme.accent)}), ${typstString(book.publisher ?? author)}))`,
    // KDP prints the barcode here: left white and empty.
    `#place(top + left, dx: ${b + W - barcodeBox.inset - barcodeBox.width}in, dy: ${b + H - barcodeBox.inset - barcodeBox.height}in, rect(width: ${barcodeBox.width}in, height: ${barcodeBox.height}in, fill: white, stroke: none))`,
    // The front, from the fold to the outer bleed.
    `#place(top + left, dx: ${b + W + S}in, dy: 0in, image(${typstString(frontFile)}, width: ${panel.width}in, height: ${panel.height}in, fit: "cover"))`
  ]
  if (pages >= spineTextFrom) {
    const room = S - 2 * spineClearance
    const points = Math.max(5, Math.min(11, room * 72 * 0.62))
    lines.push(
      `#place(top + left, dx: ${b + W}in, dy: ${b}in, box(width: ${S}in, height: ${H}in, align(center + horizon, rotate(90deg, reflow: true, box(width: ${H - 2 * safe}in, align(center, text(size: ${points.toFixed(2)}pt, {`,
      `  smallcaps(all: true, text(tracking: 0.06em, ${typstString(book.title)}))`,
      `  h(1fr)`,
      `  text(${typstString(author)})`,
      `})))))))`
    )
  }
  return {source: `${lines.join('\n')}\n`, files: new Map([[frontFile, front]]), width: size.width, height: size.height, spine: S}
}
