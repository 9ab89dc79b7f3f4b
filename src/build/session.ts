// A build, start to finish, as a list of stages with data in and data out: load the project,
// convert the reviews, assemble the books, render and check them, write them (all or none).
// The only module that sequences the stages. A BuildSession lives across runs (watch,
// preview) and owns every cache a run keeps (caches.ts), so it converts again only reviews
// whose text changed and writes again only books whose inputs changed. Returns every file's
// messages and what was made; never prints.
import path from 'node:path'
import {VFile} from 'vfile'
import type {BuildResult, Manifest} from '../model.js'
import {expectedCoverTexts} from '../book/assemble.js'
import {abandonWrite} from '../output/write.js'
import {drawCovers} from '../render/prepare.js'
import {openReviewCache, cacheFolderName} from '../review/cache.js'
import {Converter, type PipelineConfig} from '../review/jobs.js'
import type {Conversion} from '../review/load.js'
import {failed, report} from '../shared/diagnostics.js'
import {isInside} from '../shared/paths.js'
import {assembleStage} from './assemble-books.js'
import {createCaches} from './caches.js'
import {convertReviews} from './convert-reviews.js'
import {loadProject} from './load-project.js'
import {resolveOptions, type BuildOptions, type ResolvedOptions} from './options.js'
import {renderBooks} from './render-books.js'
import {writeBooks} from './write-books.js'

export type {BuildOptions}

/** One build. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  return new BuildSession(options).run()
}

export class BuildSession {
  private readonly options: BuildOptions
  readonly caches = createCaches()
  /** The conversion settings and the manifest text they were made for. */
  private conversion: {text: string; value: Conversion; unusable: {dir: string; why: string} | undefined} | undefined

  constructor(options: BuildOptions = {}) {
    this.options = options
  }

  /** Remove the staging folder and lock of a write in progress (a signal handler's job); the books in place stay. */
  abandon(): void {
    abandonWrite(this.caches.write)
  }

  async run(): Promise<BuildResult> {
    // Options come in once: a usage error (SOURCE_DATE_EPOCH) is found before anything is read.
    const options = resolveOptions(this.options)
    const manifestFile = new VFile({path: path.relative(options.cwd, options.manifestPath) || options.manifestPath, cwd: options.cwd})
    const files: VFile[] = [manifestFile]
    const result = (parts: Partial<BuildResult> = {}): BuildResult => ({
      files,
      outputs: [],
      written: false,
      outDir: undefined,
      prepared: [],
      manifest: undefined,
      inputs: [],
      ...parts
    })

    const project = await loadProject(options, manifestFile)
    if (!project) return result()
    const {manifest} = project
    const conversion = await this.conversionFor(manifest, project.text, options)
    // The covers need only the manifest. When the main thread converts alone, they draw on resvg's
    // and zlib's threads meanwhile, on the cores it leaves free; with workers busy on every core,
    // they wait until the reviews are done (drawing them beside would only add their memory).
    let early: Promise<void> | undefined
    conversion.alone = options.pack
      ? () => void (early ??= drawCovers(expectedCoverTexts(manifest, project.selection), this.caches.covers, conversion.disk))
      : undefined
    try {
      const converted = await convertReviews(project, options, files, conversion, this.caches.reviews)
      if (failed(files, options.strict)) {
        // No book is made, but the images' problems belong in the same report as the rest.
        for (const source of [...converted.loaded.reviews.values(), ...converted.pages.values()]) {
          for (const image of source.images) await project.bytesOf(image.path, source.file, image.place)
        }
        return result({outDir: manifest.outputDir, manifest})
      }
      const assembled = await assembleStage(project, options, converted)
      const inputs = [...assembled.times.keys()]
      const rendered = await renderBooks(project, options, converted, assembled, this.caches, conversion.disk, files)
      if (failed(files, options.strict)) return result({outDir: manifest.outputDir, manifest, inputs})
      if (options.mode !== 'build') return result({outputs: rendered.outputs, outDir: manifest.outputDir, prepared: rendered.prepared, manifest, inputs})
      const written = await writeBooks(project, options, rendered, this.caches, conversion.disk)
      return result({outputs: rendered.outputs, written, outDir: manifest.outputDir, manifest, inputs})
    } finally {
      conversion.alone = undefined
      // A cover drawn early for a book this run did not make (a failed build, a volume of drafts)
      // is finished before the run returns: nothing of a build writes to the cache after it.
      await early
    }
  }

  /** The conversion settings for this manifest text; converted reviews survive only while it is unchanged. */
  private async conversionFor(manifest: Manifest, text: string, options: ResolvedOptions): Promise<Conversion> {
    if (this.conversion?.text !== text) {
      this.caches.reviews.clear()
      const config: PipelineConfig = {
        root: manifest.root,
        cwd: options.cwd,
        language: manifest.language,
        quotes: manifest.quotes,
        fields: manifest.fields,
        ratingScale: manifest.ratingScale,
        drafts: options.drafts,
        sites: manifest.sites
      }
      let converter: Promise<Converter> | undefined
      const setting =
        options.cache ?? (process.env.BUILD_VOLUMES_CACHE === 'off' ? false : process.env.BUILD_VOLUMES_CACHE || path.join(manifest.root, cacheFolderName))
      const dir = setting === false ? undefined : path.resolve(options.cwd, setting)
      const opened = dir === undefined ? undefined : await openReviewCache(dir, config, options.mode === 'build')
      // A folder inside the project is named as the author would write it.
      const unusable =
        dir && opened?.unusable ? {dir: isInside(options.cwd, dir) ? path.relative(options.cwd, dir) || '.' : dir, why: opened.unusable} : undefined
      this.conversion = {text, value: {config, local: () => (converter ??= Converter.create(config)), disk: opened?.cache, converted: 0}, unusable}
    }
    this.conversion.value.converted = 0
    if (this.conversion.unusable) {
      report(manifest.file, {
        reason: `The cache folder \`${this.conversion.unusable.dir}\` cannot be used: ${this.conversion.unusable.why}; this build goes on without it`,
        ruleId: 'cache-unusable',
        severity: 'warning',
        note: 'The cache only saves time. Point `BUILD_VOLUMES_CACHE` at a folder this user can write, or set it to `off`; unset, the cache is `.build-volumes-cache` beside volumes.yaml, which must then be a folder.'
      })
    }
    return this.conversion.value
  }
}
