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

export function hasErrors(files: readonly VFile[]): boolean {
  return files.some((file) => file.messages.some((message) => message.fatal === true))
}

export function hasWarnings(files: readonly VFile[]): boolean {
  return files.some((file) => file.messages.some((message) => message.fatal === false))
}
