// The sessions this process runs, so Ctrl+C can abandon their writes in progress (staging
// folder and lock) before the process ends. The CLI layer's own state: the library never
// keeps a list of sessions.
import type {BuildSession} from '../build/session.js'

const live = new Set<BuildSession>()

export function track(session: BuildSession): BuildSession {
  live.add(session)
  return session
}

/** Every tracked session's write in progress removed; the books already in place stay. */
export function abandonAll(): void {
  for (const session of live) session.abandon()
}
