// Debian's Chromium for the real-browser tests (preview, Ace). Missing locally: the test is
// skipped with a loud note; with CI=true it fails, since CI installs it.
import {existsSync} from 'node:fs'
import type {TestContext} from 'node:test'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export function chromiumAvailable(t: TestContext): boolean {
  if (existsSync(chromiumPath)) return true
  if (process.env.CI === 'true') throw new Error(`Chromium is required in CI but ${chromiumPath} is missing (apt-get install -y chromium)`)
  process.stderr.write(`\n*** SKIPPED: Chromium is not installed (${chromiumPath}); run apt-get install -y chromium ***\n`)
  t.skip('Chromium not installed')
  return false
}
