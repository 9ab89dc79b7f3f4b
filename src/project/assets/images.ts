// Reading the images a book shows: each file once per build, only as a regular file of a
// bounded size inside the project, its bytes checked against its name, an SVG made safe
// (svg-clean.ts); problems go on every file that shows the image, at its place. I/O.
import path from 'node:path'
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {report, type Problem} from '../../shared/diagnostics.js'
import {checkImageBytes} from '../../shared/image-bytes.js'
import {resolvesInside} from '../../shared/paths.js'
import {describeProblem, readRegularFile} from '../../shared/read-file.js'
import {cleanSvg} from './svg-clean.js'

/** Reads each image once, checking its bytes (an SVG is made safe); problems go on the file that shows it. */
export type ImageReader = (file: string, owner: VFile, place: Position | undefined) => Promise<Uint8Array | undefined>

/** Far past any image a store takes (KDP: 5 MB inside a book, 50 MB for a cover). */
export const imageReadLimit = 100_000_000
type Finding = Omit<Problem, 'place'>

export function imageReader(root: string): ImageReader {
  const cache = new Map<string, Promise<{bytes?: Uint8Array | undefined; problems: Finding[]}>>()
  // Each problem is reported once at every place that shows the image, however many books hold it.
  const reported = new Set<string>()
  return async (file, owner, place) => {
    let pending = cache.get(file)
    if (!pending) {
      const error = (reason: string, ruleId: string) => ({problems: [{reason, ruleId, severity: 'error' as const}]})
      pending = resolvesInside(root, file)
        ? readRegularFile(file, imageReadLimit).then((read) => {
            if (!('bytes' in read))
              return error(`Image \`${path.relative(root, file)}\` could not be read: ${describeProblem(read, imageReadLimit)}`, 'missing-image')
            const reason = checkImageBytes(file, read.bytes)
            if (reason) return error(reason, 'image-format')
            if (path.extname(file).toLowerCase() !== '.svg') return {bytes: read.bytes, problems: []}
            const svg = cleanSvg(read.bytes, path.basename(file))
            return 'refused' in svg ? {problems: [svg.refused]} : svg
          })
        : Promise.resolve(error(`Image \`${path.relative(root, file)}\` is a symbolic link to a file outside the project; it is not read`, 'unsafe-path'))
      cache.set(file, pending)
    }
    const {bytes, problems} = await pending
    const key = `${owner.path}\0${place?.start.line}:${place?.start.column}\0${file}`
    if (problems.length > 0 && !reported.has(key)) {
      reported.add(key)
      for (const problem of problems) report(owner, {...problem, place})
    }
    return bytes
  }
}
