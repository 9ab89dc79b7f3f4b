// Rebuilding on change, one run at a time: changes that arrive while a run is under way are
// gathered into one more run after it, never a second run at once and never a lost change.
// Shared by `--watch` and the preview. Pure (no I/O of its own).

/** `work` run serially: a call during a run asks for one more run after it; the promise settles when no run is asked for. */
export function serially(work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined
  let again = false
  return async () => {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        await work()
      } while (again)
    })()
    try {
      await running
    } finally {
      running = undefined
    }
  }
}
