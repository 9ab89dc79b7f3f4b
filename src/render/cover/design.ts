// Typographic covers: give it a volume's series, number, title, subtitle and author, and it
// gives the cover's design as a 1600×2560 SVG, with text measured against EB Garamond's own
// widths so lines fit. Pure and deterministic (no clock, no randomness); draw.ts
// turns it into a PNG.

const width = 1600
const height = 2560
const family = 'EB Garamond'
export {width as coverWidth, height as coverHeight, family as coverFamily}

export interface Scheme {
  /** Background gradient, top to bottom: a gentle fall-off reads as paper-over-board rather than flat fill. */
  top: string
  bottom: string
  accent: string
  ink: string
}

// Deep, harmonious cloth colours, each with a warm metallic accent; a series shelf should read
// as a set, with neighbouring volumes clearly apart even as thumbnails.
const palette: readonly Scheme[] = [
  {top: '#6e1f26', bottom: '#4a1318', accent: '#e2c17e', ink: '#f7efdd'}, // oxblood
  {top: '#1f3a5f', bottom: '#13243d', accent: '#e6b980', ink: '#f4eee2'}, // navy
  {top: '#24483a', bottom: '#152c23', accent: '#dcc98e', ink: '#f3efdf'}, // forest
  {top: '#4d2748', bottom: '#30172d', accent: '#e9bfa6', ink: '#f7ede6'}, // aubergine
  {top: '#115263', bottom: '#0a3340', accent: '#f0cb8a', ink: '#f1f0e6'}, // teal
  {top: '#8c3d22', bottom: '#5c2514', accent: '#f4dba6', ink: '#fbf1e0'}, // terracotta
  {top: '#34444d', bottom: '#1f2a31', accent: '#e3bb5e', ink: '#f0eee8'}, // slate
  {top: '#7b5618', bottom: '#4f350c', accent: '#f6e3b4', ink: '#fcf5e6'} // ochre
]
const collectionScheme: Scheme = {top: '#1b1812', bottom: '#0b0a07', accent: '#cfa653', ink: '#f1e6c8'}

/** The colours of a book's drawn cover (the paperback's back and spine wear them too). */
export function schemeFor(volume: number | undefined): Scheme {
  if (volume === undefined || !Number.isFinite(volume)) return collectionScheme
  const index = (((Math.trunc(Math.abs(volume)) - 1) % palette.length) + palette.length) % palette.length
  return palette[index] ?? collectionScheme
}

// ---- text measurement ----
import type {CoverText} from '../../model.js'
import {escapeXml} from '../../shared/xml.js'
// Advance widths of ASCII 32–126 in thousandths of an em, read from the bundled EB Garamond
// files. The SVG is laid out without the font engine, so wrapping and shrinking use these.
const regularWidths = parseWidths(
  '200 250 330 468 441 650 756 200 315 315 340 590 230 274 230 399 480 480 480 480 480 480 480 480 480 480 248 228 560 566 560 376 749 692 587 710 754 564 512 729 810 340 340 681 584 901 792 763 552 763 713 465 670 738 672 916 707 578 603 331 399 331 500 500 200 399 515 407 506 390 318 435 515 245 226 469 240 778 528 495 519 522 334 323 314 527 438 685 430 438 377 376 260 376 500'
)
const semiBoldWidths = parseWidths(
  '225 277 376 479 454 685 785 225 308 308 352 598 242 302 242 403 513 513 513 513 513 513 513 513 513 513 271 241 547 608 547 389 770 711 613 709 762 571 535 722 804 356 360 736 585 912 804 761 589 761 744 484 687 742 695 986 736 629 599 348 403 348 509 560 225 425 533 410 537 408 346 478 545 279 253 521 270 797 553 500 540 531 388 348 355 543 468 730 480 467 417 374 270 374 530'
)
const italicWidths = parseWidths(
  '200 287 330 449 483 644 822 200 308 309 339 590 215 268 215 276 480 480 480 480 480 480 480 480 480 480 216 215 590 590 590 316 761 658 572 631 752 576 509 687 751 362 293 699 583 991 771 694 566 694 687 467 622 700 683 1067 633 575 635 361 410 360 501 464 200 491 449 313 516 341 321 415 488 294 259 455 286 789 527 380 439 473 379 276 292 509 410 623 438 405 407 352 260 352 500'
)
/** Typographic punctuation titles often carry, which ASCII does not cover. */
const extraWidths: Record<string, number> = {
  '‘': 242,
  '’': 242,
  '“': 432,
  '”': 432,
  '–': 605,
  '—': 957,
  '…': 726,
  Æ: 897,
  æ: 602,
  Œ: 973,
  œ: 761,
  ß: 555,
  ø: 495,
  Ø: 761,
  ł: 287,
  Ł: 585
}

function parseWidths(list: string): number[] {
  return list.split(' ').map(Number)
}

type Face = 'regular' | 'semibold' | 'italic'

function advance(char: string, face: Face): number {
  const table = face === 'regular' ? regularWidths : face === 'italic' ? italicWidths : semiBoldWidths
  const extra = extraWidths[char]
  if (extra !== undefined) return extra
  // Accented letters are about as wide as their base letter.
  const base = char.normalize('NFD').charAt(0)
  const code = base.charCodeAt(0)
  return (code >= 32 && code < 127 ? table[code - 32] : undefined) ?? 560
}

/** Approximate rendered width in px; `smallCaps` makes lower case count as small capitals. */
function measure(text: string, face: Face, size: number, letterSpacing = 0, smallCaps = false): number {
  let units = 0
  let count = 0
  for (const char of text) {
    const upper = char.toUpperCase()
    units += smallCaps && upper !== char && [...upper].length === 1 ? advance(upper, face) * 0.8 : advance(char, face)
    count++
  }
  return (units * size) / 1000 + letterSpacing * Math.max(0, count - 1)
}

// ---- wrapping ----

interface Fitted {
  size: number
  lines: string[]
  /** false when even the smallest size needed cutting */
  fits: boolean
}

/** How wide a line comes out at a font size. */
type Gauge = (line: string, size: number) => number

function gauge(face: Face, letterSpacingEm = 0, smallCaps = false): Gauge {
  return (line, size) => measure(line, face, size, size * letterSpacingEm, smallCaps)
}

/**
 * The largest size (from `max` down to `min`) at which the words fit `maxWidth` on at most
 * `maxLines` lines, breaking where the lines come out most even, since a balanced block looks
 * set by hand where a greedy one leaves a stub.
 */
function fitText(text: string, widthOf: Gauge, max: number, min: number, maxWidth: number, maxLines: number): Fitted {
  const words = text.split(' ').filter((w) => w !== '')
  if (words.length === 0) return {size: max, lines: [], fits: true}
  // Widths grow in proportion to the size (letter-spacing is in ems too), so the most even
  // break for each line count is the same at every size and is worked out once.
  const breaks = Array.from({length: Math.min(maxLines, words.length)}, (_, i) => balancedBreak(words, i + 1, widthOf))
  for (let size = max; size >= min; size -= 2) {
    const fitting = breaks.find((b) => b.widest * size <= maxWidth)
    if (fitting) return {size, lines: fitting.lines, fits: true}
  }
  return {size: min, fits: false, lines: truncateToLines(words, (line) => widthOf(line, min), maxWidth, maxLines)}
}

/** The split of `words` into `lineCount` lines whose widest line (at size 1) is narrowest. */
function balancedBreak(words: string[], lineCount: number, widthOf: Gauge): {lines: string[]; widest: number} {
  const n = words.length
  // Line widths from prefix sums: each word's width plus the space that joins it to the next.
  const space = widthOf('x x', 1) - 2 * widthOf('x', 1)
  const prefix = [0]
  for (const word of words) prefix.push((prefix[prefix.length - 1] ?? 0) + widthOf(word, 1) + space)
  const lineWidth = (from: number, to: number): number => (prefix[to] ?? 0) - (prefix[from] ?? 0) - space
  const line = (from: number, to: number): string => words.slice(from, to).join(' ')
  if (lineCount === 1) return {lines: [line(0, n)], widest: lineWidth(0, n)}
  let best = {cuts: [n], widest: Infinity}
  for (let a = 1; a < n; a++) {
    if (lineCount === 2) {
      const widest = Math.max(lineWidth(0, a), lineWidth(a, n))
      if (widest < best.widest) best = {cuts: [a], widest}
      continue
    }
    for (let b = a + 1; b < n; b++) {
      const widest = Math.max(lineWidth(0, a), lineWidth(a, b), lineWidth(b, n))
      if (widest < best.widest) best = {cuts: [a, b], widest}
    }
  }
  const edges = [0, ...best.cuts, n]
  return {lines: edges.slice(1).map((to, i) => line(edges[i] ?? 0, to)), widest: best.widest}
}

/** Last resort for text too long even at the smallest size: fill the lines, cut what is left, and say so with an ellipsis. */
function truncateToLines(words: string[], widthOf: (line: string) => number, maxWidth: number, maxLines: number): string[] {
  const lines: string[] = []
  let current = ''
  let used = 0
  for (const word of words) {
    const candidate = current === '' ? word : `${current} ${word}`
    if (current === '' || widthOf(candidate) <= maxWidth) {
      current = candidate
      used++
      continue
    }
    lines.push(current)
    if (lines.length === maxLines) break
    current = word
    used++
  }
  if (lines.length < maxLines) lines.push(current)
  const cut = used < words.length || lines.length > maxLines
  const kept = lines.slice(0, maxLines)
  return kept.map((line, i) => {
    const last = i === kept.length - 1
    if (widthOf(line) <= maxWidth && !(last && cut)) return line
    let chars = [...line]
    while (chars.length > 0 && widthOf(`${chars.join('')}…`) > maxWidth) chars = chars.slice(0, -1)
    return `${chars.join('').trimEnd()}…`
  })
}

// ---- helpers ----

/** Cover text on one line, without characters XML forbids, and no longer than any cover can show. */
function clean(text: string): string {
  const line = text
    .replace(/[\u0000-\u001f\u007f\ufffe\uffff]/g, ' ')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/\s+/g, ' ')
    .trim()
  return line.length > 1000 ? [...line].slice(0, 1000).join('') : line
}

function roman(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 3999) return String(n)
  const numerals: Array<[number, string]> = [
    [1000, 'M'],
    [900, 'CM'],
    [500, 'D'],
    [400, 'CD'],
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I']
  ]
  let out = ''
  let rest = n
  for (const [value, symbol] of numerals) {
    while (rest >= value) {
      out += symbol
      rest -= value
    }
  }
  return out
}

function round(n: number): string {
  return String(Math.round(n * 100) / 100)
}

interface TextOptions {
  size: number
  face: Face
  fill: string
  letterSpacing?: number
  smallCaps?: boolean
  opacity?: number
}

/** One centred line; letter-spacing also follows the last glyph, so shift by half of it to stay centred. */
function textLine(content: string, y: number, o: TextOptions): string {
  const spacing = o.letterSpacing ?? 0
  const attributes = [
    `x="${round(width / 2 + spacing / 2)}"`,
    `y="${round(y)}"`,
    `font-family="${family}"`,
    `font-size="${round(o.size)}"`,
    o.face === 'semibold' ? 'font-weight="600"' : 'font-weight="400"',
    o.face === 'italic' ? 'font-style="italic"' : '',
    spacing ? `letter-spacing="${round(spacing)}"` : '',
    o.smallCaps ? 'font-variant="small-caps"' : '',
    o.opacity !== undefined ? `fill-opacity="${o.opacity}"` : '',
    `fill="${o.fill}"`,
    'text-anchor="middle"'
  ].filter((a) => a !== '')
  return `<text ${attributes.join(' ')}>${escapeXml(content)}</text>`
}

/** A thin rule with a small diamond at its centre. */
function ornamentRule(y: number, halfWidth: number, colour: string): string {
  const cx = width / 2
  const gap = 34
  const d = 11
  return [
    `<line x1="${cx - halfWidth}" y1="${y}" x2="${cx - gap}" y2="${y}" stroke="${colour}" stroke-width="2.5"/>`,
    `<line x1="${cx + gap}" y1="${y}" x2="${cx + halfWidth}" y2="${y}" stroke="${colour}" stroke-width="2.5"/>`,
    `<path d="M${cx} ${y - d} L${cx + d} ${y} L${cx} ${y + d} L${cx - d} ${y} Z" fill="${colour}"/>`,
    `<circle cx="${cx - halfWidth - 12}" cy="${y}" r="4" fill="${colour}"/>`,
    `<circle cx="${cx + halfWidth + 12}" cy="${y}" r="4" fill="${colour}"/>`
  ].join('')
}

/** A double-ruled frame with small diamonds at the inner corners, in the manner of a cloth binding's blind stamp. */
function frame(colour: string): string {
  const outer = 72
  const inner = 96
  const d = 14
  const corners: Array<[number, number]> = [
    [inner, inner],
    [width - inner, inner],
    [inner, height - inner],
    [width - inner, height - inner]
  ]
  return [
    `<rect x="${outer}" y="${outer}" width="${width - 2 * outer}" height="${height - 2 * outer}" fill="none" stroke="${colour}" stroke-width="5" stroke-opacity="0.75"/>`,
    `<rect x="${inner}" y="${inner}" width="${width - 2 * inner}" height="${height - 2 * inner}" fill="none" stroke="${colour}" stroke-width="1.8" stroke-opacity="0.6"/>`,
    ...corners.map(([x, y]) => `<path d="M${x} ${y - d} L${x + d} ${y} L${x} ${y + d} L${x - d} ${y} Z" fill="${colour}" fill-opacity="0.85"/>`)
  ].join('')
}

/**
 * The collection's emblem: every volume's cloth colour as a spine on a shelf, so the set's
 * cover carries the whole series.
 */
function shelf(accent: string): string {
  const spineWidth = 62
  const gap = 12
  const total = palette.length * spineWidth + (palette.length - 1) * gap
  const left = width / 2 - total / 2
  const base = 900
  // Fixed, uneven heights: a real shelf is never ruled flat.
  const heights = [270, 300, 250, 290, 262, 306, 276, 254]
  const spines = palette.map((scheme, i) => {
    const h = heights[i % heights.length] ?? 270
    const x = left + i * (spineWidth + gap)
    const top = base - h
    return [
      `<rect x="${x}" y="${top}" width="${spineWidth}" height="${h}" fill="${scheme.top}" stroke="${accent}" stroke-width="2"/>`,
      `<line x1="${x + 8}" y1="${top + 30}" x2="${x + spineWidth - 8}" y2="${top + 30}" stroke="${accent}" stroke-width="3"/>`,
      `<line x1="${x + 8}" y1="${base - 30}" x2="${x + spineWidth - 8}" y2="${base - 30}" stroke="${accent}" stroke-width="3"/>`,
      `<rect x="${x + 17}" y="${top + 60}" width="${spineWidth - 34}" height="${Math.round(h * 0.3)}" fill="none" stroke="${accent}" stroke-width="1.5" stroke-opacity="0.8"/>`
    ].join('')
  })
  return `${spines.join('')}<rect x="${left - 40}" y="${base}" width="${total + 80}" height="8" fill="${accent}"/>`
}

// ---- the cover ----

const textWidth = 1220

/** The cover as an SVG document, 1600×2560, using only the bundled EB Garamond. Pure. */
export function coverSvg(text: CoverText): string {
  const scheme = schemeFor(text.volume)
  const series = clean(text.series)
  const author = clean(text.author)
  const subtitle = clean(text.subtitle ?? '')
  let title = clean(text.title)
  const parts: string[] = []

  // For the collection, a title like "Series: The Complete Collection" splits into the big
  // title and the line that stands where a volume's number would.
  let label: string | undefined
  if (text.volume === undefined) {
    const colon = title.indexOf(': ')
    if (colon > 0) {
      label = title.slice(colon + 2)
      title = title.slice(0, colon)
    } else {
      label = 'The Complete Collection'
    }
  }
  const collection = label !== undefined
  // The series line is redundant when the collection's title is the series itself.
  const topLine = collection && series.toLowerCase() === title.toLowerCase() ? (label ?? '') : series

  parts.push(
    `<defs>`,
    `<linearGradient id="ground" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${scheme.top}"/><stop offset="1" stop-color="${scheme.bottom}"/></linearGradient>`,
    `<radialGradient id="glow" cx="0.5" cy="0.42" r="0.62"><stop offset="0" stop-color="#ffffff" stop-opacity="0.07"/><stop offset="1" stop-color="#ffffff" stop-opacity="0"/></radialGradient>`,
    `</defs>`,
    `<rect width="${width}" height="${height}" fill="url(#ground)"/>`,
    `<rect width="${width}" height="${height}" fill="url(#glow)"/>`,
    frame(scheme.accent)
  )

  // Series, in spaced small capitals under the head of the frame.
  if (topLine !== '') {
    const spacing = 0.12
    const fitted = fitText(topLine, gauge('regular', spacing, true), 70, 34, textWidth, 1)
    parts.push(
      textLine(fitted.lines.join(' '), 318, {size: fitted.size, face: 'regular', fill: scheme.accent, letterSpacing: fitted.size * spacing, smallCaps: true})
    )
  }
  parts.push(ornamentRule(402, 250, scheme.accent))

  // The volume's number, big enough to tell the books apart as thumbnails.
  if (!collection && text.volume !== undefined) {
    parts.push(textLine('Volume', 560, {size: 58, face: 'regular', fill: scheme.ink, letterSpacing: 58 * 0.3, smallCaps: true, opacity: 0.9}))
    const numeral = roman(text.volume)
    const numeralSize = fitText(numeral, gauge('semibold', 0.04), 330, 60, textWidth, 1).size
    parts.push(textLine(numeral, 880, {size: numeralSize, face: 'semibold', fill: scheme.accent, letterSpacing: numeralSize * 0.04}))
  } else if (topLine === series && label) {
    const fitted = fitText(label, gauge('italic'), 104, 60, textWidth, 2)
    const first = fitted.lines.length > 1 ? 700 : 750
    fitted.lines.forEach((line, i) => parts.push(textLine(line, first + i * fitted.size * 1.15, {size: fitted.size, face: 'italic', fill: scheme.accent})))
  } else {
    parts.push(shelf(scheme.accent))
  }

  // Title and subtitle, as one block centred in the space between number and author.
  const titleFit = fitText(title, gauge('semibold'), 232, 84, textWidth, 3)
  const subFit = subtitle === '' ? undefined : fitText(subtitle, gauge('italic'), 80, 50, textWidth, 2)
  const titleLeading = titleFit.size * 1.1
  const subLeading = subFit ? subFit.size * 1.2 : 0
  const gap = subFit ? 150 : 0
  const blockHeight =
    titleFit.size * 0.72 + (titleFit.lines.length - 1) * titleLeading + (subFit ? gap + subFit.size * 0.7 + (subFit.lines.length - 1) * subLeading : 0)
  const blockTop = 1480 - blockHeight / 2
  let y = blockTop + titleFit.size * 0.72
  for (const line of titleFit.lines) {
    parts.push(textLine(line, y, {size: titleFit.size, face: 'semibold', fill: scheme.ink}))
    y += titleLeading
  }
  if (subFit) {
    const ruleY = y - titleLeading + gap / 2 + 6
    parts.push(`<line x1="${width / 2 - 70}" y1="${round(ruleY)}" x2="${width / 2 + 70}" y2="${round(ruleY)}" stroke="${scheme.accent}" stroke-width="3"/>`)
    y += gap + subFit.size * 0.7 - titleLeading
    for (const line of subFit.lines) {
      parts.push(textLine(line, y, {size: subFit.size, face: 'italic', fill: scheme.accent}))
      y += subLeading
    }
  }

  // Author at the foot, under a closing rule.
  parts.push(ornamentRule(2110, 250, scheme.accent))
  if (author !== '') {
    const spacing = 0.08
    // Joint authors may need two lines before their names get small.
    const oneLine = fitText(author, gauge('regular', spacing, true), 84, 60, textWidth, 1)
    const fitted = oneLine.fits ? oneLine : fitText(author, gauge('regular', spacing, true), 72, 40, textWidth, 2)
    const leading = fitted.size * 1.25
    const first = fitted.lines.length > 1 ? 2250 : 2290
    fitted.lines.forEach((line, i) =>
      parts.push(
        textLine(line, first + i * leading, {size: fitted.size, face: 'regular', fill: scheme.ink, letterSpacing: fitted.size * spacing, smallCaps: true})
      )
    )
  }

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n${parts.join('\n')}\n</svg>\n`
}
