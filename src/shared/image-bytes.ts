// Image files by name and by bytes: the media type an extension stands for, and whether the
// bytes are the format the name says and are whole (an HTML page saved as `.jpg`, or a
// download cut short, would break the book). Pure.
import path from 'node:path'
import {imageFormat, type ImageInfo} from './image-info.js'

const imageTypes: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp'
}

/** The media type of an image file from its extension; undefined for formats books cannot show. */
export function imageMediaType(file: string): string | undefined {
  return imageTypes[path.extname(file).toLowerCase()]
}

/** The format each extension promises, as image-info.ts detects it from the bytes. */
const formats: Record<string, ImageInfo['format']> = {'.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.gif': 'gif', '.webp': 'webp', '.svg': 'svg'}
const signatures: Array<[string, (bytes: Uint8Array) => boolean]> = Object.entries(formats).map(([extension, format]) => [
  extension,
  (bytes) => imageFormat(bytes) === format
])

/** What other bytes are, for the message: the formats people save by mistake under an image name. */
const lookalikes: Array<[string, (bytes: Uint8Array) => boolean]> = [
  ...signatures.filter(([ext]) => ext !== '.jpeg').map(([ext, test]): [string, (bytes: Uint8Array) => boolean] => [ext.slice(1).toUpperCase(), test]),
  ['HEIC', (b) => ascii(b, 4, 8) === 'ftyp' && /^(heic|heix|hevc|heim|heis|mif1|msf1)$/.test(ascii(b, 8, 12))],
  ['AVIF', (b) => ascii(b, 4, 8) === 'ftyp' && /^avi[fs]$/.test(ascii(b, 8, 12))],
  ['TIFF', (b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*'],
  ['an HTML page', (b) => /^\s*(<!doctype html|<html|<head|<body)/i.test(ascii(b, 0, 512).replace(/^\uFEFF|^\xEF\xBB\xBF/, ''))]
]

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)))
}

/** Whether the file holds the format's end marker: a download or copy cut short loses it. */
const complete: Record<string, (bytes: Uint8Array) => boolean> = {
  // The IEND chunk closes every PNG; some tools append bytes after it, which readers ignore.
  '.png': pngEnds,
  // The end-of-image marker, found by walking the segments (a trailer after it is ignored by readers).
  '.jpg': jpegEnds,
  '.gif': (b) => b.subarray(Math.max(0, b.length - 16)).includes(0x3b),
  // The RIFF header says how long the file is.
  '.webp': (b) => b.length >= Buffer.from(b.buffer, b.byteOffset, b.byteLength).readUInt32LE(4) + 8
}
complete['.jpeg'] = complete['.jpg']!

/** Walks the PNG's chunks by their lengths to its IEND chunk. */
function pngEnds(b: Uint8Array): boolean {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  let at = 8
  while (at + 12 <= b.length) {
    const length = view.getUint32(at)
    if (ascii(b, at + 4, at + 8) === 'IEND') return true
    at += 12 + length
  }
  return false
}

/** Walks the JPEG's segments, and the compressed data after each scan, to its end-of-image marker. */
function jpegEnds(b: Uint8Array): boolean {
  let at = 2
  while (at + 1 < b.length) {
    if (b[at] !== 0xff) return false
    const marker = b[at + 1]!
    if (marker === 0xd9) return true
    if (marker === 0xff) {
      at++
      continue
    }
    // Markers without a length: restarts, and the start of image.
    if ((marker >= 0xd0 && marker <= 0xd8) || marker === 0x01) {
      at += 2
      continue
    }
    if (at + 3 >= b.length) return false
    at += 2 + ((b[at + 2]! << 8) | b[at + 3]!)
    if (marker !== 0xda) continue
    // After a scan header: compressed data until a marker that is not a restart or a stuffed zero.
    while (at + 1 < b.length && !(b[at] === 0xff && b[at + 1] !== 0x00 && !(b[at + 1]! >= 0xd0 && b[at + 1]! <= 0xd7))) at++
  }
  return false
}

/** Undefined when the bytes match the extension; otherwise a sentence saying what is wrong. */
export function checkImageBytes(file: string, bytes: Uint8Array): string | undefined {
  const extension = path.extname(file).toLowerCase()
  const name = path.basename(file)
  const signature = signatures.find(([ext]) => ext === extension)
  if (!signature) return `\`${name}\` is not a PNG, JPEG, GIF, SVG or WebP image`
  if (bytes.length === 0) return `\`${name}\` is empty (0 bytes); copy or export the image again`
  const format = extension === '.jpeg' ? 'JPG' : extension.slice(1).toUpperCase()
  if (!signature[1](bytes)) {
    const actual = lookalikes.find(([, test]) => test(bytes))?.[0]
    const described = actual === undefined ? '' : actual.startsWith('an ') ? ` (it is ${actual})` : ` (its bytes are ${actual})`
    return `\`${name}\` is not really a ${format} file${described}; re-export it in the format its name says`
  }
  if (complete[extension] && !complete[extension](bytes))
    return `\`${name}\` is cut short: the ${format} data stops before the image ends; copy or export it again`
  return undefined
}
