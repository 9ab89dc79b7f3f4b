// All-or-nothing writing: every book goes to a staging folder inside the output folder,
// and only when all are written are they renamed into place, so a failed or killed build
// leaves the previous books as they were. A lock file keeps a second build from writing
// into the same folder at the same time. Stale staging folders and locks from a killed run
// are removed first. I/O.
import {rmSync} from 'node:fs'
import {lstat, readFile, readdir, rename, rm, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {describeOsError} from '../shared/diagnostics.js'
import {BuildError} from '../shared/errors.js'
import {makeFolder, processAlive} from '../shared/folders.js'

export interface OutputFile {
  name: string
  bytes: Uint8Array
}

const stagingPrefix = '.build-volumes-staging-'
/** Held while a build writes into a folder, so two builds never interleave their books. */
export const lockName = '.build-volumes.lock'
/** A write in progress: its staging folder and lock, owned by the session that writes. */
export interface WriteState {
  staging?: string | undefined
  lock?: string | undefined
}

/** Remove the staging folder and lock of a write in progress (for signal handlers); books in place are untouched. */
export function abandonWrite(state: WriteState): void {
  if (state.staging) rmSync(state.staging, {recursive: true, force: true})
  if (state.lock) rmSync(state.lock, {force: true})
}

/** How messages name what is written: books by default; the importer writes reviews. */
export interface WriteWords {
  /** "the books" */
  what: string
  /** "the books already there" */
  existing: string
  /** "edition": what replaced a file is */
  edition: string
  /** "the book": what goes in one place */
  one: string
  /** "build again" */
  retry: string
}

const bookWords: WriteWords = {what: 'the books', existing: 'the books already there', edition: 'edition', one: 'the book', retry: 'build again'}

/**
 * Writes `files` (names relative to `outDir`, `/`-separated; subfolders are made) all or
 * nothing: into a staging folder first, then renamed into place.
 */
export async function writeOutputs(outDir: string, files: readonly OutputFile[], state: WriteState = {}, words: WriteWords = bookWords): Promise<void> {
  const staging = path.join(outDir, `${stagingPrefix}${process.pid}`)
  let locked = false
  for (const file of files) {
    if (path.isAbsolute(file.name) || file.name.split(/[\\/]/).some((part) => part === '..' || part === '' || part === '.'))
      throw new Error(`writeOutputs: ${JSON.stringify(file.name)} is not a plain relative name`)
  }
  try {
    const existing = await stat(outDir).catch(() => undefined)
    if (existing && !existing.isDirectory())
      throw new BuildError(`The output folder ${outDir} is a file; move it away or choose another folder with --out (nothing was written)`, 3)
    await makeFolder(outDir)
    await lock(outDir, state)
    locked = true
    await removeStaleStaging(outDir)
    await makeFolder(staging)
    state.staging = staging
    for (const file of files) {
      if (file.name.includes('/')) await makeFolder(path.dirname(path.join(staging, file.name)))
      await writeFile(path.join(staging, file.name), file.bytes)
    }
    // Every place a book goes must take a file, or no book is moved: a folder where a book
    // should go would stop the renames half-way.
    for (const file of files) {
      const target = await lstat(path.join(outDir, file.name)).catch(() => undefined)
      if (target && target.isDirectory())
        throw new BuildError(
          `Could not write ${words.what} to ${outDir}: \`${file.name}\` there is a folder, where ${words.one} should go; move it away and ${words.retry}. Nothing was written; ${words.existing} are unchanged`,
          3
        )
    }
    for (const file of files) {
      try {
        if (file.name.includes('/')) await makeFolder(path.dirname(path.join(outDir, file.name)))
        await rename(path.join(staging, file.name), path.join(outDir, file.name))
      } catch (error) {
        const done = files.slice(0, files.indexOf(file)).map((written) => written.name)
        const replaced =
          done.length === 0
            ? `${words.existing} are unchanged`
            : `${done.join(', ')} ${done.length === 1 ? 'was' : 'were'} already replaced by the new ${done.length === 1 ? words.edition : `${words.edition}s`}; the others are unchanged`
        throw new BuildError(`Could not put ${file.name} in place in ${outDir}: ${describeOsError(error)}; ${replaced}`, 3, {cause: error})
      }
    }
  } catch (error) {
    if (error instanceof BuildError) throw error
    throw new BuildError(`Could not write ${words.what} to ${outDir}: ${describeOsError(error)}; ${words.existing} are unchanged`, 3, {cause: error})
  } finally {
    state.staging = undefined
    await rm(staging, {recursive: true, force: true}).catch(() => {})
    if (locked) {
      state.lock = undefined
      await rm(path.join(outDir, lockName), {force: true}).catch(() => {})
    }
  }
}

/** Take the folder's lock; a lock left by a build that was killed is taken over. */
async function lock(outDir: string, state: WriteState): Promise<void> {
  const file = path.join(outDir, lockName)
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, {flag: 'wx'})
      state.lock = file
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim())
      if (holder !== process.pid && processAlive(holder)) {
        throw new BuildError(
          `Another build (process ${holder}) is writing books to ${outDir}; wait for it to finish or stop it, then build again. The books there are unchanged.`,
          3
        )
      }
      await rm(file, {force: true})
    }
  }
  throw new BuildError(`Could not take the lock ${file}; remove it if no build is running`, 3)
}

async function removeStaleStaging(outDir: string): Promise<void> {
  const entries = await readdir(outDir).catch(() => [] as string[])
  const stale = entries.filter(
    (entry) =>
      entry.startsWith(stagingPrefix) && !(Number(entry.slice(stagingPrefix.length)) !== process.pid && processAlive(Number(entry.slice(stagingPrefix.length))))
  )
  await Promise.all(stale.map((entry) => rm(path.join(outDir, entry), {recursive: true, force: true})))
}
