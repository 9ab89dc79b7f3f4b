// The author's stylesheet (`stylesheet:` in volumes.yaml): read into a VFile of its own,
// cleaned (css-clean), and the images and fonts its url()s name read to go into the book under
// `images/` and `fonts/`. Problems sit on the stylesheet at their line and column, or on the
// manifest when the file itself cannot be read. I/O: reads the stylesheet and what it names.
import {existsSync} from 'node:fs'
import path from 'node:path'
import type {Position} from 'unist'
import {VFile} from 'vfile'
import {cssUrls, parseCss, printCss, shorten, type UrlDecision} from './css-clean.js'
import {report} from '../../shared/diagnostics.js'
import {describeProblem, readRegularFile} from '../../shared/read-file.js'
import {checkFontBytes, fontMediaType} from '../../shared/fonts.js'
import {imageMediaType} from '../../shared/image-bytes.js'
import {isInside, resolvesInside} from '../../shared/paths.js'
import {decodeUrlPath, imageAssetName} from '../../shared/names.js'
import type {ImageReader} from './images.js'
import {decode} from '../review-files.js'
import type {Manifest} from '../../model.js'

export interface Stylesheet {
  /** The author's stylesheet, cleaned, after a comment naming it ('' when there is none); the book's default one comes first. */
  css: string
  /** What the author's stylesheet brings into the book, by path inside it (`images/…`, `fonts/…`). */
  assets: Map<string, Uint8Array>
  /** The author's stylesheet, carrying its problems; undefined when there is none to read. */
  file: VFile | undefined
  /** The files read: the stylesheet and everything it brings in (for dates and watching). */
  inputs: string[]
}

/** Far above any book's stylesheet (the default one is some 10 kB). */
export const stylesheetLimit = 1_000_000
/** A font family's file is a few hundred kilobytes; CJK fonts reach some 20 MB. */
const fontLimit = 50_000_000

const plain = (): Stylesheet => ({css: '', assets: new Map(), file: undefined, inputs: []})

export async function readStylesheet(manifest: Manifest, cwd: string, bytesOf: ImageReader): Promise<Stylesheet> {
  const spec = manifest.stylesheet
  // A stylesheet outside the project is reported by the manifest rules and never read.
  if (!spec || !isInside(manifest.root, spec.path)) return plain()
  const name = path.relative(manifest.root, spec.path)
  if (!resolvesInside(manifest.root, spec.path)) {
    report(manifest.file, {
      reason: `The stylesheet \`${name}\` is a symbolic link to a file outside the project; it is not read`,
      ruleId: 'unsafe-path',
      severity: 'error',
      place: spec.place,
      note: 'Copy the stylesheet into the project instead of linking to it.'
    })
    return plain()
  }
  const file = new VFile({path: path.relative(cwd, spec.path) || spec.path, cwd})
  // A regular file of a size any stylesheet has: a named pipe or a huge file is never read.
  const read = await readRegularFile(spec.path, stylesheetLimit)
  if (!('bytes' in read)) {
    report(manifest.file, {
      reason: `The stylesheet \`${name}\` could not be read: ${describeProblem(read, stylesheetLimit)}`,
      ruleId: 'missing-stylesheet',
      severity: 'error',
      place: spec.place,
      note: 'Give the path of a CSS file, relative to volumes.yaml, or leave `stylesheet:` out.'
    })
    return plain()
  }
  // As for reviews: UTF-8 only, BOM and CRLF gone, so lines and columns are the editor's.
  file.value = decode(read.bytes, file)
  const parsed = parseCss(String(file.value))
  const assets = new Map<string, Uint8Array>()
  const inputs = [spec.path]
  const decisions = new Map<string, UrlDecision>()
  const context = {root: manifest.root, dir: path.dirname(spec.path), file, bytesOf, assets, inputs}
  for (const {url, place} of cssUrls(parsed)) {
    const decision = await decideUrl(url, place, context)
    if (!decisions.has(url)) decisions.set(url, decision)
  }
  const {css, problems} = printCss(parsed, (url) => decisions.get(url) ?? {drop: undefined})
  for (const problem of problems) report(file, problem)
  // A file name holding `*/` must not end the comment early.
  return {
    css: `/* ${name
      .split(path.sep)
      .join('/')
      .replace(/\*\/|</g, '?')} */\n${css}`,
    assets,
    file,
    inputs: [...new Set(inputs)]
  }
}

interface Context {
  root: string
  /** The stylesheet's folder: url()s are relative to it. */
  dir: string
  file: VFile
  bytesOf: ImageReader
  assets: Map<string, Uint8Array>
  inputs: string[]
}

const dropped = (url: string, why: string, note: string): UrlDecision => ({
  drop: {reason: `\`url(${shorten(url)})\` is left out of the books with its declaration: ${why}`, ruleId: 'stylesheet-resource', severity: 'warning', note}
})
const bringIn = 'Put the file inside the project (beside the stylesheet is simplest) and refer to it by its path relative to the stylesheet.'

/** Where a url() leads, and whether the book can carry it; image problems are reported at `place`. */
async function decideUrl(url: string, place: Position, context: Context): Promise<UrlDecision> {
  if (/^data:/i.test(url)) {
    // Raster data is inert; data could hold an SVG with scripts, or anything else.
    if (/^data:image\/(?:png|jpeg|gif|webp)[;,]/i.test(url)) return {href: url}
    return dropped(
      url,
      'only PNG, JPEG, GIF and WebP images can be written into a stylesheet as data',
      'Save it as a file beside the stylesheet and refer to it by name.'
    )
  }
  if (/^file:/i.test(url)) return dropped(url, 'a `file:` address names a file on this computer, which no reader has', bringIn)
  if (/^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(url))
    return dropped(
      url,
      'a book cannot load anything from the web',
      'Download the file into the project (beside the stylesheet is simplest) and refer to it by its path relative to the stylesheet.'
    )
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return dropped(url, "a book's stylesheet can only use files from the project", bringIn)
  const target = path.resolve(context.dir, decodeUrlPath(url.replace(/[?#].*$/, '')))
  const relative = path.relative(context.root, target)
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    return {
      drop: {
        reason: `\`url(${shorten(url)})\` is outside the project; keep what the stylesheet uses inside the folder holding volumes.yaml`,
        ruleId: 'unsafe-path',
        severity: 'error'
      }
    }
  }
  const shown = relative.split(path.sep).join('/')
  const isImage = imageMediaType(target) !== undefined
  if (!isImage && !fontMediaType(target))
    return dropped(
      url,
      "a book's stylesheet may use PNG, JPEG, GIF, SVG and WebP images and WOFF2, WOFF, OpenType and TrueType fonts",
      'Convert the file to one of those formats, or remove the declaration.'
    )
  if (!existsSync(target)) return dropped(url, `\`${shown}\` does not exist`, 'Correct the path, which is relative to the stylesheet, or add the file.')
  context.inputs.push(target)
  const name = imageAssetName(context.root, target)
  if (isImage) {
    // The same reader as the reviews' images: read once, checked, SVG made safe, problems at `place`.
    const bytes = await context.bytesOf(target, context.file, place)
    if (!bytes) return {drop: undefined}
    context.assets.set(`images/${name}`, bytes)
    return {href: `images/${name}`}
  }
  if (!resolvesInside(context.root, target)) {
    return {
      drop: {reason: `\`url(${shorten(url)})\` is a symbolic link to a file outside the project; it is not read`, ruleId: 'unsafe-path', severity: 'error'}
    }
  }
  const read = await readRegularFile(target, fontLimit)
  const problem = 'bytes' in read ? checkFontBytes(target, read.bytes) : `\`${shown}\` could not be read: ${describeProblem(read, fontLimit)}`
  if (problem !== undefined || !('bytes' in read)) return dropped(url, problem ?? '', 'Export the font again in the format its name says.')
  context.assets.set(`fonts/${name}`, read.bytes)
  return {href: `fonts/${name}`}
}
