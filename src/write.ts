// All-or-nothing writing: every book goes to a staging folder inside the output folder,
// and only when all are written are they renamed into place, so a failed or killed build
// leaves the previous books as they were. Stale staging folders from a killed run are
// removed first. I/O.
import {rmSync} from 'node:fs'
import {mkdir, readdir, rename, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {describeOsError} from './diagnostics.js'

export class BuildError extends Error {
  readonly exitCode: number
  constructor(message: string, exitCode = 3, options?: {cause?: unknown}) {
    super(message, options)
    this.name = 'BuildError'
    this.exitCode = exitCode
  }
}

export interface OutputFile {
  name: string
  bytes: Uint8Array
}

const stagingPrefix = '.build-volumes-staging-'
let activeStaging: string | undefined

/** Remove the staging folder of a write in progress (for signal handlers); books in place are untouched. */
export function abandonStaging(): void {
  if (activeStaging) rmSync(activeStaging, {recursive: true, force: true})
}

export async function writeOutputs(outDir: string, files: readonly OutputFile[]): Promise<void> {
  const staging = path.join(outDir, `${stagingPrefix}${process.pid}`)
  try {
    await mkdir(outDir, {recursive: true})
    await removeStaleStaging(outDir)
    await mkdir(staging, {recursive: true})
    activeStaging = staging
    for (const file of files) await writeFile(path.join(staging, file.name), file.bytes)
    for (const file of files) await rename(path.join(staging, file.name), path.join(outDir, file.name))
  } catch (error) {
    throw new BuildError(`Could not write the books to ${outDir}: ${describeOsError(error)}; the books already there are unchanged`, 3, {cause: error})
  } finally {
    activeStaging = undefined
    await rm(staging, {recursive: true, force: true}).catch(() => {})
  }
}

async function removeStaleStaging(outDir: string): Promise<void> {
  const entries = await readdir(outDir).catch(() => [] as string[])
  const stale = entries.filter((entry) => entry.startsWith(stagingPrefix) && !isRunning(Number(entry.slice(stagingPrefix.length))))
  await Promise.all(stale.map((entry) => rm(path.join(outDir, entry), {recursive: true, force: true})))
}

/** Another build writing into the same folder keeps its staging folder. */
function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
