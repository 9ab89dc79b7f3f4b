// Stage 6, the books written: every zipped book (and SHA256SUMS when asked) through one
// all-or-nothing write into the output folder, the disk cache pruned, and what was written
// remembered by the session. I/O.
import {checksums, checksumsFile} from '../output/checksums.js'
import {writeOutputs, type OutputFile} from '../output/write.js'
import type {BlobStore} from '../render/prepare.js'
import type {SessionCaches} from './caches.js'
import type {Project} from './load-project.js'
import type {ResolvedOptions} from './options.js'
import type {Rendered} from './render-books.js'
import path from 'node:path'

export async function writeBooks(
  project: Project,
  options: ResolvedOptions,
  rendered: Rendered,
  caches: SessionCaches,
  disk: (BlobStore & {prune(): Promise<void>}) | undefined
): Promise<boolean> {
  const files: OutputFile[] = [...rendered.epubs, ...rendered.kit, ...rendered.print].map(([name, bytes]) => ({name, bytes}))
  if (options.checksums) files.push({name: checksumsFile, bytes: Buffer.from(checksums(rendered.outputs))})
  if (files.length > 0) await writeOutputs(project.manifest.outputDir, files, caches.write)
  for (const record of rendered.records) await disk?.setBlob(record.name, record.bytes)
  await disk?.prune()
  for (const output of rendered.outputs)
    caches.written.set(path.basename(output.path), {signature: rendered.signatures.get(path.basename(output.path))!, output})
  return files.length > 0
}
