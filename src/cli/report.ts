// Turning a build result into what people and machines read: the problems (vfile-reporter's
// grouped text, or one line each), a short summary of the books, the JSON document for
// `--json`, and the exit code. Pure.
import path from 'node:path'
import {reporter} from 'vfile-reporter'
import type {VFile} from 'vfile'
import {exitCodes} from '../shared/errors.js'
import {diagnosticsOf, failed, hasErrors, type Diagnostic} from '../shared/diagnostics.js'
import type {BuildResult} from '../model.js'
import type {ProblemFormat} from './options.js'

export interface ReportOptions {
  color: boolean
  quiet: boolean
  cwd: string
}

export function exitCodeOf(result: BuildResult, strict: boolean): number {
  if (failed(result.files, strict)) return exitCodes.input
  return exitCodes.ok
}

/** The files whose messages a report shows: with `quiet`, only those with a warning or an error (and then all their messages). */
export function shownFiles(files: readonly VFile[], quiet: boolean): VFile[] {
  return files.filter((file) => (quiet ? file.messages.some((message) => message.fatal !== undefined) : file.messages.length > 0))
}

/**
 * The problems: `stylish` (the default), as `file` then `line:col  severity  message  rule`
 * with each note, grouped by file; `compact`, one line each, as compilers print them.
 */
export function formatProblems(files: readonly VFile[], options: Pick<ReportOptions, 'color' | 'quiet'> & {format?: ProblemFormat | undefined}): string {
  const shown = shownFiles(files, options.quiet)
  if (shown.length === 0) return ''
  if (options.format === 'compact') return formatCompact(shown)
  return reporter(shown, {color: options.color, quiet: true, verbose: true})
}

/**
 * `file:line:col: severity: message [rule]`, the form terminals and editors (VS Code, vim's
 * quickfix, Emacs' compilation mode) turn into links. Never coloured and never more than one
 * line a problem, so it greps; the notes are in the stylish report and `--json`.
 */
export function formatCompact(files: readonly VFile[]): string {
  return files
    .flatMap((file) =>
      file.messages.map((message) => {
        const place = message.line ? `:${message.line}${message.column ? `:${message.column}` : ''}` : ''
        const severity = message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'info'
        const reason = message.reason.replace(/\s*[\r\n]+\s*/g, ' ')
        return `${file.path}${place}: ${severity}: ${reason}${message.ruleId ? ` [${message.ruleId}]` : ''}`
      })
    )
    .join('\n')
}

export function formatSummary(result: BuildResult, strict: boolean, options: ReportOptions): string {
  const out = result.outDir ? displayPath(options.cwd, result.outDir) : 'the output folder'
  if (exitCodeOf(result, strict) !== exitCodes.ok) {
    const reason = hasErrors(result.files) ? 'the problems above' : 'warnings (--strict)'
    return `No books were written because of ${reason}; the books already in ${out} are unchanged.`
  }
  if (options.quiet) return ''
  const books = `${result.outputs.length} ${result.outputs.length === 1 ? 'book' : 'books'}`
  const heading = result.written
    ? `Wrote ${books} to ${out}:`
    : result.outputs.some((output) => output.bytes !== null)
      ? `Built ${books} (nothing written):`
      : `Checked ${books}; nothing written.`
  const lines = result.outputs.flatMap((output) => [
    `  ${displayPath(options.cwd, output.path)}  ${count(output.reviews, 'review')}  ${count(output.words, 'word')}${output.bytes === null ? '' : `  ${formatBytes(output.bytes)}`}`,
    // The paperback (`--print`) beside it: interior with its page count, and the cover with its size.
    ...(output.print
      ? [
          `  ${displayPath(options.cwd, output.print.interior.path)}  ${count(output.print.pages, 'page')}  ${formatBytes(output.print.interior.bytes)}`,
          `  ${displayPath(options.cwd, output.print.cover.path)}  ${output.print.coverWidth.toFixed(3)} × ${output.print.coverHeight.toFixed(3)} in  ${formatBytes(output.print.cover.bytes)}`
        ]
      : [])
  ])
  return [heading, ...lines].join('\n')
}

/** After a run with `--epubcheck` that passed: how many books EPUBCheck read, and what it found (warnings are above). */
export function formatEpubcheck(result: BuildResult): string {
  // The books made in this run; in a watch session, a book that did not change was not checked again.
  const books = result.outputs.filter((output) => output.rebuilt && output.bytes !== null).length
  const found = result.files.flatMap((file) => file.messages).filter((message) => message.ruleId === 'epubcheck')
  const errors = found.filter((message) => message.fatal === true).length
  const warnings = found.filter((message) => message.fatal === false).length
  return `EPUBCheck: ${count(books, 'book')}, ${count(errors, 'error')}, ${count(warnings, 'warning')}.`
}

/** The end-of-build table for a terminal: book, reviews, words, size, time. */
export function formatTable(result: BuildResult, options: ReportOptions & {bold: (text: string) => string; dim: (text: string) => string}): string {
  const rows = result.outputs.map((output) => [
    path.basename(output.path),
    String(output.reviews),
    grouped(output.words),
    output.bytes === null ? '–' : formatBytes(output.bytes),
    output.rebuilt ? formatMs(output.ms) : 'unchanged'
  ])
  // Reviews and words are not totalled: the collection holds the volumes' reviews again.
  const total = [
    'all books',
    '',
    '',
    formatBytes(result.outputs.reduce((all, output) => all + (output.bytes ?? 0), 0)),
    formatMs(result.outputs.reduce((all, output) => all + output.ms, 0))
  ]
  const header = ['book', 'reviews', 'words', 'size', 'time']
  const all = [header, ...rows, total]
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)))
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')
  return [options.bold(line(header)), ...rows.map(line), options.dim(line(total))].join('\n')
}

export function count(n: number, noun: string): string {
  return `${grouped(n)} ${noun}${n === 1 ? '' : 's'}`
}

/**
 * A count as en-GB writes it, thousands grouped by commas (12,345). Done by hand for whole
 * numbers: the first toLocaleString of a process loads ICU's number formats, 20 ms of a build
 * from the cache that takes 300.
 */
export function grouped(n: number): string {
  return Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+$)/g, ',') : n.toLocaleString('en-GB')
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`
}

/** Relative to the working folder when inside it (clickable, short); absolute otherwise. */
export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file)
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? file : relative
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`
  return `${(bytes / 1_000_000).toFixed(2)} MB`
}

export interface JsonReport {
  ok: boolean
  exitCode: number
  written: boolean
  outputs: Array<{
    kind: string
    volume: number | null
    title: string
    path: string
    bytes: number | null
    sha256: string | null
    reviews: number
    words: number
    kit: Array<{path: string; bytes: number; sha256: string}>
    /** The paperback (`--print`): interior and cover PDFs, the page count and the cover's size in inches. */
    print?: {
      interior: {path: string; bytes: number; sha256: string}
      cover: {path: string; bytes: number; sha256: string}
      pages: number
      gutter: number
      coverWidth: number
      coverHeight: number
      spine: number
    }
  }>
  diagnostics: Diagnostic[]
}

export function toJson(result: BuildResult, strict: boolean, cwd: string): JsonReport {
  const exitCode = exitCodeOf(result, strict)
  return {
    ok: exitCode === exitCodes.ok,
    exitCode,
    written: result.written,
    // Timings stay out: the report of a release build must not change from run to run.
    outputs: result.outputs.map((output) => ({
      kind: output.kind,
      volume: output.volume ?? null,
      title: output.title,
      path: displayPath(cwd, output.path),
      bytes: output.bytes,
      sha256: output.sha256,
      reviews: output.reviews,
      words: output.words,
      kit: output.kit.map((file) => ({...file, path: displayPath(cwd, file.path)})),
      ...(output.print
        ? {
            print: {
              interior: {...output.print.interior, path: displayPath(cwd, output.print.interior.path)},
              cover: {...output.print.cover, path: displayPath(cwd, output.print.cover.path)},
              pages: output.print.pages,
              gutter: output.print.gutter,
              coverWidth: output.print.coverWidth,
              coverHeight: output.print.coverHeight,
              spine: output.print.spine
            }
          }
        : {})
    })),
    diagnostics: diagnosticsOf(result.files)
  }
}
