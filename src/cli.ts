// The command line: commander turns flags into build options, calls the library, prints
// the report (problems and progress on stderr, `--json` alone on stdout) and sets the exit
// code. The only module that touches process.argv, process.exit and the console.
import {readFileSync} from 'node:fs'
import chalk from 'chalk'
import {Command, CommanderError, InvalidArgumentError, Option} from 'commander'
import {build, BuildError} from './build.js'
import {exitCodeOf, exitCodes, formatProblems, formatSummary, toJson} from './report.js'
import {abandonStaging} from './write.js'

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string}).version

function volumeNumbers(value: string, previous: number[] | undefined): number[] {
  const numbers = value.split(',').map((part) => part.trim())
  for (const part of numbers) {
    if (!/^[1-9]\d*$/.test(part)) throw new InvalidArgumentError(`expected a volume number (1, 2, …), got "${part}".`)
  }
  return [...(previous ?? []), ...numbers.map(Number)]
}

const examples = `
Examples:
  $ build-volumes                        build every volume and the collection into dist/
  $ build-volumes --volume 3             build only volume 3 (the collection is skipped)
  $ build-volumes --volume 1 2 -o out    build volumes 1 and 2 into out/
  $ build-volumes --strict --json        for CI: warnings fail; a JSON report on stdout
  $ SOURCE_DATE_EPOCH=1700000000 build-volumes   byte-identical books for a release

Exit codes: 0 books written, 1 problems in the input (nothing written),
2 bad command-line usage, 3 the books could not be written, 70 internal error.`

function program(): Command {
  return new Command()
    .name('build-volumes')
    .description('Build one EPUB 3 per volume of a film-review series, plus the collection, from Markdown reviews and volumes.yaml.')
    .version(version, '-V, --version')
    .option('-m, --manifest <file>', 'the series manifest', 'volumes.yaml')
    .option('-o, --out <dir>', 'output folder (default: the manifest\'s `output`, else dist)')
    .addOption(new Option('--volume <n...>', 'build only these volume numbers').argParser(volumeNumbers))
    .option('--no-collection', 'do not build the combined collection')
    .option('--strict', 'treat warnings as errors')
    .option('-q, --quiet', 'print only problems')
    .option('--json', 'print a JSON report on stdout (outputs with path, bytes, sha256; every diagnostic)')
    .addHelpText('after', examples)
    .showHelpAfterError('(run build-volumes --help for usage)')
    .exitOverride()
    .configureOutput({writeOut: (text) => process.stdout.write(text), writeErr: (text) => process.stderr.write(text)})
}

interface Flags {
  manifest: string
  out?: string
  volume?: number[]
  collection: boolean
  strict?: boolean
  quiet?: boolean
  json?: boolean
}

async function main(argv: string[]): Promise<number> {
  // https://no-color.org: any non-empty NO_COLOR turns colour off, whatever the terminal.
  if (process.env.NO_COLOR) chalk.level = 0
  const command = program()
  try {
    command.parse(argv)
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage
    throw error
  }
  const flags = command.opts<Flags>()
  const cwd = process.cwd()
  const strict = Boolean(flags.strict)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      abandonStaging()
      process.stderr.write(`\nInterrupted; the books already in the output folder are unchanged.\n`)
      process.exit(signal === 'SIGINT' ? 130 : 143)
    })
  }
  let result
  try {
    result = await build({manifest: flags.manifest, cwd, out: flags.out, volumes: flags.volume, collection: flags.collection, strict, sourceDateEpoch: process.env.SOURCE_DATE_EPOCH})
  } catch (error) {
    if (error instanceof BuildError) {
      if (flags.json) process.stdout.write(`${JSON.stringify({ok: false, exitCode: error.exitCode, written: false, error: error.message, outputs: [], diagnostics: []}, null, 2)}\n`)
      else process.stderr.write(`${chalk.red('✖')} ${error.message}\n`)
      return error.exitCode
    }
    throw error
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(toJson(result, strict, cwd), null, 2)}\n`)
    return exitCodeOf(result, strict)
  }
  const options = {color: chalk.level > 0, quiet: Boolean(flags.quiet), cwd}
  const problems = formatProblems(result.files, options)
  if (problems) process.stderr.write(`${problems}\n`)
  const summary = formatSummary(result, strict, options)
  const code = exitCodeOf(result, strict)
  if (summary) process.stderr.write(`${code === 0 ? chalk.green(summary) : chalk.red(summary)}\n`)
  return code
}

main(process.argv).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`build-volumes hit an internal error. This is a bug, not a problem with your reviews; please report it with the command you ran and the text below.\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exitCode = exitCodes.internal
  }
)
