// A warm command line for the tests (forked by helpers/cli.ts): the bundled CLI loaded once,
// then run for each command line the parent sends, one at a time, in the folder and with the
// environment of a fresh process; its stdout, stderr and exit code go back to the parent.
// Loading the CLI's modules cost more than most of the commands the tests run. Nothing but the
// modules outlives a command: each build is a session of its own, with no memory of the last.
import path from 'node:path'
import {pathToFileURL} from 'node:url'

interface Request {
  id: number
  args: string[]
  cwd: string
  env: Record<string, string>
}

const root = path.resolve(import.meta.dirname, '..', '..')
const bin = path.join(root, 'bin', 'build-volumes.js')
const {run} = (await import(pathToFileURL(path.join(root, 'lib', 'bundle', 'main.js')).href)) as {run(argv: string[]): Promise<number>}

type Write = typeof process.stdout.write

function capture(stream: NodeJS.WriteStream, into: string[]): () => void {
  const original = stream.write
  stream.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), done?: (error?: Error | null) => void) => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    const callback = typeof encoding === 'function' ? encoding : done
    if (callback) process.nextTick(callback)
    return true
  }) as Write
  return () => {
    stream.write = original
  }
}

process.on('message', (request: Request) => {
  void (async () => {
    for (const key of Object.keys(process.env)) delete process.env[key]
    Object.assign(process.env, request.env)
    process.chdir(request.cwd)
    const signals = {SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM')}
    const stdout: string[] = []
    const stderr: string[] = []
    const restore = [capture(process.stdout, stdout), capture(process.stderr, stderr)]
    let code: number
    try {
      code = await run([process.execPath, bin, ...request.args])
    } finally {
      // What a command leaves running (a build's worker threads ending) has one more turn to write.
      await new Promise((resolve) => setImmediate(resolve))
      for (const undo of restore) undo()
      // Each command listens for Ctrl+C as a process would; a process would then have ended.
      for (const signal of ['SIGINT', 'SIGTERM'] as const)
        for (const listener of process.listeners(signal)) if (!signals[signal].includes(listener)) process.off(signal, listener)
      process.chdir(root)
    }
    process.send!({id: request.id, code, stdout: stdout.join(''), stderr: stderr.join('')})
  })()
})
process.send!({ready: true})
