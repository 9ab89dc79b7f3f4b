// Publication dates as calendar days, never instants: ISO dates (a time and offset are
// ignored, so no time zone can move the day) and common English long forms, on the
// proleptic Gregorian calendar for every year from 0000 to 9999. Pure.
import type {CalendarDate} from '../model.js'

const months = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']

function monthNumber(name: string): number | undefined {
  const lower = name.toLowerCase().replace(/\.$/, '')
  if (lower.length < 3) return undefined
  const index = months.findIndex((month) => month === lower || (month.startsWith(lower) && (lower.length === 3 || lower === 'sept')))
  return index === -1 ? undefined : index + 1
}

/**
 * Days in a month, by the Gregorian rule (1900 is not a leap year, 2000 and 0000 are).
 * Not through `Date.UTC`, which reads years 0–99 as 1900–1999.
 */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

function valid(year: number, month: number, day: number): CalendarDate | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined
  return day <= daysInMonth(year, month) ? {year, month, day} : undefined
}

/** Read a date as written; undefined when it cannot be read or does not exist. */
export function parseCalendarDate(text: string): CalendarDate | undefined {
  const value = text.trim()
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?)?$/.exec(value)
  if (iso) return valid(Number(iso[1]), Number(iso[2]), Number(iso[3]))
  const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]+\.?),?\s+(\d{4})$/i.exec(value)
  if (dayFirst) {
    const month = monthNumber(dayFirst[2]!)
    return month ? valid(Number(dayFirst[3]), month, Number(dayFirst[1])) : undefined
  }
  const monthFirst = /^([A-Za-z]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/i.exec(value)
  if (monthFirst) {
    const month = monthNumber(monthFirst[1]!)
    return month ? valid(Number(monthFirst[3]), month, Number(monthFirst[2])) : undefined
  }
  return undefined
}

export function formatIsoDate(date: CalendarDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`
}

const longFormats = new Map<string, {date: Intl.DateTimeFormat; year: Intl.NumberFormat; gregorian: boolean}>()

/**
 * "14 March 2021" (en-GB and most languages) or "March 14, 2021" (en-US). A year before 1000
 * keeps its four digits, as it was written: Intl would write year 99 as "99" and year 0
 * (1 BC) as "1".
 */
export function formatLongDate(date: CalendarDate, language: string): string {
  // Building a formatter costs far more than using one; a series has one language.
  let format = longFormats.get(language)
  if (!format) {
    const dates = new Intl.DateTimeFormat(language, {timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric'})
    const calendar = dates.resolvedOptions().calendar
    format = {
      date: dates,
      year: new Intl.NumberFormat(language, {minimumIntegerDigits: 4, useGrouping: false}),
      gregorian: calendar === 'gregory' || calendar === 'iso8601'
    }
    longFormats.set(language, format)
  }
  // setUTCFullYear, unlike Date.UTC, takes years 0–99 as written.
  const instant = new Date(0)
  instant.setUTCFullYear(date.year, date.month - 1, date.day)
  if (date.year >= 1000 || !format.gregorian) return format.date.format(instant)
  const year = format.year.format(date.year)
  return format.date
    .formatToParts(instant)
    .filter((part) => part.type !== 'era')
    .map((part) => (part.type === 'year' ? year : part.value))
    .join('')
}
