// A finished run's problems, printed the same way by every command that reports them (build,
// check, import): the report on stderr in the `--format` asked for (none with `--json`, whose
// document holds them), and on GitHub Actions one annotation each. Writes stdout and stderr.
import chalk from 'chalk'
import type {VFile} from 'vfile'
import {formatAnnotations} from './annotations.js'
import {formatProblems, shownFiles} from './report.js'
import type {ProblemFormat} from './options.js'

export interface ProblemFlags {
  quiet?: boolean | undefined
  json?: boolean | undefined
  format?: ProblemFormat | undefined
}

export function printProblems(files: readonly VFile[], flags: ProblemFlags): void {
  const quiet = Boolean(flags.quiet)
  if (!flags.json) {
    const report = formatProblems(files, {color: chalk.level > 0, quiet, format: flags.format})
    if (report) process.stderr.write(`${report}\n`)
  }
  if (process.env.GITHUB_ACTIONS === 'true') {
    const annotations = formatAnnotations(shownFiles(files, quiet), {cwd: process.cwd(), workspace: process.env.GITHUB_WORKSPACE})
    // The runner reads workflow commands on stdout and stderr alike; stdout is where GitHub's
    // toolkit writes them, but with --json stdout holds one JSON document and nothing else.
    if (annotations) (flags.json ? process.stderr : process.stdout).write(`${annotations}\n`)
  }
}
