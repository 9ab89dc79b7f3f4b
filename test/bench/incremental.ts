// The watch path, measured: one BuildSession (what `--watch` and `preview` keep) builds the
// series, then one review is edited and the session rebuilds; the time of that rebuild is
// what the author waits for. Prints JSON: {firstMs, rebuilds: [ms…], rebuilt: [books]}.
// Usage: node --import tsx test/bench/incremental.ts <series dir> <review file> [times]
// The edit is undone at the end, so the series stays as generated.
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
// The compiled tool (`npm run build`), as `build-volumes --watch` runs it; typed from the sources,
// so that type-checking the tests needs no compiled copy.
const compiled = new URL('../../lib/index.js', import.meta.url).href
const {BuildSession} = (await import(compiled)) as typeof import('../../src/index.js')

const [dir, review, times = '5'] = process.argv.slice(2)
if (!dir || !review) throw new Error('usage: incremental.ts <series dir> <review file> [times]')
const file = path.join(dir, 'reviews', review)
const original = await readFile(file, 'utf8')
const session = new BuildSession({cwd: dir, out: path.join(dir, 'out-incremental'), sourceDateEpoch: '1700000000', cache: false})
let started = performance.now()
const first = await session.run()
const firstMs = performance.now() - started
if (!first.written) throw new Error('the first build failed')
const rebuilds: number[] = []
let rebuilt: string[] = []
try {
  for (let n = 1; n <= Number(times); n++) {
    await writeFile(file, `${original}\nAn added sentence, edit number ${n}, as an author revises.\n`)
    started = performance.now()
    const result = await session.run()
    rebuilds.push(performance.now() - started)
    if (!result.written) throw new Error('a rebuild failed')
    rebuilt = result.outputs.filter((output) => output.rebuilt).map((output) => path.basename(output.path))
  }
} finally {
  await writeFile(file, original)
}
process.stdout.write(`${JSON.stringify({firstMs, rebuilds, rebuilt})}\n`)
