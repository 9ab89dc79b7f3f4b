// The paperback's part of `npm run bench`: for a generated series, the volumes built from the
// cache without and with `--print` (the collection left out: at 1,400 reviews it is far over
// KDP's 828 pages), so the difference is the time to lay out and write the PDFs; the pages
// and sizes come from the `--json` report. Run alone: node --import tsx test/bench/paperback.ts <series folder>
import {spawnSync} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const bin = path.join(root, 'bin', 'build-volumes.js')

export interface PaperbackTimes {
  /** Wall seconds for the volumes without and with `--print` (both from a warm cache). */
  without: number
  with: number
  volumes: number
  pages: number[]
  interiorBytes: number[]
  coverBytes: number[]
}

function wall(args: string[], cwd: string): {seconds: number; stdout: string} {
  const started = performance.now()
  const run = spawnSync(process.execPath, [bin, ...args], {cwd, encoding: 'utf8', maxBuffer: 1 << 26})
  if (run.status !== 0)
    throw new Error(
      `build-volumes ${args.join(' ')} failed (exit ${run.status}, signal ${run.signal ?? 'none'}, ${run.error?.message ?? 'no spawn error'}):\n${run.stderr}`
    )
  return {seconds: (performance.now() - started) / 1000, stdout: run.stdout}
}

export function measurePaperbacks(cwd: string): PaperbackTimes {
  // Warm the cache, then time each once more.
  wall(['-q', '-o', 'out-print', '--no-collection'], cwd)
  const without = wall(['-q', '-o', 'out-print', '--no-collection'], cwd).seconds
  const made = wall(['-q', '-o', 'out-print', '--no-collection', '--print', '--json'], cwd)
  const report = JSON.parse(made.stdout) as {outputs: Array<{print?: {pages: number; interior: {bytes: number}; cover: {bytes: number}}}>}
  const prints = report.outputs.flatMap((output) => (output.print ? [output.print] : []))
  return {
    without,
    with: made.seconds,
    volumes: prints.length,
    pages: prints.map((print) => print.pages),
    interiorBytes: prints.map((print) => print.interior.bytes),
    coverBytes: prints.map((print) => print.cover.bytes)
  }
}

export function paperbackLine(reviews: number, times: PaperbackTimes): string {
  const perVolume = (times.with - times.without) / times.volumes
  const mb = (bytes: number[]) => `${(bytes.reduce((a, b) => a + b, 0) / bytes.length / 1e6).toFixed(2)} MB`
  return `| ${reviews.toLocaleString('en-GB')} | ${times.without.toFixed(2)} s | ${times.with.toFixed(2)} s | ${(perVolume * 1000).toFixed(0)} ms | ${Math.min(...times.pages)}–${Math.max(...times.pages)} | ${mb(times.interiorBytes)} | ${mb(times.coverBytes)} |`
}

export const paperbackHeader = [
  '| reviews | 7 volumes, cached | with `--print` | PDFs per volume | pages a volume | interior PDF | cover PDF |',
  '| --- | --- | --- | --- | --- | --- | --- |'
]

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.resolve(process.argv[2] ?? '.')
  const times = measurePaperbacks(dir)
  process.stdout.write(`${JSON.stringify(times)}\n${paperbackLine(Number(process.argv[3] ?? 0), times)}\n`)
}
