// Image facts from bytes alone: give it a file's contents and it says which format they
// are, the pixel size, the colour model and whether there is transparency, or undefined
// for bytes that are no image it knows. Pure: no I/O, and it never throws, because the
// bytes come from authors' folders and may be truncated or mislabelled.

export interface ImageInfo {
  format: 'png' | 'jpeg' | 'gif' | 'webp' | 'svg'
  width: number | undefined
  height: number | undefined
  /** colour model: 'rgb' | 'grey' | 'cmyk' | 'indexed' | 'unknown' */
  colour: 'rgb' | 'grey' | 'cmyk' | 'indexed' | 'unknown'
  alpha: boolean
}

/** Which format the bytes are, by their signature alone (an SVG by its root element). */
export function imageFormat(bytes: Uint8Array): ImageInfo['format'] | undefined {
  if (isPng(bytes)) return 'png'
  if (isJpeg(bytes)) return 'jpeg'
  if (isGif(bytes)) return 'gif'
  if (isWebp(bytes)) return 'webp'
  return isSvg(bytes) ? 'svg' : undefined
}

/** The facts of the image in `bytes`; undefined when they are not a recognised image. */
export function imageInfo(bytes: Uint8Array): ImageInfo | undefined {
  try {
    if (isPng(bytes)) return pngInfo(bytes)
    if (isJpeg(bytes)) return jpegInfo(bytes)
    if (isGif(bytes)) return gifInfo(bytes)
    if (isWebp(bytes)) return webpInfo(bytes)
    return svgInfo(bytes)
  } catch {
    // Every reader checks its bounds; this is the last line of the promise never to throw.
    return undefined
  }
}

// Reads past the end give undefined/0 instead of throwing, so truncation shows up as an
// unknown size rather than an exception deep in a parser.
function u8(b: Uint8Array, i: number): number {
  return b[i] ?? 0
}
function u16be(b: Uint8Array, i: number): number {
  return (u8(b, i) << 8) | u8(b, i + 1)
}
function u16le(b: Uint8Array, i: number): number {
  return u8(b, i) | (u8(b, i + 1) << 8)
}
function u24le(b: Uint8Array, i: number): number {
  return u8(b, i) | (u8(b, i + 1) << 8) | (u8(b, i + 2) << 16)
}
function u32be(b: Uint8Array, i: number): number {
  return ((u8(b, i) << 24) >>> 0) + ((u8(b, i + 1) << 16) | (u8(b, i + 2) << 8) | u8(b, i + 3))
}
function ascii(b: Uint8Array, start: number, length: number): string {
  let s = ''
  for (let i = start; i < start + length && i < b.length; i++) s += String.fromCharCode(u8(b, i))
  return s
}
function has(b: Uint8Array, end: number): boolean {
  return b.length >= end
}
/** A zero size means "unknown" (JPEG's DNL, broken headers), never a real zero-pixel image. */
function size(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined
}

// ---- PNG ----

function isPng(b: Uint8Array): boolean {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  return b.length >= 8 && sig.every((v, i) => b[i] === v)
}

function pngInfo(b: Uint8Array): ImageInfo {
  // IHDR must be the first chunk, so its fields sit at fixed offsets.
  const hasHeader = has(b, 26) && ascii(b, 12, 4) === 'IHDR'
  if (!hasHeader) return {format: 'png', width: undefined, height: undefined, colour: 'unknown', alpha: false}
  const colourType = u8(b, 25)
  const colour = colourType === 0 || colourType === 4 ? 'grey' : colourType === 2 || colourType === 6 ? 'rgb' : colourType === 3 ? 'indexed' : 'unknown'
  return {format: 'png', width: size(u32be(b, 16)), height: size(u32be(b, 20)), colour, alpha: colourType === 4 || colourType === 6 || pngHasTrns(b)}
}

/** A tRNS chunk gives grey, RGB and palette images transparency; it must come before IDAT. */
function pngHasTrns(b: Uint8Array): boolean {
  let at = 8
  while (at + 8 <= b.length) {
    const length = u32be(b, at)
    const type = ascii(b, at + 4, 4)
    if (type === 'tRNS') return true
    if (type === 'IDAT' || type === 'IEND') return false
    at += 12 + length
  }
  return false
}

// ---- JPEG ----

function isJpeg(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff
}

/** Start-of-frame markers: C4 (DHT), C8 (JPG extension) and CC (DAC) share the range but are not frames. */
function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
}

function jpegInfo(b: Uint8Array): ImageInfo {
  const unknown: ImageInfo = {format: 'jpeg', width: undefined, height: undefined, colour: 'unknown', alpha: false}
  let at = 2
  while (at < b.length) {
    if (b[at] !== 0xff) {
      // Garbage between segments (some encoders pad): resynchronise on the next 0xFF.
      at++
      continue
    }
    // Any number of 0xFF fill bytes may precede a marker.
    while (b[at] === 0xff) at++
    if (at >= b.length) return unknown
    const marker = u8(b, at)
    at++
    if (marker === 0xd9) return unknown // EOI before any frame header
    // Standalone markers carry no length.
    if (marker === 0x00 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue
    if (!has(b, at + 2)) return unknown
    const length = u16be(b, at)
    if (length < 2) return unknown
    if (isSof(marker)) {
      if (!has(b, at + 8)) return unknown
      const components = u8(b, at + 7)
      const colour = components === 1 ? 'grey' : components === 3 ? 'rgb' : components === 4 ? 'cmyk' : 'unknown'
      return {format: 'jpeg', width: size(u16be(b, at + 5)), height: size(u16be(b, at + 3)), colour, alpha: false}
    }
    at += length
    if (marker === 0xda) at = skipEntropyCoded(b, at)
  }
  return unknown
}

/** After a scan header comes compressed data, in which 0xFF is followed by 00 (stuffing) or a restart marker. */
function skipEntropyCoded(b: Uint8Array, at: number): number {
  while (at < b.length) {
    if (b[at] === 0xff) {
      const next = u8(b, at + 1)
      if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff) return at
    }
    at++
  }
  return at
}

// ---- GIF ----

function isGif(b: Uint8Array): boolean {
  const head = ascii(b, 0, 6)
  return head === 'GIF87a' || head === 'GIF89a'
}

function gifInfo(b: Uint8Array): ImageInfo {
  const complete = has(b, 10)
  return {
    format: 'gif',
    width: complete ? size(u16le(b, 6)) : undefined,
    height: complete ? size(u16le(b, 8)) : undefined,
    colour: 'indexed',
    alpha: gifHasTransparency(b)
  }
}

/** Transparency lives in Graphic Control Extensions, scattered between frames, so walk the blocks. */
function gifHasTransparency(b: Uint8Array): boolean {
  let at = 13
  const flags = u8(b, 10)
  if (flags & 0x80) at += 3 << ((flags & 0x07) + 1)
  while (at < b.length) {
    const block = u8(b, at)
    if (block === 0x21) {
      const label = u8(b, at + 1)
      if (label === 0xf9 && u8(b, at + 2) >= 4 && u8(b, at + 3) & 0x01) return true
      at = skipSubBlocks(b, at + 2)
    } else if (block === 0x2c) {
      const local = u8(b, at + 9)
      at += 10
      if (local & 0x80) at += 3 << ((local & 0x07) + 1)
      at = skipSubBlocks(b, at + 1) // +1: the LZW minimum code size
    } else {
      return false // trailer (0x3B) or corruption
    }
  }
  return false
}

function skipSubBlocks(b: Uint8Array, at: number): number {
  while (at < b.length) {
    const length = u8(b, at)
    at += 1 + length
    if (length === 0) break
  }
  return at
}

// ---- WebP ----

function isWebp(b: Uint8Array): boolean {
  return ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP'
}

function webpInfo(b: Uint8Array): ImageInfo {
  const unknown: ImageInfo = {format: 'webp', width: undefined, height: undefined, colour: 'rgb', alpha: false}
  const chunk = ascii(b, 12, 4)
  const data = 20
  if (chunk === 'VP8 ') {
    // Lossy: a 3-byte frame tag, the start code 9D 01 2A, then 14-bit sizes (top bits are scaling).
    if (!has(b, data + 10) || u8(b, data + 3) !== 0x9d || u8(b, data + 4) !== 0x01 || u8(b, data + 5) !== 0x2a) return unknown
    return {...unknown, width: size(u16le(b, data + 6) & 0x3fff), height: size(u16le(b, data + 8) & 0x3fff)}
  }
  if (chunk === 'VP8L') {
    // Lossless: signature 0x2F, then width-1 and height-1 in 14 bits each, then the alpha hint.
    if (!has(b, data + 5) || u8(b, data) !== 0x2f) return unknown
    const bits = (u8(b, data + 1) | (u8(b, data + 2) << 8) | (u8(b, data + 3) << 16) | (u8(b, data + 4) << 24)) >>> 0
    return {...unknown, width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, alpha: ((bits >>> 28) & 1) === 1}
  }
  if (chunk === 'VP8X') {
    // Extended: a flags byte (0x10 = alpha), 3 reserved bytes, then 24-bit canvas width-1 and height-1.
    if (!has(b, data + 10)) return {...unknown, alpha: has(b, data + 1) && (u8(b, data) & 0x10) !== 0}
    return {...unknown, width: u24le(b, data + 4) + 1, height: u24le(b, data + 7) + 1, alpha: (u8(b, data) & 0x10) !== 0}
  }
  return unknown
}

// ---- SVG ----

const svgProbeLength = 64 * 1024

/** Whether the bytes are an SVG document: its root element, after any prolog, is `<svg>`. */
export function isSvg(b: Uint8Array): boolean {
  return svgRoot(b) !== undefined
}

/** The decoded start of the file and where the attributes of its root `<svg` begin. */
function svgRoot(b: Uint8Array): {text: string; attributesAt: number} | undefined {
  // Only look at the start, so a large binary file is not decoded whole just to be rejected.
  let text = new TextDecoder('utf-8', {fatal: false}).decode(b.subarray(0, svgProbeLength))
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const start = rootElementStart(text)
  if (start === undefined) return undefined
  const nameMatch = /^<(?:[A-Za-z_][\w.-]*:)?svg(?=[\s/>])/.exec(text.slice(start, start + 64))
  return nameMatch ? {text, attributesAt: start + nameMatch[0].length} : undefined
}

function svgInfo(b: Uint8Array): ImageInfo | undefined {
  const root = svgRoot(b)
  if (!root) return undefined
  const attributes = readAttributes(root.text, root.attributesAt)
  const width = svgLength(attributes.get('width'))
  const height = svgLength(attributes.get('height'))
  const box = viewBox(attributes.get('viewBox'))
  let w = width
  let h = height
  // A missing or relative dimension follows the viewBox, keeping its aspect ratio when the other side is known.
  if (box) {
    if (w === undefined && h === undefined) {
      w = box.width
      h = box.height
    } else if (w === undefined && h !== undefined) {
      w = (h * box.width) / box.height
    } else if (h === undefined && w !== undefined) {
      h = (w * box.height) / box.width
    }
  }
  // An SVG's canvas is transparent wherever nothing is painted.
  return {format: 'svg', width: size(w), height: size(h), colour: 'rgb', alpha: true}
}

/** Where the root element's `<` is, after the XML declaration, comments, doctype and processing instructions. */
export function rootElementStart(text: string): number | undefined {
  let at = 0
  for (;;) {
    while (at < text.length && /\s/.test(text.charAt(at))) at++
    if (text.charAt(at) !== '<') return undefined
    if (text.startsWith('<?', at)) {
      const end = text.indexOf('?>', at + 2)
      if (end < 0) return undefined
      at = end + 2
    } else if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4)
      if (end < 0) return undefined
      at = end + 3
    } else if (text.startsWith('<!', at)) {
      at = skipDoctype(text, at)
      if (at < 0) return undefined
    } else {
      return at
    }
  }
}

/** A doctype may hold an internal subset in brackets, which itself contains `>`. */
function skipDoctype(text: string, at: number): number {
  let depth = 0
  for (let i = at + 2; i < text.length; i++) {
    const c = text.charAt(i)
    if (c === '[') depth++
    else if (c === ']') depth--
    else if (c === '>' && depth <= 0) return i + 1
  }
  return -1
}

/** Attributes of a start tag, scanned by hand so hostile input cannot make a regular expression backtrack. */
function readAttributes(text: string, at: number): Map<string, string> {
  const attributes = new Map<string, string>()
  const n = text.length
  while (at < n) {
    while (at < n && /\s/.test(text.charAt(at))) at++
    const c = text.charAt(at)
    if (c === '>' || c === '/' || c === '') break
    const nameStart = at
    while (at < n && !/[\s=>/]/.test(text.charAt(at))) at++
    const name = text.slice(nameStart, at)
    while (at < n && /\s/.test(text.charAt(at))) at++
    if (text.charAt(at) !== '=') {
      if (name === '') at++ // an unexpected character: step over it rather than loop
      continue
    }
    at++
    while (at < n && /\s/.test(text.charAt(at))) at++
    const quote = text.charAt(at)
    if (quote !== '"' && quote !== "'") break
    const end = text.indexOf(quote, at + 1)
    if (end < 0) break
    if (!attributes.has(name)) attributes.set(name, text.slice(at + 1, end))
    at = end + 1
  }
  return attributes
}

function svgLength(value: string | undefined): number | undefined {
  // Real lengths are short; the cap keeps a hostile attribute from costing anything.
  if (value === undefined || value.length > 64) return undefined
  const match = /^([+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(?:px)?$/.exec(value.trim())
  return match?.[1] === undefined ? undefined : size(Number(match[1]))
}

function viewBox(value: string | undefined): {width: number; height: number} | undefined {
  if (value === undefined) return undefined
  const parts = value
    .trim()
    .split(/[\s,]+/)
    .map(Number)
  if (parts.length !== 4 || parts.some((p) => !Number.isFinite(p))) return undefined
  const width = size(parts[2])
  const height = size(parts[3])
  return width !== undefined && height !== undefined ? {width, height} : undefined
}
