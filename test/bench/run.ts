// `npm run bench`: generate the synthetic series (generate.ts) in test/.bench/, then measure
// the built command line with public tools: hyperfine for wall time (warm-up, several runs,
// mean ± σ) and GNU time for peak memory. Per size: a cold full build (no cache), the same
// build again with nothing changed (the books are taken from the output folder), a new build
// after one review is edited (one conversion, two books made, the rest from the cache), a
// single volume, the incremental rebuild after editing one review (the watch path), and, when pandoc is installed, pandoc building the
// same eight books two at a time, run alternately with ours so the ratio comes from one run.
// Prints a Markdown table and writes it, with every number, to test/.bench/results.json.
//
//   npm run bench                      sizes 70, 350, 500 short and 1,400
//   BENCH_SIZES=10000 npm run bench    the stress size (or any list: 70,500short,10000;
//                                      `short` is reviews of 100–300 words, a Letterboxd diary)
//   BENCH_RUNS=5 npm run bench         hyperfine runs per measurement (default 3)
import {execFileSync, spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {bookLists, generate, type Shape, type Synthetic} from './generate.js'
import {measurePaperbacks, paperbackHeader, paperbackLine, type PaperbackTimes} from './paperback.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const benchDir = path.join(root, 'test', '.bench')
const bin = path.join(root, 'bin', 'build-volumes.js')
const sizes = (process.env.BENCH_SIZES ?? '70,350,500short,1400').split(',').map((token) => {
  const match = /^(\d+)(short)?$/.exec(token.trim())
  if (!match) throw new Error(`BENCH_SIZES: \`${token}\` is not a number of reviews (such as 1400 or 500short)`)
  return {size: Number(match[1]), shape: (match[2] ? 'short' : 'long') as Shape}
})
const runs = Number(process.env.BENCH_RUNS ?? 3)
const node = process.execPath

function has(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0
}

for (const tool of ['hyperfine', '/usr/bin/time']) {
  if (!has(tool)) throw new Error(`${tool} is needed: apt-get install -y hyperfine time`)
}
const pandoc = has('pandoc')

/** hyperfine's mean and standard deviation, in seconds. */
function hyperfine(command: string, options: {prepare?: string; cwd: string; runs?: number; warmup?: number}): {mean: number; stddev: number} {
  const json = path.join(benchDir, 'hyperfine.json')
  const args = ['--style', 'none', '--runs', String(options.runs ?? runs), '--warmup', String(options.warmup ?? 1), '--export-json', json]
  if (options.prepare) args.push('--prepare', options.prepare)
  execFileSync('hyperfine', [...args, command], {cwd: options.cwd, stdio: ['ignore', 'ignore', 'inherit']})
  const result = (JSON.parse(readFileSync(json, 'utf8')) as {results: Array<{mean: number; stddev: number | null}>}).results[0]!
  return {mean: result.mean, stddev: result.stddev ?? 0}
}

/** One run under GNU time: wall seconds and the peak resident memory of the largest process, in MiB (GNU time gives KiB). */
function timed(command: string, cwd: string, env: NodeJS.ProcessEnv = {}): {seconds: number; peakMiB: number} {
  const out = spawnSync('/usr/bin/time', ['-f', '%e %M', 'sh', '-c', command], {cwd, env: {...process.env, ...env}, encoding: 'utf8'})
  if (out.status !== 0) throw new Error(`${command} failed:\n${out.stderr}`)
  const [seconds, kb] = out.stderr.trim().split('\n').at(-1)!.split(' ').map(Number)
  return {seconds: seconds!, peakMiB: kb! / 1024}
}

/** A script that builds the series' eight books with pandoc, two at a time. */
async function pandocScript(series: Synthetic): Promise<string> {
  const lines = (await bookLists(series.dir)).map(
    (book) =>
      `pandoc --from markdown --to epub3 -o out-pandoc/${book.name}.epub --metadata title=${JSON.stringify(book.title)} --metadata author="Ada Critic" --metadata lang=en-GB ${book.files.join(' ')}`
  )
  const commands = path.join(series.dir, 'pandoc-books.txt')
  await writeFile(commands, `${lines.join('\n')}\n`)
  return `rm -rf out-pandoc && mkdir out-pandoc && tr '\\n' '\\0' < pandoc-books.txt | xargs -0 -P 2 -I{} sh -c '{}'`
}

interface Row {
  reviews: number
  shape: Shape
  words: number
  cold: {mean: number; stddev: number; peakMiB: number}
  cached: {mean: number; stddev: number}
  /** A new process after one review changed: its volume and the collection made again, the rest converted from the cache. */
  edited: {mean: number; stddev: number}
  oneVolume: {mean: number; stddev: number}
  incrementalMs: {median: number; all: number[]}
  pandoc?: {seconds: number[]; ours: number[]; ratio: number; peakMiB: number}
}

const environment = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.availableParallelism(),
  memoryGb: Math.round(os.totalmem() / 1024 ** 3),
  node: process.version,
  os: `${os.type()} ${os.release()}`,
  pandoc: pandoc ? execFileSync('pandoc', ['--version'], {encoding: 'utf8'}).split('\n')[0] : undefined,
  date: new Date().toISOString().slice(0, 10)
}

await mkdir(benchDir, {recursive: true})
execFileSync('npm', ['run', '--silent', 'build'], {cwd: root, stdio: 'inherit'})
const rows: Row[] = []
const paperbacks: Array<{reviews: number; times: PaperbackTimes}> = []
const build = `${node} ${bin} -q -o out`
const cold = `BUILD_VOLUMES_CACHE=off ${build}`
for (const {size, shape} of sizes) {
  process.stderr.write(`\n${size} ${shape} reviews: generating…\n`)
  const series = await generate(path.join(benchDir, `series-${size}${shape === 'short' ? '-short' : ''}`), size, shape)
  const cwd = series.dir
  const many = size >= 5000 ? 1 : runs
  process.stderr.write(`${size} reviews: cold builds\n`)
  const coldTime = hyperfine(cold, {cwd, runs: many, warmup: size >= 5000 ? 0 : 1})
  const coldPeak = timed(cold, cwd).peakMiB
  process.stderr.write(`${size} reviews: cached builds\n`)
  await rm(path.join(cwd, '.build-volumes-cache'), {recursive: true, force: true})
  timed(build, cwd)
  const cachedTime = hyperfine(build, {cwd, runs: many, warmup: 0})
  // Before each run a sentence is added to one review, so every run has one review to convert
  // and two books to make; the review is put back after.
  const edited = path.join(cwd, 'reviews', series.sample)
  const original = await readFile(edited, 'utf8')
  const editedTime = hyperfine(build, {cwd, runs: many, warmup: 0, prepare: `echo "Edited at $(date +%s%N)." >> ${JSON.stringify(edited)}`})
  await writeFile(edited, original)
  process.stderr.write(`${size} reviews: one volume\n`)
  const oneVolume = hyperfine(`BUILD_VOLUMES_CACHE=off ${node} ${bin} -q -o out-one --volume 3`, {cwd, runs: many, warmup: 0})
  process.stderr.write(`${size} reviews: incremental rebuilds\n`)
  const incremental = JSON.parse(
    execFileSync(node, ['--import', 'tsx', path.join(root, 'test', 'bench', 'incremental.ts'), cwd, series.sample, '7'], {cwd: root, encoding: 'utf8'})
  ) as {rebuilds: number[]}
  const sorted = [...incremental.rebuilds].sort((a, b) => a - b)
  const row: Row = {
    reviews: size,
    shape,
    words: series.words,
    cold: {...coldTime, peakMiB: coldPeak},
    cached: cachedTime,
    edited: editedTime,
    oneVolume,
    incrementalMs: {median: sorted[Math.floor(sorted.length / 2)]!, all: incremental.rebuilds}
  }
  if (pandoc && size <= 1400) {
    process.stderr.write(`${size} reviews: pandoc and ours, alternately\n`)
    const script = await pandocScript(series)
    const theirs: number[] = []
    const ours: number[] = []
    let peak = 0
    for (let n = 0; n < Math.min(runs, 3); n++) {
      ours.push(timed(cold, cwd).seconds)
      const run = timed(script, cwd)
      theirs.push(run.seconds)
      peak = Math.max(peak, run.peakMiB)
    }
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length
    row.pandoc = {seconds: theirs, ours, ratio: mean(theirs) / mean(ours), peakMiB: peak}
  }
  rows.push(row)
  await rm(path.join(cwd, 'out-pandoc'), {recursive: true, force: true})
  // The paperbacks (`--print`): volumes only, up to 350 reviews (a volume of 1,400 / 7 reviews is over KDP's 776 pages on cream).
  if (size <= 350) {
    process.stderr.write(`${size} reviews: paperbacks\n`)
    paperbacks.push({reviews: size, times: measurePaperbacks(cwd)})
  }
}

// The sample series of this repository, and start-up.
process.stderr.write('\nsample series and start-up\n')
const sample = hyperfine(`BUILD_VOLUMES_CACHE=off ${node} ${bin} -q -o ${path.join(benchDir, 'sample-out')}`, {cwd: root, runs: 10})
// From the cache: the warm-up run fills a cache of the benchmark's own.
const sampleCache = path.join(benchDir, 'sample-cache')
await rm(sampleCache, {recursive: true, force: true})
const sampleCached = hyperfine(`BUILD_VOLUMES_CACHE=${sampleCache} ${node} ${bin} -q -o ${path.join(benchDir, 'sample-out')}`, {cwd: root, runs: 10})
const help = hyperfine(`${node} ${bin} --help`, {cwd: root, runs: 10})

const seconds = (value: number) => `${value.toFixed(2)} s`
const table = [
  '| reviews (words) | cold build | peak memory | again, nothing changed | one review edited, from the cache | one volume | one review edited (watch) | pandoc, 2 at a time | pandoc time ÷ ours |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows
    .map((row) =>
      [
        `${row.reviews.toLocaleString('en-GB')}${row.shape === 'short' ? ' short' : ''} (${(row.words / 1e6).toFixed(2)} M)`,
        `${seconds(row.cold.mean)} ± ${row.cold.stddev.toFixed(2)}`,
        `${Math.round(row.cold.peakMiB)} MiB`,
        seconds(row.cached.mean),
        seconds(row.edited.mean),
        seconds(row.oneVolume.mean),
        `${Math.round(row.incrementalMs.median)} ms`,
        row.pandoc
          ? `${seconds(row.pandoc.seconds.reduce((a, b) => a + b, 0) / row.pandoc.seconds.length)} (${Math.round(row.pandoc.peakMiB)} MiB)`
          : 'not run',
        row.pandoc ? `${row.pandoc.ratio.toFixed(1)}×` : ''
      ].join(' | ')
    )
    .map((line) => `| ${line} |`)
].join('\n')
const paperbackTable = [...paperbackHeader, ...paperbacks.map((entry) => paperbackLine(entry.reviews, entry.times))].join('\n')
const summary = `Sample series (22 reviews, 8 books): ${seconds(sample.mean)} cold, ${seconds(sampleCached.mean)} from the cache; \`--help\`: ${seconds(help.mean)}.`
const machine = `${environment.cpu}, ${environment.cores} cores, ${environment.memoryGb} GB, ${environment.os}, Node ${environment.node}${environment.pandoc ? `, ${environment.pandoc}` : ''}; ${environment.date}.`
process.stdout.write(`\n${table}\n\n${paperbackTable}\n\n${summary}\n\nMeasured on: ${machine}\n`)
await writeFile(
  path.join(benchDir, 'results.json'),
  `${JSON.stringify({environment, runs, rows, paperbacks, sample, sampleCached, help, table, paperbackTable, summary}, null, 2)}\n`
)
await writeFile(path.join(benchDir, 'results.md'), `${table}\n\n${paperbackTable}\n\n${summary}\n\nMeasured on: ${machine}\n`)
process.stderr.write(`\nwritten: ${path.relative(root, path.join(benchDir, 'results.json'))} and results.md\n`)
