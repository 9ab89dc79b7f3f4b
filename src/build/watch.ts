// Watching a project's inputs: the manifest, the reviews folder (recursively) and any cover
// or image that lives elsewhere. Changes arrive debounced, as one batch of absolute paths,
// so an editor's save-by-rename or a `git checkout` triggers one rebuild. Every folder is
// watched on its own: Node 20's recursive fs.watch on Linux stops reporting after a new file
// appears. I/O (fs.watch, readdir).
import {readdirSync, watch, type FSWatcher} from 'node:fs'
import path from 'node:path'
import {isInside} from '../shared/paths.js'
import type {Manifest} from '../model.js'

export interface WatchTargets {
  /** Folders watched with everything below them. */
  trees: string[]
  /** Single files, watched through their folder (editors replace files on save). */
  files: string[]
}

/** What a build reads (`inputs` from its result): change any of these and the books may change. */
export function watchTargets(manifestPath: string, manifest: Manifest | undefined, inputs: readonly string[] = []): WatchTargets {
  const files = [manifestPath, ...inputs]
  if (!manifest) return {trees: [], files}
  for (const spec of [...manifest.volumes, ...(manifest.collection ? [manifest.collection] : [])]) if (spec.cover) files.push(spec.cover)
  const inTree = (file: string) => isInside(manifest.reviewsDir, file)
  return {trees: [manifest.reviewsDir], files: [...new Set(files.filter((file) => !inTree(file)))]}
}

export interface Watcher {
  /** Watch these targets from now on (watchers no longer needed are closed). */
  update(targets: WatchTargets): void
  close(): void
}

/** Calls `onChange` with the changed paths once changes have been quiet for `quietMs`. */
export function watchInputs(targets: WatchTargets, onChange: (changed: string[]) => void, quietMs = 120): Watcher {
  const watchers = new Map<string, FSWatcher>()
  let files = new Set<string>()
  let pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  const changed = (file: string) => {
    pending.add(file)
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      const batch = [...pending].sort()
      pending = new Set()
      onChange(batch)
    }, quietMs)
  }
  let trees: string[] = []
  const open = (folder: string, inTree: boolean) => {
    if (watchers.has(folder)) return
    try {
      const watcher = watch(folder, (_event, name) => {
        const file = name ? path.join(folder, name.toString()) : folder
        if (!inTree && !files.has(file)) return
        changed(file)
        // A folder created inside a tree is watched from now on.
        if (inTree) for (const tree of trees) for (const sub of folders(tree)) open(sub, true)
      })
      // A folder that disappears (deleted, renamed) is watched again on the next update.
      watcher.on('error', () => {
        watcher.close()
        watchers.delete(folder)
      })
      watchers.set(folder, watcher)
    } catch {
      // A folder that does not exist yet cannot be watched; the build reports what is missing.
    }
  }
  const update = (next: WatchTargets) => {
    files = new Set(next.files)
    trees = next.trees
    const wanted = new Map<string, boolean>()
    for (const tree of next.trees) for (const folder of folders(tree)) wanted.set(folder, true)
    for (const file of next.files) {
      const folder = path.dirname(file)
      if (!wanted.has(folder)) wanted.set(folder, false)
    }
    for (const [folder, watcher] of watchers) {
      if (!wanted.has(folder)) {
        watcher.close()
        watchers.delete(folder)
      }
    }
    for (const [folder, inTree] of wanted) open(folder, inTree)
  }
  update(targets)
  return {
    update,
    close() {
      if (timer) clearTimeout(timer)
      for (const watcher of watchers.values()) watcher.close()
      watchers.clear()
    }
  }
}

/** A folder and every folder below it (symbolic links are not followed). */
function folders(root: string): string[] {
  const found = [root]
  for (let index = 0; index < found.length && found.length < 10_000; index++) {
    let entries
    try {
      entries = readdirSync(found[index]!, {withFileTypes: true})
    } catch {
      continue
    }
    for (const entry of entries) if (entry.isDirectory()) found.push(path.join(found[index]!, entry.name))
  }
  return found
}
