// Debian's Chromium for the real-browser tests (preview, Ace).
import type {TestContext} from 'node:test'
import {toolAvailable} from './tools.js'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export function chromiumAvailable(t: TestContext): boolean {
  return toolAvailable(t, {name: 'Chromium', files: [chromiumPath], install: 'apt-get install -y chromium'})
}
