// The preview command: start the preview server, print where it is, report each rebuild
// (and its problems) in the terminal, and open the browser when asked. Runs until Ctrl+C.
// Part of the CLI layer.
import {spawn} from 'node:child_process'
import chalk from 'chalk'
import {startPreview, type PreviewBuild} from '../preview/server.js'
import {formatMs, formatProblems} from './report.js'
import {clockTime} from '../shared/clock.js'
import {orExitCode} from './failure.js'

export interface PreviewFlags {
  manifest: string
  port?: number
  host: string
  open?: boolean
  drafts?: boolean
}

export async function runPreview(volume: number, flags: PreviewFlags): Promise<number> {
  let shown = ''
  const onBuild = (build: PreviewBuild) => {
    const time = clockTime()
    // Problems are printed when they change, not again on every save.
    const files = build.result ? build.result.files.filter((file) => file.messages.some((message) => message.fatal !== undefined)) : []
    const plain = formatProblems(files, {color: false, quiet: false})
    if (plain && plain !== shown) process.stderr.write(`${formatProblems(files, {color: chalk.level > 0, quiet: false})}\n`)
    shown = plain
    const errors = build.problems.filter((problem) => problem.severity === 'error').length
    if (build.error) process.stderr.write(`${chalk.red('✖')} ${time} ${build.error}\n`)
    else if (errors > 0)
      process.stderr.write(
        `${chalk.red('✖')} ${time} volume ${volume} has ${errors} ${errors === 1 ? 'problem' : 'problems'}; the page shows them until you fix them\n`
      )
    else process.stderr.write(`${chalk.green('✔')} ${time} ${build.first ? 'built' : 'rebuilt'} volume ${volume} in ${formatMs(build.ms)}\n`)
  }
  const preview = await orExitCode(() =>
    startPreview({manifest: flags.manifest, cwd: process.cwd(), volume, drafts: flags.drafts, port: flags.port, host: flags.host, onBuild})
  )
  if (typeof preview === 'number') return preview
  process.stderr.write(
    `Previewing volume ${volume} at ${chalk.cyan(preview.url)}\nIt reloads when you save a review, an image or volumes.yaml; press Ctrl+C to stop.\n`
  )
  if (flags.open) openBrowser(preview.url)
  // Runs until Ctrl+C: the signal handler in cli/main.ts ends the process.
  return new Promise<number>(() => {})
}

function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]]
  const child = spawn(command, args, {stdio: 'ignore', detached: true})
  child.on('error', () => process.stderr.write(`Could not open a browser (${command} is not available); open ${url} yourself.\n`))
  child.unref()
}
