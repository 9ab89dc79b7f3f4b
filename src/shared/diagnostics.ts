// Problems are data: one helper to attach a positioned, rule-tagged message to the file at
// fault, and the rule catalogue's severities. Pure; no I/O.
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import type {Point, Position} from 'unist'

export const SOURCE = 'build-volumes'

export type Severity = 'error' | 'warning' | 'info'

export interface Problem {
  reason: string
  ruleId: string
  severity: Severity
  place?: Point | Position | undefined
  note?: string | undefined
  actual?: string | undefined
  expected?: string[] | undefined
}

/** Attach a problem to `file`; errors are `fatal: true`, warnings `false`, notices undefined. */
export function report(file: VFile, problem: Problem): VFileMessage {
  const message = file.message(problem.reason, {
    place: problem.place,
    ruleId: problem.ruleId,
    source: SOURCE
  })
  message.fatal = problem.severity === 'error' ? true : problem.severity === 'warning' ? false : undefined
  if (problem.note) message.note = problem.note
  if (problem.actual !== undefined) message.actual = problem.actual
  if (problem.expected) message.expected = problem.expected
  return message
}

/** A file's messages from the `from`th on, as plain data (worker threads, the disk cache): the problems that made them. */
export function serialMessages(file: VFile, from = 0): Problem[] {
  return file.messages.slice(from).map((message) => ({
    reason: message.reason,
    ruleId: message.ruleId ?? 'unknown',
    severity: message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'info',
    place: message.place,
    note: message.note,
    actual: message.actual,
    expected: message.expected
  }))
}

/** Messages made by `serialMessages`, put back on a file. */
export function restoreMessages(file: VFile, messages: readonly Problem[]): void {
  for (const message of messages) report(file, message)
}

export function hasErrors(files: readonly VFile[]): boolean {
  return files.some((file) => file.messages.some((message) => message.fatal === true))
}

export function hasWarnings(files: readonly VFile[]): boolean {
  return files.some((file) => file.messages.some((message) => message.fatal === false))
}

/** Whether the run must stop: any error, or any warning when warnings count (`--strict`). */
export function failed(files: readonly VFile[], strict: boolean | undefined): boolean {
  return hasErrors(files) || (Boolean(strict) && hasWarnings(files))
}

const osErrors: Record<string, string> = {
  ENOENT: 'it does not exist',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'it is a symbolic link that loops',
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
  EEXIST: 'something is already there',
  EMFILE: 'too many files are open'
}

/** An OS error as words plus its code, e.g. "it is a folder, not a file (EISDIR)". */
export function describeOsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code && osErrors[code]) return `${osErrors[code]} (${code})`
  return code ?? (error instanceof Error ? error.message : String(error))
}

/** A message as plain data: the `--json` report's and the preview's problem list. */
export interface Diagnostic {
  file: string
  line: number | null
  column: number | null
  endLine: number | null
  endColumn: number | null
  severity: 'error' | 'warning' | 'info'
  ruleId: string | null
  message: string
  note: string | null
}

/** Every message on every file, as plain data (for --json and the preview's problem list). */
export function diagnosticsOf(files: readonly VFile[]): Diagnostic[] {
  return files.flatMap((file) =>
    file.messages.map((message) => ({
      file: file.path,
      line: message.line ?? null,
      column: message.column ?? null,
      endLine: message.place && 'end' in message.place ? message.place.end.line : null,
      endColumn: message.place && 'end' in message.place ? message.place.end.column : null,
      severity: message.fatal === true ? ('error' as const) : message.fatal === false ? ('warning' as const) : ('info' as const),
      ruleId: message.ruleId ?? null,
      message: message.reason,
      note: message.note ?? null
    }))
  )
}
