// The import command: run the importer, then print what happened: problems (as build does),
// the reviews written, left or skipped and why, and what to do next; with `--json` one JSON
// document on stdout. The snippet of new reviews for an existing volumes.yaml goes to stdout
// (it is the command's product); everything else to stderr. Part of the CLI layer.
import chalk from 'chalk'
import {abandonWrite, type WriteState} from '../output/write.js'
import {runImport, type ImportResult} from '../import/run.js'
import type {SourceName} from '../import/types.js'
import {diagnosticsOf, failed} from '../shared/diagnostics.js'
import {exitCodes} from '../shared/errors.js'
import {orExitCode} from './failure.js'
import {printProblems} from './problems.js'
import {count} from './report.js'
import type {ProblemFormat} from './options.js'
import {track} from './sessions.js'

export interface ImportFlags {
  manifest: string
  into?: string
  dryRun?: boolean
  download?: boolean
  update?: boolean
  tag?: string[]
  title?: string
  skipDrafts?: boolean
  skipPaid?: boolean
  volumes?: number
  series?: string
  author?: string
  strict?: boolean
  quiet?: boolean
  json?: boolean
  format?: ProblemFormat
}

export async function runImportCommand(source: SourceName, archive: string, flags: ImportFlags): Promise<number> {
  let title: RegExp | undefined
  if (flags.title !== undefined) {
    try {
      title = new RegExp(flags.title, 'iu')
    } catch (error) {
      process.stderr.write(`${chalk.red('✖')} --title must be a pattern (a regular expression) such as "review|\\(\\d{4}\\)": ${(error as Error).message}\n`)
      return exitCodes.usage
    }
  }
  const state: WriteState = {}
  track({abandon: () => abandonWrite(state)})
  const showProgress = Boolean(process.stderr.isTTY) && !flags.quiet && !flags.json
  const result = await orExitCode(
    () =>
      runImport({
        source,
        archive,
        cwd: process.cwd(),
        manifest: flags.manifest,
        into: flags.into,
        dryRun: flags.dryRun,
        download: flags.download,
        update: flags.update,
        strict: flags.strict,
        filters: {tags: flags.tag, title, skipDrafts: flags.skipDrafts, skipPaid: flags.skipPaid},
        volumes: flags.volumes,
        series: flags.series,
        author: flags.author,
        writeState: state,
        onProgress: showProgress ? (message) => process.stderr.write(`${chalk.dim(message)}\n`) : undefined
      }),
    {json: flags.json}
  )
  if (typeof result === 'number') return result
  const code = failed(result.files, flags.strict) ? exitCodes.input : exitCodes.ok
  if (flags.json) process.stdout.write(`${JSON.stringify(toJson(result, code), null, 2)}\n`)
  printProblems(result.files, flags)
  if (flags.json) return code
  process.stderr.write(`${formatImport(result, code, Boolean(flags.quiet))}\n`)
  if (code === exitCodes.ok && result.manifest.snippet) process.stdout.write(result.manifest.snippet)
  return code
}

const actionWords: Record<ImportResult['reviews'][number]['action'], {now: string; dry: string}> = {
  new: {now: 'new', dry: 'would write'},
  update: {now: 'updated', dry: 'would update'},
  unchanged: {now: 'unchanged', dry: 'unchanged'},
  outdated: {now: 'changed in the export; kept (--update replaces it)', dry: 'changed in the export; kept (--update replaces it)'},
  edited: {now: 'edited by you; kept', dry: 'edited by you; kept'},
  conflict: {now: 'edited by you and changed in the export; kept', dry: 'edited by you and changed in the export; kept'},
  deleted: {now: 'deleted by you; not brought back', dry: 'deleted by you; not brought back'}
}

export function formatImport(result: ImportResult, code: number, quiet: boolean): string {
  const written = result.reviews.filter((review) => review.action === 'new' || review.action === 'update')
  if (code !== exitCodes.ok) {
    const reason = result.files.some((file) => file.messages.some((message) => message.fatal === true)) ? 'the problems above' : 'warnings (--strict)'
    return chalk.red(`Nothing was imported because of ${reason}; the reviews folder is unchanged.`)
  }
  const lines: string[] = []
  const verb = result.dryRun ? 'Would import' : 'Imported'
  const images = result.images
  const imageNote = [
    images.downloaded ? `${count(images.downloaded, 'image')} downloaded` : '',
    images.toDownload ? `${count(images.toDownload, 'image')} to download` : '',
    images.fromExport ? `${count(images.fromExport, 'image')} from the export` : '',
    images.alreadyThere ? `${count(images.alreadyThere, 'image')} already there` : '',
    images.remote ? `${count(images.remote, 'image')} left on the web (--no-download)` : '',
    images.failed ? chalk.yellow(`${count(images.failed, 'image')} failed`) : ''
  ].filter(Boolean)
  lines.push(
    `${verb} ${count(written.length, 'review')} from ${result.archive}${imageNote.length ? ` (${imageNote.join(', ')})` : ''}${result.dryRun ? '; dry run, nothing written' : ''}.`
  )
  if (!quiet) {
    const shown = result.reviews.filter((review) => review.action !== 'unchanged')
    const width = Math.max(0, ...shown.map((review) => review.file.length))
    for (const review of shown)
      lines.push(
        `  ${review.file.padEnd(width)}  ${chalk.dim('←')} ${review.entry}  ${result.dryRun ? actionWords[review.action].dry : actionWords[review.action].now}`
      )
    const unchanged = result.reviews.length - shown.length
    if (unchanged > 0) lines.push(chalk.dim(`  ${count(unchanged, 'review')} unchanged since the last import`))
  }
  if (result.skipped.length > 0) {
    const reasons = new Map<string, number>()
    for (const skip of result.skipped) reasons.set(skip.why, (reasons.get(skip.why) ?? 0) + 1)
    const words: Record<string, [string, string]> = {
      response: ['response', 'responses'],
      page: ['page', 'pages'],
      podcast: ['podcast', 'podcasts'],
      thread: ['thread', 'threads'],
      other: ['other post', 'other posts'],
      draft: ['draft (--skip-drafts)', 'drafts (--skip-drafts)'],
      paid: ['paid post (--skip-paid)', 'paid posts (--skip-paid)'],
      tag: ['without the tag (--tag)', 'without the tag (--tag)'],
      title: ['title not matching (--title)', 'titles not matching (--title)'],
      empty: ['empty post', 'empty posts'],
      exists: ['already in the folder', 'already in the folder']
    }
    const summary = [...reasons].map(([why, n]) => `${n} ${words[why]![n === 1 ? 0 : 1]}`).join(', ')
    lines.push(`Skipped ${count(result.skipped.length, 'post')}: ${summary}.`)
    if (!quiet) for (const skip of result.skipped) lines.push(chalk.dim(`  ${skip.entry}  ${skip.title ? `“${skip.title}”: ` : ''}${skip.reason}`))
  }
  if (result.manifest.action === 'written')
    lines.push(`${result.dryRun ? 'Would write' : 'Wrote'} ${result.manifest.path}: the reviews in order of publication, in volumes, and a collection.`)
  else if (result.manifest.snippet) lines.push(`${result.manifest.path} is yours and was left alone; the new reviews are below, to paste into a volume.`)
  if (!result.dryRun && written.length > 0 && !quiet) lines.push(chalk.dim('Next: build-volumes check, then build-volumes (the README has the steps).'))
  return lines.join('\n')
}

function toJson(result: ImportResult, code: number) {
  return {
    ok: code === exitCodes.ok,
    exitCode: code,
    written: result.written,
    dryRun: result.dryRun,
    source: result.source,
    archive: result.archive,
    reviews: result.reviews,
    skipped: result.skipped,
    images: result.images,
    manifest: result.manifest,
    diagnostics: diagnosticsOf(result.files)
  }
}
