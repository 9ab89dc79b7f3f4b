// Debian's Chromium for the real-browser tests (preview, Ace): one headless browser for the
// whole run, started by test/run.ts and named by its DevTools address in CHROMIUM_ENDPOINT;
// playwright-core (preview) and puppeteer (Ace) each connect to it over the DevTools protocol.
// A test file run alone starts one of its own.
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import type {TestContext} from 'node:test'
import {toolAvailable} from './tools.js'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export function chromiumAvailable(t: TestContext): boolean {
  return toolAvailable(t, {name: 'Chromium', files: [chromiumPath], install: 'apt-get install -y chromium'})
}

/** Starts headless Chromium; resolves with its DevTools WebSocket address. `stop` ends it. */
export function startChromium(): {endpoint: Promise<string>; stop(): Promise<void>} {
  const profile = mkdtempSync(path.join(tmpdir(), 'chromium-'))
  const child = spawn(
    chromiumPath,
    ['--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-port=0', `--user-data-dir=${profile}`, '--no-first-run', 'about:blank'],
    {stdio: ['ignore', 'ignore', 'pipe']}
  )
  const endpoint = new Promise<string>((resolve, reject) => {
    let said = ''
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (chunk: string) => {
      said += chunk
      const address = /DevTools listening on (ws:\/\/\S+)/.exec(said)
      if (address) resolve(address[1]!)
    })
    child.on('error', reject)
    child.on('exit', (code) => reject(new Error(`Chromium ended (${code}) before it listened:\n${said}`)))
  })
  // Once it listens, whoever started it may end while it waits: it holds no process open.
  void endpoint.then(
    () => {
      for (const handle of [child, child.stderr] as unknown as Array<{unref(): void}>) handle.unref()
    },
    () => {}
  )
  // Its profile goes once it has ended (it writes there until then).
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    child.ref()
    child.kill()
    await ended
    // Chromium's helper processes (the crash handler among them) may still write in the profile
    // for a moment after the browser itself has ended: a temporary folder left behind is no
    // reason to fail the run, so it is removed as far as it can be within a few tries.
    for (let attempt = 0; attempt < 10 && removeProfile(); attempt++) await new Promise((resolve) => setTimeout(resolve, 200))
  }
  process.once('exit', () => {
    child.kill()
    // A process ending cannot wait for Chromium to end; its profile is removed at once, as far as it goes.
    removeProfile()
  })
  /** Removes the profile; true when something was left (it is still being written). */
  const removeProfile = (): boolean => {
    try {
      rmSync(profile, {recursive: true, force: true, maxRetries: 2})
      return false
    } catch {
      return true
    }
  }
  return {endpoint, stop}
}

let shared: Promise<string> | undefined

/** The run's browser (CHROMIUM_ENDPOINT), or this process's own, started on first use. */
export function chromiumEndpoint(): Promise<string> {
  shared ??= process.env.CHROMIUM_ENDPOINT ? Promise.resolve(process.env.CHROMIUM_ENDPOINT) : startChromium().endpoint
  return shared
}
