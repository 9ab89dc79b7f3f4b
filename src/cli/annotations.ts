// GitHub Actions workflow commands for a run's problems: `::error file=…,line=…::message`
// (`::warning`, `::notice` for infos), which the runner turns into annotations on the
// commit and the pull request's diff. Takes the files and their messages; gives text. Pure.
import path from 'node:path'
import type {VFile} from 'vfile'
import {isInside} from '../shared/paths.js'

/** A command's message: GitHub reads `%`, CR and LF as its own escapes and line ends. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** A property's value: as data, and `:` and `,` too, which end a property or the list of them. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

export interface AnnotationOptions {
  /** The folder the command ran in: the files' paths are relative to it. */
  cwd: string
  /** GITHUB_WORKSPACE, the checkout: GitHub finds a file by its path from there. */
  workspace?: string | undefined
}

/** One workflow command per message of `files`, in order; the note follows the message after a blank line. */
export function formatAnnotations(files: readonly VFile[], options: AnnotationOptions): string {
  return files
    .flatMap((file) =>
      file.messages.map((message) => {
        const command = message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'notice'
        const end = message.place && 'end' in message.place ? message.place.end : undefined
        // The runner drops an annotation whose columns span lines (actions/runner#4167): columns
        // are given only for a place on one line.
        const oneLine = !end || end.line === message.line
        const properties: Array<[string, string | number | undefined]> = [
          ['file', workspacePath(file.path, options)],
          ['line', message.line ?? undefined],
          ['col', oneLine ? (message.column ?? undefined) : undefined],
          ['endLine', end?.line],
          ['endColumn', oneLine ? end?.column : undefined],
          ['title', message.ruleId ?? undefined]
        ]
        const list = properties
          .filter((property): property is [string, string | number] => property[1] !== undefined)
          .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
          .join(',')
        const text = message.note ? `${message.reason}\n\n${message.note}` : message.reason
        return `::${command} ${list}::${escapeData(text)}`
      })
    )
    .join('\n')
}

/** The file's path from the checkout when it is inside it (a build run in a subfolder still links); as reported otherwise. */
function workspacePath(file: string, options: AnnotationOptions): string {
  if (!options.workspace) return file
  const absolute = path.resolve(options.cwd, file)
  const workspace = path.resolve(options.workspace)
  return isInside(workspace, absolute) && absolute !== workspace ? path.relative(workspace, absolute).split(path.sep).join('/') : file
}
