// Blog shortcodes are read, never run: the arguments of a Hugo shortcode or Liquid tag
// (positional and `key="value"`, in double, single or back quotes, or bare), and the link a
// YouTube or Vimeo one stands for, keeping its start time. Pure.

export interface ShortcodeArgs {
  positional: string[]
  /** By key; a Map, so a key such as `constructor` is just a key. */
  named: Map<string, string>
  /** Something no shortcode syntax allows was left over (an unclosed quote). */
  malformed: boolean
}

const key = /([\w-]+)\s*=\s*/y
// A value: "double" (with \" escapes), 'single', `raw`, or bare up to the next space.
const value = /"((?:[^"\\]|\\.)*)"|'([^']*)'|`([^`]*)`|([^\s"'`]\S*)/y
const space = /\s*/y

export function parseShortcodeArgs(text: string): ShortcodeArgs {
  const args: ShortcodeArgs = {positional: [], named: new Map(), malformed: false}
  let at = 0
  for (;;) {
    space.lastIndex = at
    space.exec(text)
    at = space.lastIndex
    if (at >= text.length) return args
    key.lastIndex = at
    const named = key.exec(text)
    if (named) at = key.lastIndex
    value.lastIndex = at
    const match = value.exec(text)
    // An unclosed quote, or `key=` with nothing after it: no shortcode syntax allows it.
    if (!match) {
      args.malformed = true
      return args
    }
    const read = match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? match[3] ?? match[4] ?? '')
    if (named) args.named.set(named[1]!.toLowerCase(), read)
    else args.positional.push(read)
    at = value.lastIndex
  }
}

/** Seconds from `75`, `75s`, `1m15s`, `1h2m3s` or `1:15`; undefined for anything else. */
export function parseStartTime(value: string): number | undefined {
  const text = value.trim().toLowerCase()
  if (/^\d+s?$/.test(text)) return Number.parseInt(text, 10)
  const units = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text)
  if (units && text !== '') return Number(units[1] ?? 0) * 3600 + Number(units[2] ?? 0) * 60 + Number(units[3] ?? 0)
  const clock = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(text)
  if (clock) return Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3])
  return undefined
}

export interface VideoLink {
  url: string
  label: string
}

const services = new Map<string, {label: string; url: (id: string, start: number | undefined) => string}>([
  ['youtube', {label: 'Watch on YouTube', url: (id, start) => `https://www.youtube.com/watch?v=${encodeURIComponent(id)}${start ? `&t=${start}s` : ''}`}],
  ['vimeo', {label: 'Watch on Vimeo', url: (id, start) => `https://vimeo.com/${encodeURIComponent(id)}${start ? `#t=${start}s` : ''}`}]
])

/**
 * The video a `youtube` or `vimeo` shortcode shows, or undefined. Its id is the first
 * positional argument or `id`; a start time comes from `start` (or `t`), or from a query
 * the archive left on the id (`ID?start=75`, `ID&t=75s`, `ID#t=75`), which is no part of the id.
 */
export function videoLink(name: string, args: ShortcodeArgs): VideoLink | undefined {
  const service = services.get(name.toLowerCase())
  const written = args.named.get('id') ?? args.positional[0]
  if (!service || !written || args.malformed) return undefined
  const [id = '', rest = ''] = splitOnce(written, /[?&#]/)
  const query = new URLSearchParams(rest)
  const startText = args.named.get('start') ?? args.named.get('t') ?? query.get('start') ?? query.get('t') ?? undefined
  const start = startText === undefined ? undefined : parseStartTime(startText)
  return id ? {url: service.url(id, start), label: service.label} : undefined
}

function splitOnce(text: string, separator: RegExp): [string, string] {
  const match = separator.exec(text)
  return match ? [text.slice(0, match.index), text.slice(match.index + 1)] : [text, '']
}
