// The covers a manifest names, against the stores' cover rules (preflight.ts), each read once:
// it must exist, be a JPEG or PNG, and have the size, ratio and colours KDP asks for. Problems
// go on the manifest at the cover's place. I/O: reads the cover files.
import {existsSync} from 'node:fs'
import path from 'node:path'
import type {Manifest, Selection} from '../model.js'
import {imageReadLimit} from '../project/assets/images.js'
import {report} from '../shared/diagnostics.js'
import {isInside, resolvesInside} from '../shared/paths.js'
import {readRegularFile} from '../shared/read-file.js'
import {checkCover} from './preflight.js'

export async function checkCovers(manifest: Manifest, selection: Selection): Promise<void> {
  const specs = [...manifest.volumes.filter((volume) => selection.volumes.has(volume.number)), ...(manifest.collection ? [manifest.collection] : [])]
  const checked = new Set<string>()
  for (const spec of specs) {
    // A cover outside the project is reported by the manifest rules and never looked at.
    if (!spec.cover || !isInside(manifest.root, spec.cover)) continue
    const name = path.relative(manifest.root, spec.cover)
    if (!existsSync(spec.cover)) {
      report(manifest.file, {reason: `Cover \`${name}\` does not exist`, ruleId: 'missing-image', severity: 'error', place: spec.coverPlace})
    } else if (!/\.(png|jpe?g)$/i.test(spec.cover)) {
      report(manifest.file, {reason: `Cover \`${name}\` must be a JPEG or PNG image`, ruleId: 'image-format', severity: 'error', place: spec.coverPlace})
    } else if (!checked.has(spec.cover) && resolvesInside(manifest.root, spec.cover)) {
      // The store rules, once per cover file (volumes may share one).
      checked.add(spec.cover)
      const read = await readRegularFile(spec.cover, imageReadLimit)
      if ('bytes' in read) checkCover(read.bytes, name, manifest.file, spec.coverPlace)
    }
  }
}
