// Compare text with a golden file; UPDATE=1 rewrites it. A missing golden fails in CI
// (CI=true) instead of being written, so a forgotten file cannot pass unseen.
import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'

export async function matchGolden(actual: string, file: string): Promise<void> {
  const update = process.env.UPDATE === '1'
  if (!existsSync(file) || update) {
    if (process.env.CI === 'true') throw new Error(`Golden ${file} is missing or UPDATE=1 was set in CI; run UPDATE=1 npm test locally and commit it`)
    await writeFile(file, actual)
    return
  }
  assert.equal(actual, await readFile(file, 'utf8'), `output differs from ${file} (UPDATE=1 npm test rewrites it after review)`)
}
