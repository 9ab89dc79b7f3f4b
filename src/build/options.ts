// What a caller asks of a build, and the same resolved once where it comes in: the kind of
// run (`mode`), the paths, `SOURCE_DATE_EPOCH` as a date (a usage error before anything is
// read), and, once the manifest is known, which books to make. Pure.
import path from 'node:path'
import type {Manifest, Mode, ProgressEvent, Selection} from '../model.js'
import {report} from '../shared/diagnostics.js'
import {BuildError} from '../shared/errors.js'
import {epochRange} from '../project/inputs.js'

export interface BuildOptions {
  /** What the run makes (default `build`): `build` writes the books; `check` validates and writes nothing; `preview` renders pages and images in memory; `stats` zips every book in memory for its size. */
  mode?: Mode | undefined
  /** Path of volumes.yaml (default `volumes.yaml` in `cwd`). */
  manifest?: string | undefined
  cwd?: string | undefined
  /** Output folder; overrides the manifest's `output`. */
  out?: string | undefined
  /** Only these volume numbers (the collection is then skipped). */
  volumes?: number[] | undefined
  collection?: boolean | undefined
  /** Warnings fail the build. */
  strict?: boolean | undefined
  /** Include reviews marked as drafts. */
  drafts?: boolean | undefined
  /** Also write `SHA256SUMS` (the `sha256sum -c` format) beside the books. */
  checksums?: boolean | undefined
  /** Seconds since the epoch, as in the `SOURCE_DATE_EPOCH` convention. */
  sourceDateEpoch?: string | undefined
  /** Run EPUBCheck (Java) on each book (a check zips them for it); its findings are messages. */
  epubcheck?: boolean | undefined
  /** Also write each book's store kit beside it: the marketing cover JPEG and the listing sheet (Markdown and JSON). */
  kit?: boolean | undefined
  /** Also write each book's paperback beside it: a PDF interior and a full-wrap cover PDF for KDP Print (`print:` in volumes.yaml sets trim and paper). */
  print?: boolean | undefined
  /**
   * The content-hash cache of converted reviews: a folder, or `false` for none. By default
   * `BUILD_VOLUMES_CACHE` when set (`off` for none), else `.build-volumes-cache` beside
   * volumes.yaml. Runs that write nothing (`check`, `preview`, `stats`) only read it.
   */
  cache?: string | false | undefined
  /** Called as the build goes, for progress displays. */
  onProgress?: ((event: ProgressEvent) => void) | undefined
}

export interface ResolvedOptions {
  mode: Mode
  cwd: string
  manifestPath: string
  out: string | undefined
  /** The volumes asked for, checked against the manifest by `selectBooks`. */
  volumes: number[]
  collection: boolean
  strict: boolean
  drafts: boolean
  checksums: boolean
  epubcheck: boolean
  kit: boolean
  print: boolean
  epoch: Date | undefined
  cache: string | false | undefined
  onProgress: (event: ProgressEvent) => void
  /** Whether books are zipped: to be written, measured (stats) or given to EPUBCheck. */
  pack: boolean
  /** Whether the rendered books are kept in the result (preview shows them, stats counts them). */
  keep: boolean
}

export function resolveOptions(options: BuildOptions): ResolvedOptions {
  const mode = options.mode ?? 'build'
  const cwd = path.resolve(options.cwd ?? process.cwd())
  return {
    mode,
    cwd,
    manifestPath: path.resolve(cwd, options.manifest ?? 'volumes.yaml'),
    out: options.out === undefined ? undefined : path.resolve(cwd, options.out),
    volumes: options.volumes ?? [],
    collection: options.collection !== false,
    strict: Boolean(options.strict),
    drafts: Boolean(options.drafts),
    checksums: Boolean(options.checksums),
    epubcheck: Boolean(options.epubcheck),
    kit: Boolean(options.kit) && mode === 'build',
    print: Boolean(options.print) && mode === 'build',
    epoch: parseSourceDateEpoch(options.sourceDateEpoch),
    cache: options.cache,
    onProgress: options.onProgress ?? (() => {}),
    pack: mode === 'build' || mode === 'stats' || Boolean(options.epubcheck),
    keep: mode === 'preview' || mode === 'stats' || mode === 'check'
  }
}

/** `SOURCE_DATE_EPOCH` as a date; a value zip and EPUB cannot hold is a usage error. */
export function parseSourceDateEpoch(value: string | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined
  const seconds = /^\d+$/.test(value) ? Number(value) : NaN
  if (!(seconds >= epochRange.first && seconds <= epochRange.last)) {
    throw new BuildError(
      `SOURCE_DATE_EPOCH must be a whole number of seconds from ${epochRange.first} (1980-01-01, where zip dates begin) to ${epochRange.last} (2107-12-31, where they end), got \`${value}\``,
      2
    )
  }
  return new Date(seconds * 1000)
}

/** Which books this run makes; a volume the manifest does not have is a usage error. */
export function selectBooks(manifest: Manifest, options: ResolvedOptions): Selection {
  const known = manifest.volumes.map((volume) => volume.number)
  const unknown = options.volumes.filter((number) => !known.includes(number))
  if (unknown.length) {
    throw new BuildError(`No volume ${unknown.join(', ')} in ${manifest.file.path}; the volumes are ${known.sort((a, b) => a - b).join(', ')}`, 2)
  }
  const some = options.volumes.length > 0
  if (some && manifest.collection && options.collection) {
    report(manifest.file, {
      reason: `The collection is not built when \`--volume\` picks volumes; only volume ${options.volumes.join(', ')} will be written`,
      ruleId: 'collection-skipped',
      severity: 'info'
    })
  }
  return {volumes: new Set(some ? options.volumes : known), some, collection: !some && options.collection}
}
