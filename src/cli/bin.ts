// The executable's module: runs the command line in `process.argv` and sets the exit code.
// Kept apart from main.ts so that main.ts can be imported without running anything.
import {run} from './main.js'

process.exitCode = await run(process.argv)
