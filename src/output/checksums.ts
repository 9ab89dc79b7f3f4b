// SHA256SUMS beside the books, in the format `sha256sum -c` checks: `<hex>  <name>`, one line
// per book, per kit file and per paperback PDF, sorted by name. Pure.
import path from 'node:path'
import type {BuildOutput} from '../model.js'

export const checksumsFile = 'SHA256SUMS'

/** Every book and every kit file beside it. */
export function checksums(outputs: readonly BuildOutput[]): string {
  return outputs
    .flatMap((output) => [
      ...(output.sha256 ? [{sha256: output.sha256, path: output.path}] : []),
      ...output.kit,
      ...(output.print ? [output.print.interior, output.print.cover] : [])
    ])
    .map((file) => `${file.sha256}  ${path.basename(file.path)}\n`)
    .sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : a.slice(66) > b.slice(66) ? 1 : 0))
    .join('')
}
