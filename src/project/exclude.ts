// `exclude:` in volumes.yaml: globs, relative to the reviews folder, naming reviews left out of
// every book without editing them or the volume lists. As in .gitignore, a pattern without a
// slash matches a file's name in any folder (`*-draft.md`), one with a slash the path from the
// reviews folder (`2015/**`). Pure.
import path from 'node:path'
import picomatch from 'picomatch'

/** Whether a review (its path relative to the reviews folder, `/`-separated) is excluded. */
export function excludeMatcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => false
  const byName = patterns.filter((pattern) => !pattern.includes('/'))
  const byPath = patterns.filter((pattern) => pattern.includes('/')).map((pattern) => pattern.replace(/^\.?\//, ''))
  const nameMatch = byName.length ? picomatch(byName, {dot: true}) : () => false
  const pathMatch = byPath.length ? picomatch(byPath, {dot: true}) : () => false
  return (name) => {
    const relative = path.posix.normalize(name.split(path.sep).join('/')).replace(/^\.\//, '')
    return pathMatch(relative) || nameMatch(path.posix.basename(relative))
  }
}
