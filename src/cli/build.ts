// The build, check and watch commands: run the library, print progress and problems on
// stderr (a live display on a terminal, plain stable lines elsewhere, `--json` alone on
// stdout, GitHub annotations on GitHub Actions) and return the exit code. Part of the CLI layer.
import path from 'node:path'
import chalk from 'chalk'
import {BuildSession, type BuildOptions} from '../build/session.js'
import {createProgress, type Progress} from './progress.js'
import {displayPath, exitCodeOf, formatEpubcheck, formatMs, formatProblems, formatSummary, formatTable, toJson} from './report.js'
import type {ProblemFormat} from './options.js'
import {printProblems} from './problems.js'
import {clockTime} from '../shared/clock.js'
import {serially} from '../build/rebuild.js'
import {watchInputs, watchTargets} from '../build/watch.js'
import {track} from './sessions.js'
import type {BuildResult} from '../model.js'
import {exitCodes} from '../shared/errors.js'
import {orExitCode} from './failure.js'

export interface BuildFlags {
  manifest: string
  out?: string
  volume?: number[]
  collection?: boolean
  drafts?: boolean
  strict?: boolean
  checksums?: boolean
  kit?: boolean
  print?: boolean
  epubcheck?: boolean
  watch?: boolean
  quiet?: boolean
  json?: boolean
  format?: ProblemFormat
}

/** A live display only for a person at a terminal: not in CI, not with --quiet or --json. */
export function isInteractive(flags: {quiet?: boolean | undefined; json?: boolean | undefined}): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI && process.env.TERM !== 'dumb' && !flags.quiet && !flags.json
}

function optionsFrom(flags: BuildFlags, extra: Partial<BuildOptions> = {}): BuildOptions {
  return {
    manifest: flags.manifest,
    cwd: process.cwd(),
    out: flags.out,
    volumes: flags.volume,
    collection: flags.collection,
    drafts: flags.drafts,
    strict: Boolean(flags.strict),
    checksums: flags.checksums,
    kit: flags.kit,
    print: flags.print,
    epubcheck: flags.epubcheck,
    sourceDateEpoch: process.env.SOURCE_DATE_EPOCH,
    ...extra
  }
}

export async function runCheck(flags: BuildFlags): Promise<number> {
  // EPUBCheck needs the zipped book; otherwise check stops before zipping.
  return runOnce(flags, optionsFrom(flags, {mode: 'check', collection: flags.volume ? false : undefined}))
}

export async function runBuild(flags: BuildFlags): Promise<number> {
  if (flags.watch && flags.json) {
    process.stderr.write(`${chalk.red('✖')} --watch and --json do not go together: --json prints one report and exits.\n`)
    return exitCodes.usage
  }
  if (!flags.watch) return runOnce(flags, optionsFrom(flags))
  return watchBuild(flags)
}

async function runOnce(flags: BuildFlags, options: BuildOptions): Promise<number> {
  const startedAt = performance.now()
  const interactive = isInteractive(flags)
  const progress = interactive ? createProgress(process.stderr, process.cwd(), chalk) : undefined
  const session = track(new BuildSession({...options, onProgress: progress}))
  const outcome = await runSession(session, progress, flags)
  if (typeof outcome === 'number') return outcome
  return printResult(outcome, flags, interactive, startedAt)
}

/** One run of a session; a BuildError (usage, cannot write) is printed and becomes its exit code. */
function runSession(session: BuildSession, progress: Progress | undefined, flags: {json?: boolean | undefined} = {}): Promise<BuildResult | number> {
  return orExitCode(async () => {
    try {
      return await session.run()
    } finally {
      // The spinner stops before anything else is printed.
      progress?.stop()
    }
  }, flags)
}

function printResult(result: BuildResult, flags: BuildFlags, interactive: boolean, startedAt?: number): number {
  const strict = Boolean(flags.strict)
  const cwd = process.cwd()
  const code = exitCodeOf(result, strict)
  if (flags.json) process.stdout.write(`${JSON.stringify(toJson(result, strict, cwd), null, 2)}\n`)
  printProblems(result.files, flags)
  if (flags.json) return code
  const options = {color: chalk.level > 0, quiet: Boolean(flags.quiet), cwd}
  // EPUBCheck's verdict is said when the run passed; when it did not, its findings (if it ran) are the problems above.
  const epubcheck = flags.epubcheck && code === exitCodes.ok && !flags.quiet ? `${chalk.green(formatEpubcheck(result))}\n` : ''
  if (code === exitCodes.ok && interactive) {
    const where = result.written && result.outDir ? ` to ${displayPath(cwd, result.outDir)}` : ''
    const took = startedAt === undefined ? '' : ` in ${formatMs(performance.now() - startedAt)}`
    process.stderr.write(
      `\n${formatTable(result, {...options, bold: chalk.bold, dim: chalk.dim})}\n\n${chalk.green(`${result.written ? 'Wrote' : 'Checked'} ${result.outputs.length} ${result.outputs.length === 1 ? 'book' : 'books'}${where}${took}.`)}\n${epubcheck}`
    )
    return code
  }
  const summary = formatSummary(result, strict, options)
  if (summary) process.stderr.write(`${code === 0 ? chalk.green(summary) : chalk.red(summary)}\n`)
  process.stderr.write(epubcheck)
  return code
}

/** Build, then rebuild the affected books on every change; input errors never stop it. */
async function watchBuild(flags: BuildFlags): Promise<number> {
  const cwd = process.cwd()
  const manifestPath = path.resolve(cwd, flags.manifest)
  const interactive = isInteractive(flags)
  const progress = interactive ? createProgress(process.stderr, cwd, chalk) : undefined
  const session = track(new BuildSession({...optionsFrom(flags), onProgress: progress}))
  const startedAt = performance.now()
  const first = await runSession(session, progress)
  if (typeof first === 'number' && first === exitCodes.usage) return first
  if (typeof first !== 'number') printResult(first, flags, interactive, startedAt)
  const report = {quiet: Boolean(flags.quiet), format: flags.format}
  let shownProblems = typeof first === 'number' ? '' : formatProblems(first.files, {...report, color: false})
  let targets = watchTargets(manifestPath, typeof first === 'number' ? undefined : first.manifest, typeof first === 'number' ? [] : first.inputs)
  // --quiet means only problems: no banner, and no line for a rebuild that went well.
  if (!flags.quiet)
    process.stderr.write(
      `${chalk.dim(
        `Watching ${targets.trees
          .map((tree) => `${displayPath(cwd, tree)}/`)
          .concat(displayPath(cwd, manifestPath))
          .join(' and ')} for changes; press Ctrl+C to stop.`
      )}\n`
    )

  const rebuild = serially(async () => {
    const started = performance.now()
    const result = await runSession(session, undefined)
    const time = clockTime()
    if (typeof result !== 'number') {
      const plain = formatProblems(result.files, {...report, color: false})
      if (plain !== shownProblems && plain) process.stderr.write(`${formatProblems(result.files, {...report, color: chalk.level > 0})}\n`)
      shownProblems = plain
      const code = exitCodeOf(result, Boolean(flags.strict))
      const rebuilt = result.outputs.filter((output) => output.rebuilt)
      if (code !== exitCodes.ok) {
        process.stderr.write(
          `${chalk.red('✖')} ${time} not rebuilt: fix the problems above; the books in ${result.outDir ? displayPath(cwd, result.outDir) : 'the output folder'} are unchanged\n`
        )
      } else if (!flags.quiet) {
        process.stderr.write(
          rebuilt.length > 0
            ? `${chalk.green('✔')} ${time} rebuilt ${rebuilt.map((output) => path.basename(output.path)).join(', ')} in ${formatMs(performance.now() - started)}\n`
            : `${chalk.dim(`· ${time} no book changed`)}\n`
        )
      }
      if (result.inputs.length > 0) {
        targets = watchTargets(manifestPath, result.manifest, result.inputs)
        watcher.update(targets)
      }
    }
  })
  const watcher = watchInputs(targets, () => void rebuild())
  // Runs until Ctrl+C: the signal handler in cli/main.ts ends the process.
  return new Promise<number>(() => {})
}
