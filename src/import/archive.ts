// An export as a set of entries, from an unpacked folder or a zip, read defensively: only
// regular files (no symbolic links, nothing outside the folder), no entry whose name leaves
// the archive (`../`, an absolute path), and caps that stop a zip bomb before it is unpacked
// (the sizes a zip declares, the ratio, and the bytes actually inflated, for a zip that lies).
// Every problem is a message naming the entry. Reads the folder or the zip; writes nothing.
import {lstat, open, readdir} from 'node:fs/promises'
import path from 'node:path'
import JSZip from 'jszip'
import {VFile} from 'vfile'
import {decodeText} from '../project/review-files.js'
import {report} from '../shared/diagnostics.js'
import {describeProblem, readRegularFile} from '../shared/read-file.js'
import type {Archive} from './types.js'

/** Far past any export's post or CSV file, and past what the converters should ever be given. */
export const archiveLimits = {
  /** One entry, inflated: a post, an image. */
  entryBytes: 20_000_000,
  /** One data file (a WordPress WXR, a CSV), which holds every post of a large blog. */
  dataBytes: 300_000_000,
  /** Every entry together, inflated. */
  totalBytes: 1_000_000_000,
  /** The zip file itself. */
  zipBytes: 1_000_000_000,
  /** Inflated size to compressed size: text compresses some 10:1, a bomb 1000:1. */
  ratio: 200,
  entries: 200_000
}

interface InflateStream {
  on(event: 'data', listener: (chunk: Uint8Array) => void): InflateStream
  on(event: 'error', listener: (error: Error) => void): InflateStream
  on(event: 'end', listener: () => void): InflateStream
  pause(): InflateStream
  resume(): InflateStream
}

interface Entry {
  size: number
  load: () => Promise<Uint8Array | undefined>
}

/** Opens the export at `location` (a zip or a folder); `file` (named as the author wrote it) receives the problems. Undefined when it cannot be opened. */
/** The cap for one entry: data files (`.xml`, `.csv`) hold a whole blog; anything else is one post or image. */
export function entryLimit(name: string): number {
  return /\.(xml|csv)$/i.test(name) ? archiveLimits.dataBytes : archiveLimits.entryBytes
}

export async function openArchive(location: string, file: VFile): Promise<Archive | undefined> {
  const shown = file.path
  const info = await lstat(location).catch((error: NodeJS.ErrnoException) => error)
  if (info instanceof Error) {
    report(file, {
      reason: `The export \`${shown}\` could not be opened: ${info.code === 'ENOENT' ? 'it does not exist' : info.message}`,
      ruleId: 'import-unreadable',
      severity: 'error'
    })
    return undefined
  }
  const single = !info.isDirectory() && !(await isZip(location))
  const entries = info.isDirectory() ? await folderEntries(location, file) : single ? singleEntry(location, file) : await zipEntries(location, shown, file)
  if (!entries) return undefined
  const opened: VFile[] = []
  const archive: Archive = {
    name: shown,
    paths: [...entries.keys()].sort(),
    file,
    opened,
    async bytes(entryPath) {
      const entry = entries.get(entryPath)
      if (!entry) return undefined
      return entry.load()
    },
    async text(entryPath) {
      const bytes = await archive.bytes(entryPath)
      if (!bytes) return undefined
      // A single file given as the export (a WXR) is named as given; an entry of a zip or folder as `<export>:<entry>`.
      const entryFile = new VFile({path: single ? shown : `${shown}:${entryPath}`})
      opened.push(entryFile)
      const {text, ok, controls} = decodeText(bytes, entryFile, {controls: 'space'})
      if (!ok) return undefined
      if (controls) {
        report(entryFile, {
          reason: `The file holds ${controls.count === 1 ? 'a control character' : `${controls.count.toLocaleString('en-GB')} control characters`} (the first ${controls.first}) that no book can carry; ${controls.count === 1 ? 'it is' : 'they are'} read as spaces`,
          ruleId: 'import-text',
          severity: 'warning',
          place: {line: controls.line, column: controls.column},
          note: 'Text pasted from a word processor often brings them; nothing else is changed.'
        })
      }
      entryFile.value = text
      return entryFile
    }
  }
  return archive
}

/** A zip by its first bytes (a local file header, or the end record of an empty zip), whatever its name. */
async function isZip(location: string): Promise<boolean> {
  const handle = await open(location, 'r').catch(() => undefined)
  if (!handle) return true
  try {
    const head = Buffer.alloc(4)
    await handle.read(head, 0, 4, 0)
    return head.readUInt32LE(0) === 0x04034b50 || head.readUInt32LE(0) === 0x06054b50 || /\.zip$/i.test(location)
  } finally {
    await handle.close()
  }
}

/** One file given as the export (WordPress's WXR): an archive of that one entry. */
function singleEntry(location: string, file: VFile): Map<string, Entry> {
  const name = path.basename(location)
  return new Map([[name, {size: 0, load: () => loadFile(location, name, file)}]])
}

async function loadFile(full: string, entryPath: string, file: VFile): Promise<Uint8Array | undefined> {
  const limit = entryLimit(entryPath)
  const read = await readRegularFile(full, limit)
  if ('bytes' in read) return read.bytes
  report(file, {
    reason: `\`${entryPath}\` is not read: ${describeProblem(read, limit)}`,
    ruleId: 'import-unreadable',
    severity: 'error',
    note:
      limit === archiveLimits.entryBytes
        ? 'No post of a real export is this large; leave this one out, or split it.'
        : 'Split the export (WordPress: Tools → Export, one category or date range at a time).'
  })
  return undefined
}

async function folderEntries(root: string, file: VFile): Promise<Map<string, Entry> | undefined> {
  const entries = new Map<string, Entry>()
  let names: string[]
  try {
    names = (await readdir(root, {recursive: true})) as string[]
  } catch (error) {
    report(file, {reason: `The export folder could not be read: ${(error as Error).message}`, ruleId: 'import-unreadable', severity: 'error'})
    return undefined
  }
  for (const name of names.sort()) {
    if (entries.size >= archiveLimits.entries) break
    const full = path.join(root, name)
    const info = await lstat(full).catch(() => undefined)
    // Only regular files: a symbolic link could lead anywhere on the machine.
    if (!info?.isFile()) continue
    const entryPath = name.split(path.sep).join('/')
    entries.set(entryPath, {size: info.size, load: () => loadFile(full, entryPath, file)})
  }
  return entries
}

async function zipEntries(location: string, shown: string, file: VFile): Promise<Map<string, Entry> | undefined> {
  const read = await readRegularFile(location, archiveLimits.zipBytes)
  if (!('bytes' in read)) {
    report(file, {
      reason: `The export \`${shown}\` could not be read: ${describeProblem(read, archiveLimits.zipBytes)}`,
      ruleId: 'import-unreadable',
      severity: 'error'
    })
    return undefined
  }
  let zip: JSZip
  try {
    zip = await JSZip.loadAsync(read.bytes, {createFolders: false})
  } catch (error) {
    report(file, {
      reason: `The export \`${shown}\` is not a readable zip: ${String((error as Error).message ?? error).replace(/\.$/, '')}`,
      ruleId: 'import-unreadable',
      severity: 'error',
      note: 'The download may have been cut short: download the export again, or unpack it and import the folder.'
    })
    return undefined
  }
  const entries = new Map<string, Entry>()
  let total = 0
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue
    // JSZip tidies a name (drops `../`); the name as written is what says where it would go.
    const name = (entry as unknown as {unsafeOriginalName?: string}).unsafeOriginalName ?? entry.name
    // JSZip keeps each entry's sizes and attributes in private fields; read them defensively.
    const data = (entry as unknown as {_data?: {compressedSize?: number; uncompressedSize?: number}})._data
    const declared = data?.uncompressedSize ?? 0
    const compressed = data?.compressedSize ?? 0
    const mode = ((entry as unknown as {unixPermissions?: number | null}).unixPermissions ?? 0) & 0o170000
    const refuse = (why: string) =>
      report(file, {
        reason: `\`${name}\` in the export is not read: ${why}`,
        ruleId: 'import-unsafe-entry',
        severity: 'error',
        note: 'A real export holds none; this archive may have been made to attack the computer that unpacks it.'
      })
    if (/(^|[\\/])\.\.([\\/]|$)/.test(name) || path.posix.isAbsolute(name) || /^[A-Za-z]:[\\/]/.test(name) || name.startsWith('\\')) {
      refuse('its name leads outside the archive')
      continue
    }
    if (mode === 0o120000) {
      refuse('it is a symbolic link')
      continue
    }
    if (entries.size >= archiveLimits.entries) {
      refuse(`the archive holds more than ${archiveLimits.entries.toLocaleString('en-GB')} entries`)
      continue
    }
    if (declared > entryLimit(name) || (compressed > 0 && declared / compressed > archiveLimits.ratio && declared > 1_000_000)) {
      refuse(`it would unpack to ${(declared / 1e6).toFixed(1)} MB from ${(compressed / 1e6).toFixed(2)} MB (a zip bomb, or a file far larger than any post)`)
      continue
    }
    total += declared
    if (total > archiveLimits.totalBytes) {
      refuse(`the archive would unpack to more than ${archiveLimits.totalBytes / 1e9} GB`)
      continue
    }
    entries.set(entry.name.replace(/\\/g, '/'), {size: declared, load: () => inflate(entry, name, file)})
  }
  return entries
}

/** An entry's bytes, inflated with a running count: a zip that declares small sizes and inflates large stops at the cap. */
function inflate(entry: JSZip.JSZipObject, name: string, file: VFile): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = []
    let size = 0
    let done = false
    // The streaming reader JSZip uses itself (public since 3.x, missing from its types).
    const stream = (entry as unknown as {internalStream(type: 'uint8array'): InflateStream}).internalStream('uint8array')
    stream
      .on('data', (chunk: Uint8Array) => {
        if (done) return
        size += chunk.length
        if (size > entryLimit(name)) {
          done = true
          stream.pause()
          report(file, {
            reason: `\`${name}\` in the export is not read: it unpacks to more than ${entryLimit(name) / 1e6} MB, though the zip says it is smaller (a zip bomb)`,
            ruleId: 'import-unsafe-entry',
            severity: 'error',
            note: 'A real export holds none; this archive may have been made to attack the computer that unpacks it.'
          })
          resolve(undefined)
          return
        }
        chunks.push(chunk)
      })
      .on('error', (error: Error) => {
        if (done) return
        done = true
        report(file, {
          reason: `\`${name}\` in the export could not be unpacked: ${error.message}`,
          ruleId: 'import-unreadable',
          severity: 'error',
          note: 'The download may have been cut short: download the export again.'
        })
        resolve(undefined)
      })
      .on('end', () => {
        if (done) return
        done = true
        resolve(Buffer.concat(chunks))
      })
      .resume()
  })
}
