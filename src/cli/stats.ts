// The stats command: build every book in memory (nothing is written), then print the
// statistics as a table, or as JSON on stdout with `--json`. Part of the CLI layer.
import chalk from 'chalk'
import {build} from '../build/session.js'
import {exitCodeOf, formatProblems} from './report.js'
import {computeStats, deliveryRates, formatStats, wordsPerMinute} from '../book/stats.js'
import {exitCodes} from '../shared/errors.js'
import {orExitCode} from './failure.js'

export interface StatsFlags {
  manifest: string
  drafts?: boolean
  price?: string
  json?: boolean
}

export async function runStats(flags: StatsFlags): Promise<number> {
  const price = flags.price === undefined ? undefined : Number(flags.price)
  if (flags.price !== undefined && (!/^\d+(\.\d{1,2})?$/.test(flags.price) || !price)) {
    process.stderr.write(`${chalk.red('✖')} --price must be an amount such as 4.99, got "${flags.price}"\n`)
    return exitCodes.usage
  }
  const result = await orExitCode(() =>
    build({manifest: flags.manifest, cwd: process.cwd(), drafts: flags.drafts, mode: 'stats', sourceDateEpoch: process.env.SOURCE_DATE_EPOCH})
  )
  if (typeof result === 'number') return result
  const problems = formatProblems(result.files, {color: chalk.level > 0, quiet: Boolean(flags.json)})
  if (problems) process.stderr.write(`${problems}\n`)
  const code = exitCodeOf(result, false)
  if (code !== exitCodes.ok) {
    process.stderr.write(`${chalk.red('No statistics: fix the problems above first.')}\n`)
    return code
  }
  const stats = computeStats(result, price)
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({priceGbp: price ?? null, wordsPerMinute, deliveryRatesPerMb: deliveryRates, books: stats}, null, 2)}\n`)
  } else {
    process.stdout.write(`${formatStats(stats, chalk)}\n`)
  }
  return code
}
