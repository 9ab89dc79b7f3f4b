// SHA256SUMS beside the books, in the format `sha256sum -c` checks: `<hex>  <name>`, one line
// per book, sorted by name. Pure.
import path from 'node:path'
import type {BuildOutput} from '../model.js'

export const checksumsFile = 'SHA256SUMS'

export function checksums(outputs: readonly BuildOutput[]): string {
  return outputs
    .filter((output) => output.sha256)
    .map((output) => `${output.sha256}  ${path.basename(output.path)}\n`)
    .sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : a.slice(66) > b.slice(66) ? 1 : 0))
    .join('')
}
