// The command line: commander turns arguments into one of the commands (build, also the
// default, check, preview, stats, init, import, help), each in its own module, loaded only
// when it runs (so --help and init never load the Markdown pipeline), and gives the exit code (bin.ts sets it).
// The CLI modules are the only ones touching process.argv, process.exit and the console.
import {readFileSync} from 'node:fs'
import chalk from 'chalk'
import {Argument, Command, CommanderError, Option} from 'commander'
import type {BuildFlags} from './build.js'
import type {PreviewFlags} from './preview.js'
import type {StatsFlags} from './stats.js'
import type {ImportFlags} from './import.js'
import type {SourceName} from '../import/types.js'
import {nearest} from '../shared/suggest.js'
import {abandonAll} from './sessions.js'
import {exitCodes} from '../shared/errors.js'
import {addBuildOptions, draftsOption, formatOption, manifestOption, portNumber, volumeNumber, volumeNumbers} from './options.js'

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version

const examples = `
Examples:
  $ build-volumes                        build every volume and the collection into dist/
  $ build-volumes build --volume 3       the same command by its name: only volume 3 (no collection)
  $ build-volumes --volume 1 2 -o out    build volumes 1 and 2 into out/
  $ build-volumes --watch                build, then rebuild the books a change affects
  $ build-volumes --strict --json        for CI: warnings fail; a JSON report on stdout
  $ SOURCE_DATE_EPOCH=1700000000 build-volumes --checksums   a release: identical bytes + SHA256SUMS
  $ build-volumes --kit                  and, beside each book, its KDP cover JPEG and listing sheet
  $ build-volumes check                  validate everything, write nothing
  $ build-volumes check --format compact one line a problem: file:line:col: severity: message [rule]
  $ build-volumes preview 3 --open       read volume 3 in the browser; it reloads on save
  $ build-volumes stats                  words, ratings, decades, sizes, Kindle delivery cost
  $ build-volumes init my-series         start a new series
  $ build-volumes import medium medium-export.zip   reviews from a Medium, Substack, Letterboxd or WordPress export
  $ build-volumes help import            one command's options and examples

On GitHub Actions (GITHUB_ACTIONS=true), build, check and import also print each problem
as an annotation for the commit and the pull request (on stderr with --json).

Exit codes: 0 success, 1 problems in the input (nothing written),
2 bad command-line usage, 3 the books could not be written (or the preview
could not listen), 4 internal error (a bug: please report it).`

const buildExamples = `
Examples:
  $ build-volumes build                  the same as build-volumes alone: every book into dist/
  $ build-volumes build --volume 3       only volume 3 (the collection is skipped)
  $ build-volumes build --watch          build, then rebuild the books a change affects
  $ build-volumes build --strict --json  for CI: warnings fail; a JSON report on stdout`

const commands = ['build', 'check', 'preview', 'stats', 'init', 'import', 'help']

/** What Ctrl+C leaves behind, said to fit the command it stopped. */
const stopMessages = {
  books: 'Stopped; the books already in the output folder are unchanged.',
  preview: 'Stopped the preview.',
  import: 'Stopped; nothing was imported, the reviews folder is unchanged.',
  other: 'Stopped.'
}

interface Outcome {
  code: number
  stopped: string
}

function program(outcome: Outcome): Command {
  const command = addBuildOptions(
    new Command()
      .name('build-volumes')
      .description('Build one EPUB 3 per volume of a film-review series, plus the collection, from Markdown reviews and volumes.yaml.')
      .version(version, '-V, --version')
  )
    .addHelpText('after', examples)
    .showHelpAfterError('(run build-volumes --help for usage)')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({writeOut: (text) => process.stdout.write(text), writeErr: (text) => process.stderr.write(text)})
    .allowExcessArguments(true)
    .action(async (flags: BuildFlags, self: Command) => {
      // The build takes no arguments: a word here is a mistyped command.
      if (self.args.length > 0) return unknownCommand(self.args[0]!)
      outcome.stopped = stopMessages.books
      outcome.code = await (await import('./build.js')).runBuild(flags)
    })

  const unknownCommand = (name: string) => {
    const guess = nearest(name, commands)
    process.stderr.write(
      `error: unknown command '${name}'${guess ? `; did you mean '${guess}'?` : '.'} The commands are ${commands.join(', ')}; with none, build-volumes builds the books.\n(run build-volumes --help for usage)\n`
    )
    outcome.code = exitCodes.usage
  }
  // A command takes the arguments it names and no more (the program allows more only to name a mistyped command).
  const sub = (name: string, description: string) =>
    command.command(name).description(description).exitOverride().allowExcessArguments(false).showHelpAfterError(`(run build-volumes ${name} --help for usage)`)
  /**
   * Options written before a command (`build-volumes --strict check`) apply to it when it has
   * them, and are a usage error when it does not: never silently dropped. Gives the command's
   * options with those merged in.
   */
  const withGlobals = <Flags extends object>(self: Command): Flags | undefined => {
    const name = self.name()
    const merged = {...self.opts()}
    const own = new Set(self.options.map((option) => option.attributeName()))
    for (const option of command.options) {
      const key = option.attributeName()
      if (command.getOptionValueSource(key) !== 'cli') continue
      const flag = option.long ?? option.short ?? key
      if (!own.has(key)) {
        process.stderr.write(
          `error: option '${flag}' does not apply to '${name}'; write the options of a command after it (build-volumes ${name} --help lists them)\n`
        )
        outcome.code = exitCodes.usage
        return undefined
      }
      const given = command.getOptionValue(key) as unknown
      if (self.getOptionValueSource(key) === 'cli' && JSON.stringify(self.getOptionValue(key)) !== JSON.stringify(given)) {
        process.stderr.write(`error: option '${flag}' is given twice, before and after '${name}', with different values\n`)
        outcome.code = exitCodes.usage
        return undefined
      }
      merged[key] = given
    }
    return merged as Flags
  }

  addBuildOptions(sub('build', 'Build every volume and the collection; the default command, so `build-volumes` alone does the same.'))
    .addHelpText('after', buildExamples)
    .action(async (_own: BuildFlags, self: Command) => {
      const flags = withGlobals<BuildFlags>(self)
      if (!flags) return
      outcome.stopped = stopMessages.books
      outcome.code = await (await import('./build.js')).runBuild(flags)
    })

  sub('check', 'Validate the manifest, every review, link and image without writing anything; exit 1 on errors.')
    .addOption(manifestOption())
    .addOption(new Option('--volume <n...>', 'check only these volume numbers').argParser(volumeNumbers))
    .addOption(draftsOption())
    .option('--strict', 'treat warnings as errors')
    .option('--epubcheck', 'also zip each book and run EPUBCheck on it (Java)')
    .option('-q, --quiet', 'print only problems')
    .option('--json', 'print a JSON report on stdout')
    .addOption(formatOption())
    .addHelpText(
      'after',
      `
Examples:
  $ build-volumes check                  every volume and the collection
  $ build-volumes check --strict --json  for CI or an editor: warnings fail; JSON on stdout
  $ build-volumes check --format compact one line a problem, as compilers print them
  $ build-volumes check --epubcheck      the store preflight and EPUBCheck, as Apple and Kobo run it`
    )
    .action(async (_own: BuildFlags, self: Command) => {
      const flags = withGlobals<BuildFlags>(self)
      if (!flags) return
      outcome.stopped = stopMessages.books
      outcome.code = await (await import('./build.js')).runCheck(flags)
    })

  sub('preview', 'Serve one volume as web pages on localhost; the page reloads when you save a review, image or volumes.yaml.')
    .argument('<volume>', 'the volume number', volumeNumber)
    .addOption(manifestOption())
    .addOption(new Option('-p, --port <port>', 'the port to listen on (default: 4000, or the next free one; 0 picks any free port)').argParser(portNumber))
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .option('--open', 'open the preview in your browser')
    .addOption(draftsOption())
    .addHelpText(
      'after',
      `
Examples:
  $ build-volumes preview 3 --open       serve volume 3 and open it in the browser
  $ build-volumes preview 1 --port 8080  on http://127.0.0.1:8080/`
    )
    .action(async (volume: number, _own: PreviewFlags, self: Command) => {
      const flags = withGlobals<PreviewFlags>(self)
      if (!flags) return
      outcome.stopped = stopMessages.preview
      outcome.code = await (await import('./preview.js')).runPreview(volume, flags)
    })

  sub('stats', 'Per volume and for the collection: reviews, words, reading time, decades, ratings, EPUB size and Kindle delivery cost.')
    .addOption(manifestOption())
    .addOption(draftsOption())
    .option('--price <amount>', "UK Kindle list price in pounds for the royalty column (default: each book's own price under `stores`, else 4.99)")
    .option('--json', 'print the statistics as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ build-volumes stats                  a table, then each book's decades and ratings
  $ build-volumes stats --price 2.99     the royalty column at £2.99
  $ build-volumes stats --json > stats.json`
    )
    .action(async (_own: StatsFlags, self: Command) => {
      const flags = withGlobals<StatsFlags>(self)
      if (flags) outcome.code = await (await import('./stats.js')).runStats(flags)
    })

  sub('import', 'Turn a Medium, Substack, Letterboxd or WordPress export into review files (images downloaded), and start volumes.yaml.')
    .addArgument(new Argument('<source>', 'where the export is from').choices(['medium', 'substack', 'letterboxd', 'wordpress']))
    .argument('<export>', 'the export: its zip, or the folder it unpacks to')
    .addOption(manifestOption())
    .option('--into <dir>', "the folder for the review files (default: volumes.yaml's `reviews`, else reviews/)")
    .option('-n, --dry-run', 'print what would be written, skipped and why; write nothing, download nothing')
    .option('--no-download', 'keep images at their web addresses (the build then warns about each)')
    .option('--update', 'replace reviews imported before whose post has changed, when you have not edited them')
    .option('--tag <name...>', 'keep only posts with one of these tags or categories')
    .option('--title <pattern>', 'keep only posts whose title matches this regular expression (any case)')
    .option('--skip-drafts', 'leave out drafts (imported with `draft: true` otherwise)')
    .option('--skip-paid', 'leave out posts for paying subscribers only')
    .addOption(new Option('--volumes <n>', 'split a new volumes.yaml into n volumes (default: one per year)').argParser(volumeNumber))
    .option('--series <name>', "the series' name in a new volumes.yaml (default: the publication's)")
    .option('--author <name>', 'the author in a new volumes.yaml (default: as the export says)')
    .option('--strict', 'treat warnings as errors (nothing is written)')
    .option('-q, --quiet', 'print only problems and the summary')
    .option('--json', 'print a JSON report on stdout')
    .addOption(formatOption())
    .addHelpText(
      'after',
      `
Examples:
  $ build-volumes import medium medium-export.zip            every post but responses, images downloaded
  $ build-volumes import substack export/ --skip-paid --dry-run   see the plan first
  $ build-volumes import wordpress blog.xml --tag "film review" --volumes 7
  $ build-volumes import letterboxd letterboxd-me.zip --update    again, with a newer export

Running it again on a newer export adds the new posts; a review you have edited is never
overwritten. Exit codes as for build: 0 imported, 1 problems in the export (nothing written),
2 usage, 3 the files could not be written.`
    )
    .action(async (source: SourceName, archive: string, _own: ImportFlags, self: Command) => {
      const flags = withGlobals<ImportFlags>(self)
      if (!flags) return
      outcome.stopped = stopMessages.import
      outcome.code = await (await import('./import.js')).runImportCommand(source, archive, flags)
    })

  sub('init', 'Start a new series: volumes.yaml, two example reviews and a .gitignore (never overwrites).')
    .argument('[dir]', 'the folder to create the series in', '.')
    .addHelpText(
      'after',
      `
Examples:
  $ build-volumes init my-series         create my-series/ and start there
  $ build-volumes init                   in the current folder`
    )
    .action(async (dir: string, _own: object, self: Command) => {
      if (withGlobals(self)) outcome.code = await (await import('./init.js')).runInit(dir)
    })

  sub('help', "Print a command's help, as `build-volumes <command> --help` does; with no command, this help.")
    .argument('[command]', `one of ${commands.join(', ')}`)
    .action((name: string | undefined, _own: object, self: Command) => {
      if (!withGlobals(self)) return
      if (name === undefined) return command.outputHelp()
      const target = command.commands.find((candidate) => candidate.name() === name)
      if (target) target.outputHelp()
      else unknownCommand(name)
    })
  return command
}

async function main(argv: string[]): Promise<number> {
  // https://no-color.org: any non-empty NO_COLOR turns colour off, whatever the terminal.
  if (process.env.NO_COLOR) chalk.level = 0
  const outcome: Outcome = {code: exitCodes.ok, stopped: stopMessages.other}
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      abandonAll()
      process.stderr.write(`\n${outcome.stopped}\n`)
      process.exit(signal === 'SIGINT' ? 130 : 143)
    })
  }
  try {
    await program(outcome).parseAsync(argv)
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage
    throw error
  }
  return outcome.code
}

/**
 * Runs one command line and gives its exit code; an internal error is reported as a bug. The
 * executable (`bin.ts`) sets the process's exit code from it.
 */
export function run(argv: string[]): Promise<number> {
  return main(argv).catch((error: unknown) => {
    process.stderr.write(
      `build-volumes hit an internal error. This is a bug, not a problem with your reviews; please report it with the command you ran and the text below.\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
    )
    return exitCodes.internal
  })
}
