// Small file-system facts the output and the cache share: making a folder and its parents
// without Node's recursive mkdir (which loops forever in /proc), and whether the process that
// left a file (a lock, a staging folder, a temporary entry) is still running. I/O.
import {mkdir, stat} from 'node:fs/promises'
import path from 'node:path'

/**
 * `mkdir -p`, but it gives up. Node's own recursive mkdir (async and sync) loops forever where
 * a folder exists but takes no new ones, as in /proc: mkdir of the child fails with ENOENT, so
 * it makes the parent (EEXIST, fine) and tries the child again, without end. Here each level is
 * tried again once, after its parent is made.
 */
export async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST' && (await stat(dir)).isDirectory()) return
    const parent = path.dirname(dir)
    if (code !== 'ENOENT' || parent === dir) throw error
    await makeFolder(parent)
    await mkdir(dir).catch(async (again: NodeJS.ErrnoException) => {
      // Another build may have made it meanwhile.
      if (again.code !== 'EEXIST' || !(await stat(dir)).isDirectory()) throw again
    })
  }
}

/** Whether another process with this id is running (EPERM: it is, under another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
