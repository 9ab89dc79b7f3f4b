// KDP Print's numbers for a black-and-white paperback, each from KDP's help pages (cited in
// the README's "The paperback"): trim sizes, the inside margin by page count, the page-count
// limits, spine width per page and the cover's bleed and barcode box. Pure.
import type {PaperColour, TrimSize} from '../../model.js'

/** Width and height in inches of each trim size the manifest may name (`print: {trim: 5.5x8.5}`). */
export const trimSizes: Record<TrimSize, {width: number; height: number}> = {
  '5x8': {width: 5, height: 8},
  '5.06x7.81': {width: 5.06, height: 7.81},
  '5.25x8': {width: 5.25, height: 8},
  '5.5x8.5': {width: 5.5, height: 8.5},
  '6x9': {width: 6, height: 9},
  '6.14x9.21': {width: 6.14, height: 9.21}
}

/** The fewest and most pages KDP prints in black and white (G201834180): 24 to 828 on white paper, 776 on cream. */
export const pageLimits: Record<PaperColour, {least: number; most: number}> = {
  white: {least: 24, most: 828},
  cream: {least: 24, most: 776}
}

/** The least inside (gutter) margin for a page count (GVBQ3CMEQW3W2VL6), in inches. */
export function gutterFor(pages: number): number {
  if (pages <= 150) return 0.375
  if (pages <= 300) return 0.5
  if (pages <= 500) return 0.625
  if (pages <= 700) return 0.75
  return 0.875
}

/** The least margin on the other three sides of a page without bleed (GVBQ3CMEQW3W2VL6), in inches. */
export const outerMinimum = 0.25

/** Spine width per page (G201953020), in inches. */
export const spinePerPage: Record<PaperColour, number> = {white: 0.002252, cream: 0.0025}

/** Bleed round a cover (G201953020), in inches. */
export const coverBleed = 0.125

/** KDP prints spine text only on books of more than 79 pages (G201953020). */
export const spineTextFrom = 80

/** The box KDP prints the barcode in, bottom right of the back cover (G5HDYGP4BXLX4RUW), and its distance from the trim and the spine, in inches. */
export const barcodeBox = {width: 2, height: 1.2, inset: 0.25}

/** Spine width for a page count on a paper, in inches. */
export function spineWidth(pages: number, paper: PaperColour): number {
  return pages * spinePerPage[paper]
}

/** The full-wrap cover's size: bleed, back, spine, front, bleed; in inches. */
export function coverSize(trim: TrimSize, pages: number, paper: PaperColour): {width: number; height: number; spine: number} {
  const {width, height} = trimSizes[trim]
  const spine = spineWidth(pages, paper)
  return {width: 2 * coverBleed + 2 * width + spine, height: 2 * coverBleed + height, spine}
}
