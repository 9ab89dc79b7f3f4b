// How every command ends when the library stops with a BuildError (a usage mistake, an output
// folder that cannot be written): the message on stderr (or, with --json, as the one JSON
// document on stdout) and its exit code. Anything else is a bug and is thrown on. CLI layer.
import chalk from 'chalk'
import {BuildError} from '../shared/errors.js'

/** `work`'s value, or the exit code of the BuildError it stopped with, already reported. */
export async function orExitCode<T>(work: () => Promise<T>, options: {json?: boolean | undefined} = {}): Promise<T | number> {
  try {
    return await work()
  } catch (error) {
    if (!(error instanceof BuildError)) throw error
    if (options.json)
      process.stdout.write(
        `${JSON.stringify({ok: false, exitCode: error.exitCode, written: false, error: error.message, outputs: [], diagnostics: []}, null, 2)}\n`
      )
    else process.stderr.write(`${chalk.red('✖')} ${error.message}\n`)
    return error.exitCode
  }
}
