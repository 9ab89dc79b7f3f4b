// The options several commands share, and their parsers: the build's options (given to the
// program itself, where `build-volumes` alone builds, and to `build`, its explicit name),
// `--manifest`, `--drafts` and `--format`. Commander objects only; no I/O.
import {Command, InvalidArgumentError, Option} from 'commander'

export function volumeNumbers(value: string, previous: number[] | undefined): number[] {
  const numbers = value.split(',').map((part) => part.trim())
  for (const part of numbers) {
    if (!/^[1-9]\d*$/.test(part)) throw new InvalidArgumentError(`expected a volume number (1, 2, …), got "${part}".`)
  }
  return [...(previous ?? []), ...numbers.map(Number)]
}

export function volumeNumber(value: string): number {
  if (!/^[1-9]\d*$/.test(value.trim())) throw new InvalidArgumentError(`expected a volume number (1, 2, …), got "${value}".`)
  return Number(value)
}

export function portNumber(value: string): number {
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError(`expected a port number from 0 to 65535 (0 picks a free one), got "${value}".`)
  return port
}

/** `--format`: vfile-reporter's report grouped by file (the default), or one line per problem. */
export const problemFormats = ['stylish', 'compact'] as const
export type ProblemFormat = (typeof problemFormats)[number]

export const manifestOption = () => new Option('-m, --manifest <file>', 'the series manifest').default('volumes.yaml')
export const draftsOption = () => new Option('--drafts', 'include reviews marked `draft: true` (left out by default)')
export const formatOption = () =>
  new Option('--format <name>', 'stylish: problems grouped by file; compact: one line each, file:line:col: severity: message [rule]')
    .choices(problemFormats)
    .default('stylish')

/** The build's options, on `command`: the same on the program and on `build`, so both read alike. */
export function addBuildOptions(command: Command): Command {
  return command
    .addOption(manifestOption())
    .option('-o, --out <dir>', "output folder (default: the manifest's `output`, else dist)")
    .addOption(new Option('--volume <n...>', 'build only these volume numbers').argParser(volumeNumbers))
    .option('--no-collection', 'do not build the combined collection')
    .addOption(draftsOption())
    .option('--strict', 'treat warnings as errors')
    .option('--checksums', 'also write SHA256SUMS beside the books (check with `sha256sum -c SHA256SUMS`)')
    .option('--kit', "also write each book's store kit beside it: the marketing cover JPEG and the listing sheet (.md and .json)")
    .option('--print', "also write each book's paperback beside it for KDP Print: a PDF interior and a full-wrap cover PDF (`print:` in volumes.yaml)")
    .option('--epubcheck', 'run EPUBCheck (Java; EPUBCHECK_JAR or the Debian package) on each book before writing it')
    .option('-w, --watch', 'after building, rebuild the books a change affects until Ctrl+C')
    .option('-q, --quiet', 'print only problems')
    .option('--json', 'print a JSON report on stdout (outputs with path, bytes, sha256; every diagnostic)')
    .addOption(formatOption())
}
