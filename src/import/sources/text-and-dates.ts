// Small readings the source readers share: an element's visible text, text compared the way
// a title is compared (curly quotes, dashes and spacing set aside), a timestamp's calendar
// day in UTC, the JSON a platform hides in `data-attrs`, the value most entries agree on. Pure.
import type {Element, Root, RootContent} from 'hast'
import type {CalendarDate} from '../../model.js'
import {parseCalendarDate} from '../../shared/dates.js'

/** The text a reader sees, `<br>` as a space, whitespace collapsed. Iterative: no stack to run out of. */
export function plainText(node: Root | RootContent): string {
  let text = ''
  const stack: Array<Root | RootContent> = [node]
  while (stack.length > 0) {
    const current = stack.pop()!
    if (current.type === 'text') text += current.value
    else if (current.type === 'element' && current.tagName === 'br') text += ' '
    else if ('children' in current && !(current.type === 'element' && ['script', 'style', 'template'].includes(current.tagName)))
      for (let index = current.children.length - 1; index >= 0; index--) stack.push(current.children[index]!)
  }
  return text.replace(/\s+/g, ' ').trim()
}

/** Text as compared, not as shown: a title typed with straight quotes still matches its curly copy. */
export function comparableText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[‘’‚‛′]/g, "'")
    .replace(/[“”„‟″]/g, '"')
    .replace(/[‐‑‒–—―]/g, '-')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
}

const zoned = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([+-])(\d{2}):?(\d{2})$/

/**
 * The day a timestamp falls on in UTC. Exports write UTC (`…Z`), which `parseCalendarDate` reads
 * as written; an offset other than zero is moved to UTC first, so the day is the same wherever
 * the export was made. Undefined when it cannot be read.
 */
export function utcDay(stamp: string): CalendarDate | undefined {
  const text = stamp.trim()
  const match = zoned.exec(text)
  if (!match || Number(match[8]) + Number(match[9]) === 0) return parseCalendarDate(text)
  const written = parseCalendarDate(text.slice(0, 10))
  if (!written) return undefined
  const sign = match[7] === '-' ? -1 : 1
  const minutes = Number(match[4]) * 60 + Number(match[5]) - sign * (Number(match[8]) * 60 + Number(match[9]))
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as written.
  const instant = new Date(0)
  instant.setUTCFullYear(written.year, written.month - 1, written.day)
  instant.setUTCMinutes(minutes)
  return {year: instant.getUTCFullYear(), month: instant.getUTCMonth() + 1, day: instant.getUTCDate()}
}

/** The JSON object in an element's `data-attrs` (Substack's component settings); empty when absent or unreadable. */
export function dataAttrs(element: Element): Record<string, unknown> {
  const value = element.properties.dataAttrs
  if (typeof value !== 'string') return {}
  try {
    const parsed: unknown = JSON.parse(value)
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** A string setting from `data-attrs`, trimmed; undefined when missing or empty. */
export function attrString(attrs: Record<string, unknown>, key: string): string | undefined {
  const value = attrs[key]
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

/** An address the web can open (http, https), as written (an image's address is kept byte for byte), or undefined. */
export function webAddress(address: string | undefined): string | undefined {
  if (!address) return undefined
  try {
    const url = new URL(address.trim())
    return url.protocol === 'https:' || url.protocol === 'http:' ? address.trim() : undefined
  } catch {
    return undefined
  }
}

/** The value most entries give (the first of those tied), or undefined. */
export function mostCommon(values: ReadonlyArray<string | undefined>): string | undefined {
  const counts = new Map<string, number>()
  for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1)
  let best: string | undefined
  for (const [value, count] of counts) if (best === undefined || count > counts.get(best)!) best = value
  return best
}
