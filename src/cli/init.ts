// The init command: scaffold a new series and say what to do next; refuse, naming the
// files, when any is already there. Part of the CLI layer.
import path from 'node:path'
import chalk from 'chalk'
import {describeOsError} from '../shared/diagnostics.js'
import {scaffold} from '../project/scaffold.js'
import {displayPath} from './report.js'
import {exitCodes} from '../shared/errors.js'

export async function runInit(dir: string): Promise<number> {
  const cwd = process.cwd()
  const target = path.resolve(cwd, dir)
  let result
  try {
    result = await scaffold(target)
  } catch (error) {
    process.stderr.write(`${chalk.red('✖')} Could not create the series in ${displayPath(cwd, target)}: ${describeOsError(error)}\n`)
    return exitCodes.output
  }
  if (result.existing.length > 0) {
    process.stderr.write(
      `${chalk.red('✖')} Nothing was written: these files already exist, and init never overwrites:\n${result.existing.map((file) => `  ${displayPath(cwd, file)}`).join('\n')}\nRun init in an empty folder, e.g. \`build-volumes init my-series\`.\n`
    )
    return exitCodes.input
  }
  const into = displayPath(cwd, target)
  const step = into === '.' ? '' : `cd ${into.includes(' ') ? JSON.stringify(into) : into}\n  `
  process.stderr.write(
    `${chalk.green('✔')} Created a new series in ${into}:\n${result.written.map((file) => `  ${displayPath(cwd, file)}`).join('\n')}\n\nNext:\n  ${step}build-volumes            # writes the books to dist/\n  build-volumes preview 1  # read volume 1 in your browser while you write\n\nEdit volumes.yaml for your name and series, and add your reviews to reviews/.\n`
  )
  return exitCodes.ok
}
