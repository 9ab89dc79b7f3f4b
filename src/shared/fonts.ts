// Font files a stylesheet may bring into a book: their EPUB media types by extension (the
// core media types of EPUB 3.2 and 3.3), and whether the bytes are really that format. Pure.
import path from 'node:path'

const fontTypes: Record<string, {type: string; format: string; signatures: string[]}> = {
  '.woff2': {type: 'font/woff2', format: 'WOFF2', signatures: ['wOF2']},
  '.woff': {type: 'font/woff', format: 'WOFF', signatures: ['wOFF']},
  // OpenType and TrueType share one container: CFF outlines open with `OTTO`, TrueType ones with
  // version 1.0 (or Apple's `true`); either extension is used for either.
  '.otf': {type: 'font/otf', format: 'OpenType', signatures: ['OTTO', '\0\u0001\0\0', 'true']},
  '.ttf': {type: 'font/ttf', format: 'TrueType', signatures: ['\0\u0001\0\0', 'true', 'OTTO']}
}

/** The media type of a font file from its extension; undefined for other files. */
export function fontMediaType(file: string): string | undefined {
  return fontTypes[path.extname(file).toLowerCase()]?.type
}

/** Undefined when the bytes are the font format the name says; otherwise why not. */
export function checkFontBytes(file: string, bytes: Uint8Array): string | undefined {
  const font = fontTypes[path.extname(file).toLowerCase()]
  const name = path.basename(file)
  if (!font) return `\`${name}\` is not a WOFF2, WOFF, OpenType or TrueType font`
  const head = String.fromCharCode(...bytes.subarray(0, 4))
  if (bytes.length < 12 || !font.signatures.includes(head)) return `\`${name}\` is not really a ${font.format} font`
  return undefined
}
