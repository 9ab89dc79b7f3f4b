// Publication dates as calendar days, never instants: ISO dates (a time and offset are
// ignored, so no time zone can move the day) and common English long forms. Pure.

export interface CalendarDate {
  year: number
  month: number
  day: number
}

const months = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']

function monthNumber(name: string): number | undefined {
  const lower = name.toLowerCase().replace(/\.$/, '')
  if (lower.length < 3) return undefined
  const index = months.findIndex((month) => month === lower || (month.startsWith(lower) && (lower.length === 3 || lower === 'sept')))
  return index === -1 ? undefined : index + 1
}

function valid(year: number, month: number, day: number): CalendarDate | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return day <= days ? {year, month, day} : undefined
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

const longFormats = new Map<string, Intl.DateTimeFormat>()

/** "14 March 2021" (en-GB and most languages) or "March 14, 2021" (en-US). */
export function formatLongDate(date: CalendarDate, language: string): string {
  // Building a formatter costs far more than using one; a series has one language.
  let format = longFormats.get(language)
  if (!format) {
    format = new Intl.DateTimeFormat(language, {timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric'})
    longFormats.set(language, format)
  }
  return format.format(new Date(Date.UTC(date.year, date.month - 1, date.day)))
}
