// The paperback step of a build (`--print`): a book's interior and cover PDFs rendered, what
// the renderer found reported on the file at fault (the book's manifest entry by default),
// and the PDFs kept for the all-or-nothing write beside the EPUBs. No I/O of its own.
import {createHash} from 'node:crypto'
import path from 'node:path'
import type {Position} from 'unist'
import type {Manifest, PreparedBook, PrintOutput} from '../model.js'
import {paperbackNames, renderPaperback} from '../render/print/index.js'
import {report} from '../shared/diagnostics.js'

export async function printBook(
  ready: PreparedBook,
  manifest: Manifest,
  declared: Position | undefined,
  files: Map<string, Uint8Array>
): Promise<PrintOutput | undefined> {
  const started = performance.now()
  const made = await renderPaperback(ready, manifest.print)
  for (const problem of made.problems) {
    report(problem.file ?? manifest.file, {
      reason: problem.reason,
      ruleId: problem.ruleId,
      severity: problem.severity,
      place: problem.file ? problem.place : (problem.place ?? declared),
      note: problem.note
    })
  }
  for (const file of made.files) files.set(file.name, file.bytes)
  const names = paperbackNames(ready.book.fileName)
  const interior = made.files.find((file) => file.name === names.interior)
  const cover = made.files.find((file) => file.name === names.cover)
  if (!interior || !cover || !made.cover) return undefined
  const entry = (file: {name: string; bytes: Uint8Array}) => ({
    path: path.join(manifest.outputDir, file.name),
    bytes: file.bytes.byteLength,
    sha256: createHash('sha256').update(file.bytes).digest('hex')
  })
  return {
    interior: entry(interior),
    cover: entry(cover),
    pages: made.pages,
    gutter: made.gutter,
    coverWidth: made.cover.width,
    coverHeight: made.cover.height,
    spine: made.cover.spine,
    ms: performance.now() - started
  }
}
