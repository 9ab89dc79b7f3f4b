// The executable's module: runs the command line in `process.argv` and sets the exit code.
// Kept apart from main.ts so that main.ts can be imported without running anything.
import {run} from './main.js'

// A reader that stops early (`build-volumes --json | head -1`) closes the pipe. What was left to
// print has no one to read it, which is no failure of the run: it is dropped, and the exit
// code is the run's, not a stack trace for an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
  })
}

process.exitCode = await run(process.argv)
