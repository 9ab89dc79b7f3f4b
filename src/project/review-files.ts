// Reading reviews from disk: list the reviews folder, and read each listed file into a
// VFile with its text normalised at the boundary (BOM dropped, CRLF → LF, so positions
// match what editors show). I/O.
import {readdir} from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {report} from '../shared/diagnostics.js'
import {isInside, resolvesInside} from '../shared/paths.js'
import {describeProblem, readRegularFile} from '../shared/read-file.js'
import {codePoint, forbiddenCharacter} from '../shared/xml.js'

/** What listing the reviews folder found (the rules report every state but `listed`). */
export interface ReviewFolder {
  /** Markdown files, relative to the reviews folder, with `/` separators, sorted. */
  files: string[]
  state: 'listed' | 'missing' | 'outside' | 'linked-outside' | 'unreadable'
  error?: NodeJS.ErrnoException | undefined
}

/**
 * The Markdown files under the manifest's reviews folder. A folder outside the project (by
 * name, or a symbolic link leading out) is never listed, so `reviews: /` cannot walk the disk.
 */
export async function listReviewFolder(root: string, dir: string): Promise<ReviewFolder> {
  if (!isInside(root, dir)) return {files: [], state: 'outside'}
  if (!resolvesInside(root, dir)) return {files: [], state: 'linked-outside'}
  let entries: string[]
  try {
    entries = await readdir(dir, {recursive: true})
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return {files: [], state: code === 'ENOENT' ? 'missing' : 'unreadable', error: error as NodeJS.ErrnoException}
  }
  const files = entries
    .map((entry) => entry.split(path.sep).join('/'))
    // Hidden folders (`.git`) are skipped; a file named `..md` is an ordinary name.
    .filter(
      (entry) =>
        /\.(md|markdown)$/i.test(entry) &&
        !entry
          .split('/')
          .slice(0, -1)
          .some((part) => part.startsWith('.') || part === 'node_modules')
    )
    .sort()
  return {files, state: 'listed'}
}

const utf8 = new TextDecoder('utf-8', {fatal: true})

/** Limits that keep one odd file from exhausting memory or time; real reviews are far below. */
export const reviewLimits = {bytes: 1_000_000}

/** Read one review into a VFile (`path` relative to `cwd` for readable reports). */
export async function readReview(absolutePath: string, cwd: string): Promise<VFile> {
  const file = new VFile({path: path.relative(cwd, absolutePath) || absolutePath, cwd})
  file.value = ''
  // An odd file (a database dump renamed .md) is refused by its size before it is read.
  const read = await readRegularFile(absolutePath, reviewLimits.bytes)
  if ('bytes' in read) {
    file.value = decode(read.bytes, file)
  } else if (read.problem === 'too-large') {
    report(file, {
      reason: `The file is too large for a review (${((read.size ?? 0) / 1e6).toFixed(1)} MB; at most ${reviewLimits.bytes / 1e6} MB, some 150,000 words), so it is not read`,
      ruleId: 'review-too-large',
      severity: 'error',
      place: {line: 1, column: 1},
      note: 'Split it into several reviews, or remove embedded data such as base64 images.'
    })
  } else {
    report(file, {
      reason: `The review could not be read: ${describeProblem(read, reviewLimits.bytes)}`,
      ruleId: 'unreadable-review',
      severity: 'error',
      place: {line: 1, column: 1}
    })
  }
  return file
}

/**
 * Text from bytes: UTF-8 only, BOM dropped, CRLF → LF. Anything else is an error on `file`
 * naming the encoding the bytes look like, and gives '' (with `ok: false` for callers that
 * must not go on, such as the manifest).
 */
export function decode(bytes: Uint8Array, file: VFile): string {
  return decodeText(bytes, file).text
}

/**
 * `controls: 'space'` (for exports, where Word pastes leave vertical tabs and the like): each
 * control character a book cannot hold becomes a space, and `controls` in the result says how
 * many and where the first was, for the caller to report.
 */
export function decodeText(
  bytes: Uint8Array,
  file: VFile,
  options: {controls?: 'error' | 'space'} = {}
): {text: string; ok: boolean; controls?: {count: number; first: string; line: number; column: number} | undefined} {
  const utf16 = utf16Kind(bytes)
  if (utf16) {
    report(file, {
      reason: `The file is UTF-16 (${utf16}); save it as UTF-8`,
      ruleId: 'invalid-encoding',
      severity: 'error',
      place: {line: 1, column: 1},
      note: 'In most editors: Save As, then choose the encoding "UTF-8".'
    })
    return {text: '', ok: false}
  }
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    const offset = firstInvalidByte(bytes)
    const before = Buffer.from(bytes.subarray(0, offset)).toString('utf8')
    const line = before.split('\n').length
    const column = before.length - before.lastIndexOf('\n')
    report(file, {
      reason: `The file is not valid UTF-8 (first bad byte 0x${(bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0')} at offset ${offset})${looksLikeLatin1(bytes) ? '; it looks like Latin-1 (ISO-8859-1) or Windows-1252' : ''}; save it as UTF-8`,
      ruleId: 'invalid-encoding',
      severity: 'error',
      place: {line, column},
      note: 'In most editors: Save As, then choose the encoding "UTF-8"; or convert it with `iconv -f WINDOWS-1252 -t UTF-8`.'
    })
    return {text: '', ok: false}
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  const control = forbiddenCharacter.exec(text)
  if (control && options.controls === 'space') {
    const before = text.slice(0, control.index)
    const line = before.split('\n').length
    const column = control.index - before.lastIndexOf('\n')
    const all = new RegExp(forbiddenCharacter.source, `${forbiddenCharacter.flags.replace('g', '')}g`)
    const count = text.match(all)?.length ?? 1
    return {text: text.replace(all, ' '), ok: true, controls: {count, first: codePoint(control[0]), line, column}}
  }
  if (control) {
    const before = text.slice(0, control.index)
    const line = before.split('\n').length
    const column = control.index - before.lastIndexOf('\n')
    report(file, {
      reason: `The file contains a control character (${codePoint(control[0])}) that cannot appear in a book; delete it`,
      ruleId: 'invalid-encoding',
      severity: 'error',
      place: {line, column}
    })
    return {text: '', ok: false}
  }
  return {text, ok: true}
}

/** UTF-16 by its byte-order mark, or by the NUL in every other byte that ASCII text gets in it. */
function utf16Kind(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'little-endian, by its byte-order mark'
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'big-endian, by its byte-order mark'
  const sample = Math.min(bytes.length, 512) & ~1
  if (sample < 4) return undefined
  let evenNul = 0
  let oddNul = 0
  for (let index = 0; index < sample; index += 2) {
    if (bytes[index] === 0) evenNul++
    if (bytes[index + 1] === 0) oddNul++
  }
  const pairs = sample / 2
  if (oddNul > pairs * 0.4 && evenNul === 0) return 'little-endian, without a byte-order mark'
  if (evenNul > pairs * 0.4 && oddNul === 0) return 'big-endian, without a byte-order mark'
  return undefined
}

/** Western 8-bit text has its bytes above 0x7F mostly alone (an accented letter between ASCII); CJK encodings pair them. */
function looksLikeLatin1(bytes: Uint8Array): boolean {
  let high = 0
  let alone = 0
  for (let index = 0; index < bytes.length; index++) {
    if (bytes[index]! < 0x80) continue
    high++
    if ((bytes[index - 1] ?? 0) < 0x80 && (bytes[index + 1] ?? 0) < 0x80) alone++
  }
  return high > 0 && alone / high > 0.5
}

function firstInvalidByte(bytes: Uint8Array): number {
  // The lenient decoder marks the first bad sequence with U+FFFD; count the bytes before it.
  const lenient = new TextDecoder('utf-8').decode(bytes)
  const index = lenient.indexOf('\uFFFD')
  return index === -1 ? bytes.length : Buffer.byteLength(lenient.slice(0, index))
}
