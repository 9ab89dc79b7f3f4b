// At most `max` of some work under way at once, the rest waiting in order (covers drawn, pages
// deflated): each bounds memory and cores for the whole process, shared by every session. Pure.

export function limit(max: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0
  const waiting: Array<() => void> = []
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve))
    running++
    try {
      return await work()
    } finally {
      running--
      waiting.shift()?.()
    }
  }
}
