// CSV as exports write it (RFC 4180): comma-separated, quoted cells holding commas, newlines and
// doubled quotes. Each row knows the line it starts on; a quote left open, or closed with text
// after it (an undoubled quote inside), is an error at the place it opened, and the rows read up
// to there are kept. Pure.
import type {VFile} from 'vfile'
import {report} from '../shared/diagnostics.js'

export interface CsvRow {
  /** The line the row starts on (1-based). */
  line: number
  /** Cells by the header's names (a header name repeated keeps its first cell). */
  cells: Map<string, string>
}

export interface Csv {
  header: string[]
  rows: CsvRow[]
}

export function parseCsv(file: VFile): Csv {
  const text = String(file.value)
  const records: Array<{line: number; cells: string[]}> = []
  let cells: string[] = []
  let cell = ''
  let line = 1
  let start = 1
  let at = 0
  const endCell = () => {
    cells.push(cell)
    cell = ''
  }
  const endRow = () => {
    endCell()
    // A blank line is no row.
    if (!(cells.length === 1 && cells[0] === '')) records.push({line: start, cells})
    cells = []
  }
  while (at < text.length) {
    const char = text[at]!
    if (char === '"' && cell === '') {
      const openLine = line
      const openColumn = at - text.lastIndexOf('\n', at - 1)
      at++
      for (;;) {
        if (at >= text.length) {
          report(file, {
            reason: `A quoted cell opened on line ${openLine} is never closed, so the rest of the file cannot be read as rows`,
            ruleId: 'import-unreadable',
            severity: 'error',
            place: {line: openLine, column: openColumn},
            note: 'A quote inside a cell must be doubled (`""`); close the cell with a quote before the comma that ends it.'
          })
          return toCsv(records)
        }
        if (text[at] === '"') {
          if (text[at + 1] === '"') {
            cell += '"'
            at += 2
            continue
          }
          at++
          // Text after a closing quote means a quote inside the cell was not doubled: the quote that
          // closed it opened another cell's text, and every cell from here on is misread.
          if (at < text.length && text[at] !== ',' && text[at] !== '\n' && text[at] !== '\r') {
            report(file, {
              reason: `A quoted cell opened on line ${openLine} is closed on line ${line} by a quote that text follows, so a quote inside it was not doubled and the rest of the file cannot be read as rows`,
              ruleId: 'import-unreadable',
              severity: 'error',
              place: {line: openLine, column: openColumn},
              note: 'A quote inside a cell must be doubled (`""`); close the cell with a quote before the comma that ends it.'
            })
            return toCsv(records)
          }
          break
        }
        if (text[at] === '\n') line++
        cell += text[at]
        at++
      }
      continue
    }
    if (char === ',') endCell()
    else if (char === '\n') {
      endRow()
      line++
      start = line
    } else cell += char
    at++
  }
  if (cell !== '' || cells.length > 0) endRow()
  return toCsv(records)
}

function toCsv(records: Array<{line: number; cells: string[]}>): Csv {
  const [head, ...rest] = records
  const header = (head?.cells ?? []).map((name) => name.trim())
  return {
    header,
    rows: rest.map(({line, cells}) => {
      const byName = new Map<string, string>()
      header.forEach((name, index) => {
        if (!byName.has(name)) byName.set(name, cells[index] ?? '')
      })
      return {line, cells: byName}
    })
  }
}
