// The init command: scaffold a new series and say what to do next, ending with a command that
// works as printed (`build-volumes` when it is on PATH, else this script by its full path);
// refuse, naming the files, when any is already there. Reads PATH's folders. CLI layer.
import {accessSync, constants, statSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
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
  const cd = into === '.' ? '' : `cd ${shellQuote(into)} && `
  const tool = howToRun()
  const books = into === '.' ? 'dist/' : `${into}/dist/`
  process.stderr.write(
    [
      `${chalk.green('✔')} Created a new series in ${into}:`,
      ...result.written.map((file) => `  ${displayPath(cwd, file)}`),
      '',
      'Next: put your name and series in volumes.yaml, and your reviews in reviews/.',
      ...(tool.hint ? [tool.hint] : []),
      'Read volume 1 in your browser while you write:',
      `  ${cd}${tool.command} preview 1`,
      `Write the books to ${books}:`,
      // The last line is a command that works as printed: people copy it.
      `  ${cd}${tool.command}`
    ].join('\n') + '\n'
  )
  return exitCodes.ok
}

/** `build-volumes` when the shell would find it; otherwise this very script by its full path, and how to put it on PATH. */
function howToRun(): {command: string; hint?: string} {
  if (onPath('build-volumes')) return {command: 'build-volumes'}
  const script = fileURLToPath(new URL('../../bin/build-volumes.js', import.meta.url))
  const node = onPath('node') ? 'node' : shellQuote(process.execPath)
  const home = path.dirname(path.dirname(script))
  return {
    command: `${node} ${shellQuote(script)}`,
    hint: `build-volumes is not on your PATH, so these commands run it by its full path; \`npm link\` in ${home} puts it there (the README's "Getting build-volumes on your PATH").`
  }
}

/**
 * Whether PATH holds an executable file called `name`. Relative entries (an empty one means
 * the current folder) are skipped: after the `cd` init prints, they would point elsewhere.
 */
function onPath(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';') : ['']
  for (const folder of (env.PATH ?? '').split(path.delimiter)) {
    if (!path.isAbsolute(folder)) continue
    for (const extension of extensions) {
      const file = path.join(folder, name + extension)
      try {
        if (!statSync(file).isFile()) continue
        accessSync(file, constants.X_OK)
        return true
      } catch {
        // Not there, or not executable: the shell would not run it either.
      }
    }
  }
  return false
}

/** A word the shell reads back as itself: as it is when safe, else in single quotes. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}
