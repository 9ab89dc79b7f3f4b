// Progress on a terminal: one line per book that spins with its elapsed time while the book
// is made, then settles into a tick with its size. Only for TTYs; off a TTY the CLI prints
// plain, stable lines instead. Writes to the stream it is given.
import {count, displayPath, formatBytes, formatMs} from './report.js'
import type {BuildOutput, ProgressEvent} from '../model.js'

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

export interface Paint {
  green: (text: string) => string
  cyan: (text: string) => string
  dim: (text: string) => string
}

export interface Progress {
  (event: ProgressEvent): void
  /** Stop the spinner (on an error or the end). */
  stop(): void
}

export function createProgress(stream: NodeJS.WritableStream, cwd: string, paint: Paint): Progress {
  let timer: NodeJS.Timeout | undefined
  let current: {label: string; started: number} | undefined
  let frame = 0
  const draw = () => {
    if (!current) return
    frame = (frame + 1) % frames.length
    stream.write(`\r\x1b[2K${paint.cyan(frames[frame]!)} ${current.label}  ${paint.dim(formatMs(performance.now() - current.started))}`)
  }
  const stop = () => {
    if (timer) clearInterval(timer)
    timer = undefined
    if (current) stream.write('\r\x1b[2K')
    current = undefined
  }
  const progress = ((event: ProgressEvent) => {
    if (event.type === 'reviews') {
      const cached = event.count - event.converted
      stream.write(
        `${paint.green('✔')} ${count(event.count, 'review')} read${cached > 0 ? ` (${event.converted} converted, ${cached} unchanged)` : ''}  ${paint.dim(formatMs(event.ms))}\n`
      )
    } else if (event.type === 'book-start') {
      current = {label: displayPath(cwd, event.path), started: performance.now()}
      draw()
      timer ??= setInterval(draw, 80)
      timer.unref()
    } else {
      stop()
      stream.write(`${paint.green('✔')} ${doneLine(event.output, cwd)}  ${paint.dim(event.output.rebuilt ? formatMs(event.output.ms) : 'unchanged')}\n`)
    }
  }) as Progress
  progress.stop = stop
  return progress
}

function doneLine(output: BuildOutput, cwd: string): string {
  return `${displayPath(cwd, output.path)}  ${count(output.reviews, 'review')}${output.bytes === null ? '' : `  ${formatBytes(output.bytes)}`}`
}
