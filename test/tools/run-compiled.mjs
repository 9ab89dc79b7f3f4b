// `npm test`'s launcher: compiles src/ and test/ to plain JavaScript with esbuild (one file per
// file, the same folders, under test/.tmp/), then runs test/run.ts's compiled copy there, so
// that no test process pays for tsx's loader. Through tsx, importing src/ cost a test process
// about 1.5 s of CPU, against 0.6 s compiled, in each of the run's 35 processes.
//
// Each compiled file keeps the address of its source: `import.meta.url` (and `dirname`,
// `filename`) name the .ts file, so every path a test or the tool works out from where it is
// (the repository's root, fixtures, the font files, the worker scripts, the code's fingerprint)
// is what it is under tsx. The warm command line (helpers/cli.ts) forks its compiled copy; a
// worker or child process that starts from a .ts file still goes through tsx, as before.
// Arguments are test/run.ts's: test files to run, or none for all.
//
// With `--checks` (`npm test`), the formatting check (prettier) and the type check (tsc) run
// beside the tests instead of before them: the tests do not need their verdicts, and on this
// 2-core machine the check alone left a core idle for seconds. Their output comes after the
// tests' report, and either failing fails the run.
import {spawn} from 'node:child_process'
import {mkdirSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {build} from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
// A folder of this run's own: two runs at once never compile into each other's.
const out = path.join(root, 'test', '.tmp', `compiled-${process.pid}`)

/** The .ts files under `folder`, not descending into the folders named in `skip`. */
const sources = (folder, skip = []) =>
  readdirSync(folder, {withFileTypes: true}).flatMap((entry) => {
    const at = path.join(folder, entry.name)
    if (entry.isDirectory()) return skip.includes(entry.name) ? [] : sources(at, skip)
    return entry.name.endsWith('.ts') ? [at] : []
  })

const keepAddress = {
  name: 'keep-address',
  setup(builder) {
    builder.onLoad({filter: /\.ts$/}, (args) => {
      const text = readFileSync(args.path, 'utf8')
      const contents = text
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path))
      return {contents, loader: 'ts'}
    })
  }
}

/**
 * Runs a check of the code in the background (`script`: a package's command, by its path, so
 * that `tsc` is TypeScript 7's whichever package npm linked `.bin/tsc` to): resolves to its exit
 * code and what it printed.
 */
const check = (label, script, args) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules', script), ...args], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']})
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', (error) => resolve({label, code: 1, output: String(error)}))
    child.on('close', (code) => resolve({label, code: code ?? 1, output}))
  })
const args = process.argv.slice(2)
const checks = args.includes('--checks')
  ? [
      check('formatting (prettier --check)', 'prettier/bin/prettier.cjs', ['--check', '--log-level=warn', 'src/**/*.ts', 'test/**/*.ts', 'bin']),
      check('types (tsc -p test)', 'typescript/bin/tsc', ['-p', 'test'])
    ]
  : []
process.argv.splice(2, process.argv.length, ...args.filter((arg) => arg !== '--checks'))

mkdirSync(out, {recursive: true})
await build({
  entryPoints: [...sources(path.join(root, 'src')), ...sources(path.join(root, 'test'), ['.tmp', 'fixtures', '.bench'])],
  outdir: out,
  outbase: root,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  plugins: [keepAddress],
  logLevel: 'warning'
})
process.env.BUILD_VOLUMES_TEST_COMPILED = out
process.once('exit', () => rmSync(out, {recursive: true, force: true}))
await import(pathToFileURL(path.join(out, 'test', 'run.js')).href)
for (const {label, code, output} of await Promise.all(checks)) {
  process.stdout.write(code === 0 ? `${label}: passed\n` : `\n${label} failed:\n${output}`)
  if (code !== 0) process.exitCode = 1
}
