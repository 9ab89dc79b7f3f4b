// The sessions this process runs, so Ctrl+C can abandon their writes in progress (staging
// folder and lock) before the process ends. The CLI layer's own state: the library never
// keeps a list of sessions.
/** A build session, or an import's write in progress: anything that can drop its unfinished write. */
export interface Abandonable {
  abandon(): void
}

const live = new Set<Abandonable>()

export function track<T extends Abandonable>(session: T): T {
  live.add(session)
  return session
}

/** Every tracked session's write in progress removed; the books already in place stay. */
export function abandonAll(): void {
  for (const session of live) session.abandon()
}
