// Which characters EB Garamond can print: the code points its cmap maps (formats 4 and 12),
// read once from the bundled regular face. Typst gives no warning for a missing glyph (with
// fallback off it prints an empty box), so the renderer asks here first. Reads the font file.
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'

let covered: Set<number> | undefined

function readCmap(bytes: Buffer): Set<number> {
  const set = new Set<number>()
  const tables = bytes.readUInt16BE(4)
  let cmap = -1
  for (let i = 0; i < tables; i++) if (bytes.toString('latin1', 12 + 16 * i, 16 + 16 * i) === 'cmap') cmap = bytes.readUInt32BE(12 + 16 * i + 8)
  if (cmap < 0) return set
  const subtables = bytes.readUInt16BE(cmap + 2)
  for (let i = 0; i < subtables; i++) {
    const start = cmap + bytes.readUInt32BE(cmap + 4 + 8 * i + 4)
    const format = bytes.readUInt16BE(start)
    if (format === 4) {
      const segments = bytes.readUInt16BE(start + 6) / 2
      const ends = start + 14
      const starts = ends + 2 * segments + 2
      const deltas = starts + 2 * segments
      const offsets = deltas + 2 * segments
      for (let s = 0; s < segments; s++) {
        const end = bytes.readUInt16BE(ends + 2 * s)
        const first = bytes.readUInt16BE(starts + 2 * s)
        const delta = bytes.readInt16BE(deltas + 2 * s)
        const offset = bytes.readUInt16BE(offsets + 2 * s)
        for (let c = first; c <= end && c !== 0xffff; c++) {
          const glyph = offset === 0 ? (c + delta) & 0xffff : bytes.readUInt16BE(offsets + 2 * s + offset + 2 * (c - first))
          if (glyph) set.add(c)
        }
      }
    } else if (format === 12) {
      const groups = bytes.readUInt32BE(start + 12)
      for (let g = 0; g < groups; g++) {
        const at = start + 16 + 12 * g
        for (let c = bytes.readUInt32BE(at); c <= bytes.readUInt32BE(at + 4); c++) set.add(c)
      }
    }
  }
  return set
}

/** The characters of `text` the font has no glyph for (white space and invisible controls aside). */
export function missingGlyphs(text: string): string[] {
  if (!covered) {
    const require = createRequire(import.meta.url)
    covered = readCmap(readFileSync(require.resolve('@expo-google-fonts/eb-garamond/400Regular/EBGaramond_400Regular.ttf')))
  }
  const missing = new Set<string>()
  for (const char of text) {
    const code = char.codePointAt(0)!
    if (/\s/.test(char) || code < 0x20 || (code >= 0xfe00 && code <= 0xfe0f) || code === 0x200d) continue
    if (!covered.has(code)) missing.add(char)
  }
  return [...missing]
}
