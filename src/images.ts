// Image bytes: read each image a book needs once, and check that its bytes are the format
// its name says (an HTML page saved as `.jpg` would break the book). Reading is I/O; the
// check is pure.
import path from 'node:path'

const imageTypes: Record<string, string> = {'.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml', '.webp': 'image/webp'}

/** The media type of an image file from its extension; undefined for formats books cannot show. */
export function imageMediaType(file: string): string | undefined {
  return imageTypes[path.extname(file).toLowerCase()]
}

const signatures: Array<[string, (bytes: Uint8Array) => boolean]> = [
  ['.png', (b) => b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47],
  ['.jpg', (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['.jpeg', (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['.gif', (b) => b.length > 6 && String.fromCharCode(...b.subarray(0, 4)) === 'GIF8'],
  ['.webp', (b) => b.length > 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP'],
  ['.svg', (b) => /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?<svg[\s>]/i.test(Buffer.from(b.subarray(0, 2048)).toString('utf8').replace(/^\uFEFF/, ''))]
]

/** Undefined when the bytes match the extension; otherwise a sentence saying what is wrong. */
export function checkImageBytes(file: string, bytes: Uint8Array): string | undefined {
  const extension = path.extname(file).toLowerCase()
  const signature = signatures.find(([ext]) => ext === extension)
  if (!signature) return `\`${path.basename(file)}\` is not a PNG, JPEG, GIF, SVG or WebP image`
  if (bytes.length === 0) return `\`${path.basename(file)}\` is empty`
  if (signature[1](bytes)) return undefined
  const actual = signatures.find(([, test]) => test(bytes))?.[0]
  return `\`${path.basename(file)}\` is not really a ${extension.slice(1).toUpperCase()} file${actual ? ` (its bytes are ${actual.slice(1).toUpperCase()})` : ''}; re-export it in the format its name says`
}
