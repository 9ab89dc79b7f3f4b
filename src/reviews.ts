// Reading reviews from disk: list the reviews folder, and read each listed file into a
// VFile with its text normalised at the boundary (BOM dropped, CRLF → LF, so positions
// match what editors show). I/O.
import {realpathSync} from 'node:fs'
import {readdir, readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {describeOsError, report} from './diagnostics.js'

/** Markdown files under `dir`, relative, `/`-separated, sorted; [] when it does not exist. */
export async function listReviewFolder(dir: string): Promise<string[]> {
  let entries: string[]
  try {
    entries = await readdir(dir, {recursive: true})
  } catch {
    return []
  }
  return entries
    .map((entry) => entry.split(path.sep).join('/'))
    .filter((entry) => /\.(md|markdown)$/i.test(entry) && !entry.split('/').some((part) => part.startsWith('.') || part === 'node_modules'))
    .sort()
}

/**
 * Whether `file`, with every symbolic link followed, is still inside `root`: a link in the
 * reviews folder must not pull in a file from elsewhere on the machine. A file that does not
 * exist (or loops) counts as inside: reading it reports the problem.
 */
export function resolvesInside(root: string, file: string): boolean {
  let real: string
  let realRoot: string
  try {
    // The native call is one system call, not a walk over every folder of the path.
    realRoot = realpathSync.native(root)
    real = realpathSync.native(file)
  } catch {
    return true
  }
  const relative = path.relative(realRoot, real)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

const utf8 = new TextDecoder('utf-8', {fatal: true})

/** Read one review into a VFile (`path` relative to `cwd` for readable reports). */
/** Limits that keep one odd file from exhausting memory or the stack; real reviews are far below. */
export const reviewLimits = {bytes: 5_000_000, nesting: 100}

export async function readReview(absolutePath: string, cwd: string): Promise<VFile> {
  const file = new VFile({path: path.relative(cwd, absolutePath) || absolutePath, cwd})
  let bytes: Buffer
  try {
    // An odd file (a database dump renamed .md) is refused by its size before it is read.
    const {size} = await stat(absolutePath)
    if (size > reviewLimits.bytes) {
      report(file, {reason: `The file is too large for a review (${(size / 1e6).toFixed(1)} MB; at most ${reviewLimits.bytes / 1e6} MB), so it is not read`, ruleId: 'review-too-large', severity: 'error', place: {line: 1, column: 1}, note: 'Split it into several reviews, or remove embedded data such as base64 images.'})
      file.value = ''
      return file
    }
    bytes = await readFile(absolutePath)
  } catch (error) {
    report(file, {reason: `The review could not be read: ${describeOsError(error)}`, ruleId: 'unreadable-review', severity: 'error', place: {line: 1, column: 1}})
    file.value = ''
    return file
  }
  file.value = decode(bytes, file)
  return file
}

export function decode(bytes: Uint8Array, file: VFile): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    report(file, {reason: 'The file is UTF-16; save it as UTF-8', ruleId: 'invalid-encoding', severity: 'error', place: {line: 1, column: 1}})
    return ''
  }
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    const offset = firstInvalidByte(bytes)
    const before = Buffer.from(bytes.subarray(0, offset)).toString('utf8')
    const line = before.split('\n').length
    report(file, {reason: `The file is not valid UTF-8 (first bad byte at offset ${offset}); save it as UTF-8`, ruleId: 'invalid-encoding', severity: 'error', place: {line, column: 1}})
    return ''
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.exec(text)
  if (control) {
    const before = text.slice(0, control.index)
    const line = before.split('\n').length
    const column = control.index - before.lastIndexOf('\n')
    report(file, {reason: `The file contains a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}) that cannot appear in a book; delete it`, ruleId: 'invalid-encoding', severity: 'error', place: {line, column}})
    return ''
  }
  return text
}

function firstInvalidByte(bytes: Uint8Array): number {
  // The lenient decoder marks the first bad sequence with U+FFFD; count the bytes before it.
  const lenient = new TextDecoder('utf-8').decode(bytes)
  const index = lenient.indexOf('\uFFFD')
  return index === -1 ? bytes.length : Buffer.byteLength(lenient.slice(0, index))
}
