// "Is this path inside that folder", the one answer every check uses: by name (`a/../..`
// leaves, `..md` does not), and by where symbolic links really lead (a link in the reviews
// folder must not pull in a file from elsewhere, an output folder that is a link into the
// reviews folder is still inside it). Reads only the links' targets (realpath).
import {realpathSync} from 'node:fs'
import path from 'node:path'

/** Whether `child` names `parent` or something below it, by the names alone. */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child)
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
}

/**
 * The path with every symbolic link followed, for a path that may not exist yet: its nearest
 * existing ancestor is resolved and the rest appended. A loop resolves to itself.
 */
export function realPath(file: string): string {
  let existing = path.resolve(file)
  const rest: string[] = []
  for (;;) {
    try {
      // The native call is one system call, not a walk over every folder of the path.
      return path.join(realpathSync.native(existing), ...rest)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR') return path.join(existing, ...rest)
      const parent = path.dirname(existing)
      if (parent === existing) return path.join(existing, ...rest)
      rest.unshift(path.basename(existing))
      existing = parent
    }
  }
}

/** Whether `child`, with every symbolic link followed, is still inside `parent` (also resolved). */
export function resolvesInside(parent: string, child: string): boolean {
  return resolvesInsideOf(parent)(child)
}

/** `resolvesInside` for many paths in one folder: the folder's links are followed once. */
export function resolvesInsideOf(parent: string): (child: string) => boolean {
  const resolved = realPath(parent)
  return (child) => isInside(resolved, realPath(child))
}
