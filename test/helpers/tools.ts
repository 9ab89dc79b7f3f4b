// External tools the tests need (EPUBCheck, Chromium, calibre): present, the test runs;
// missing locally, it is skipped with a loud note; with CI=true it fails, since CI installs them.
import {existsSync} from 'node:fs'
import type {TestContext} from 'node:test'

export function toolAvailable(t: TestContext, tool: {name: string; files: string[]; install: string}): boolean {
  if (tool.files.every((file) => existsSync(file))) return true
  const where = tool.files.join(', ')
  if (process.env.CI === 'true') throw new Error(`${tool.name} is required in CI but ${where} is missing (${tool.install})`)
  process.stderr.write(`\n*** SKIPPED: ${tool.name} is not installed (${where}); run ${tool.install} ***\n`)
  t.skip(`${tool.name} not installed`)
  return false
}
