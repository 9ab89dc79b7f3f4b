// The errors that stop a run before its report (a usage mistake, an output folder that cannot
// be written), and the exit codes every command ends with. Pure.

/** 0 success; 1 problems in the input (nothing written); 2 bad usage; 3 the books could not be written; 4 a bug. */
export const exitCodes = {ok: 0, input: 1, usage: 2, output: 3, internal: 4} as const

export class BuildError extends Error {
  readonly exitCode: number
  constructor(message: string, exitCode = 3, options?: {cause?: unknown}) {
    super(message, options)
    this.name = 'BuildError'
    this.exitCode = exitCode
  }
}
