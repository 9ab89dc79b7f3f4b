// The time of day for lines that report rebuilds (watch, preview): the one place a session
// reads the clock for people, never for books. I/O (the clock).

/** The time of day, HH:MM:SS, for lines that report rebuilds (watch, preview). */
export function clockTime(): string {
  return new Date().toTimeString().slice(0, 8)
}
