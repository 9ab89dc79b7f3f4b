// The command line as CI and the author use it: help, exit codes, streams, --json,
// --volume, --strict, --quiet, and all-or-nothing writes. Runs the compiled command line
// (`npm test` compiles first): in fresh processes where the process is the point, else warm.
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {chmod, mkdir, readFile, readdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {after, before, test} from 'node:test'
import {runCli, type Run} from './helpers/cli.js'
import {copySample, makeProject, manifest, removeDir, repoRoot, review} from './helpers/project.js'

/**
 * The command line, in the test process's warm copy (helpers/cli.ts: run as a fresh process
 * would, minus Node's start-up and the module loading, which cost more than most of these
 * commands). Where the point is the process itself (its exit code as the shell sees it for
 * each kind of ending, its streams, colour decided at start-up, a lock naming its PID), `fresh`.
 */
function run(args: string[], cwd: string, env: Record<string, string> = {}, fresh = false): Promise<Run> {
  return runCli(args, cwd, env, {fresh})
}

let sample: string
before(async () => {
  sample = await copySample()
})
after(async () => removeDir(sample))

test('--help lists every option with examples and the exit codes', async () => {
  const result = await run(['--help'], sample, {}, true)
  assert.equal(result.code, 0)
  for (const flag of [
    '--manifest',
    '--out',
    '--volume',
    '--no-collection',
    '--drafts',
    '--strict',
    '--checksums',
    '--watch',
    '--quiet',
    '--json',
    '--format',
    'build',
    'check',
    'preview',
    'stats',
    'init',
    'import',
    'help',
    'Examples:',
    'Exit codes:'
  ])
    assert.ok(result.stdout.includes(flag), `help mentions ${flag}`)
})

test('--version prints the package version', async () => {
  const {version} = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as {version: string}
  const result = await run(['--version'], sample, {}, true)
  assert.equal(result.code, 0)
  assert.equal(result.stdout.trim(), version)
})

test('bad usage exits 2 and writes nothing', async () => {
  for (const args of [['--volume', 'x'], ['--volume', '0'], ['--no-such-flag'], ['--volume', '9']]) {
    const out = path.join(sample, `out-usage-${args.join('')}`)
    const result = await run([...args, '-o', out], sample, {}, true)
    assert.equal(result.code, 2, `${args.join(' ')} → exit 2 (stderr: ${result.stderr})`)
    assert.ok(result.stderr.length > 0)
    await assert.rejects(readdir(out), 'nothing written')
  }
})

test('a clean build exits 0, reports the books on stderr and leaves stdout empty', async () => {
  const result = await run(['-o', 'out-clean'], sample, {}, true)
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stdout, '')
  assert.match(result.stderr, /Wrote 8 books to out-clean/)
  assert.doesNotMatch(result.stderr, /\u001b\[/, 'no colour codes with NO_COLOR or off a TTY')
  assert.equal((await readdir(path.join(sample, 'out-clean'))).length, 8)
})

test('colour follows the terminal: FORCE_COLOR turns it on, NO_COLOR wins over it', async () => {
  const dir = await makeProject({'volumes.yaml': manifest(['a.md']), 'reviews/a.md': review({title: 'A', directer: 'X'}, 'Body.')})
  try {
    const forced = await run([], dir, {NO_COLOR: '', FORCE_COLOR: '1'})
    assert.match(forced.stderr, /\u001b\[/)
    const plain = await run([], dir, {NO_COLOR: '1', FORCE_COLOR: '1'})
    assert.doesNotMatch(plain.stderr, /\u001b\[/)
  } finally {
    await removeDir(dir)
  }
})

test('--quiet prints nothing when all is well', async () => {
  const result = await run(['-q', '-o', 'out-quiet'], sample)
  assert.equal(result.code, 0)
  assert.equal(result.stderr + result.stdout, '')
})

test('--json prints one JSON document with every output path, size and sha256', async () => {
  const result = await run(['--json', '-o', 'out-json'], sample)
  assert.equal(result.code, 0)
  assert.equal(result.stderr, '')
  const report = JSON.parse(result.stdout) as {
    ok: boolean
    written: boolean
    outputs: Array<{path: string; bytes: number; sha256: string; kind: string}>
    diagnostics: unknown[]
  }
  assert.equal(report.ok, true)
  assert.equal(report.outputs.length, 8)
  for (const output of report.outputs) {
    const bytes = await readFile(path.join(sample, output.path))
    assert.equal(output.bytes, bytes.byteLength)
    assert.equal(output.sha256, createHash('sha256').update(bytes).digest('hex'))
  }
  assert.deepEqual(report.diagnostics, [])
})

test('--volume builds only those volumes and says the collection was skipped', async () => {
  const result = await run(['--volume', '2', '-o', 'out-v2'], sample)
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(await readdir(path.join(sample, 'out-v2')), ['essential-film-reviews-volume-02.epub'])
  assert.match(result.stderr, /collection is not built/)
  const two = await run(['--volume', '1,3', '--volume', '5', '-o', 'out-v135'], sample)
  assert.equal(two.code, 0)
  assert.deepEqual(
    (await readdir(path.join(sample, 'out-v135'))).sort(),
    [1, 3, 5].map((n) => `essential-film-reviews-volume-0${n}.epub`)
  )
})

test('--no-collection builds the volumes only', async () => {
  const result = await run(['--no-collection', '-o', 'out-nocoll'], sample)
  assert.equal(result.code, 0)
  const files = await readdir(path.join(sample, 'out-nocoll'))
  assert.equal(files.length, 7)
  assert.ok(!files.some((file) => file.includes('collection')))
})

test('input problems exit 1, are reported with file:line:column on stderr, and nothing is written', async () => {
  const dir = await makeProject({
    'volumes.yaml': manifest(['a.md', 'missing.md']),
    'reviews/a.md': review({title: 'A', published: '"31st February 2020"'}, 'Body.')
  })
  try {
    const result = await run([], dir, {}, true)
    assert.equal(result.code, 1)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /volumes\.yaml\n\s*9:9-9:19\s+error\s+Review `missing.md` does not exist/)
    assert.match(result.stderr, /reviews\/a\.md\n\s*3:12-3:32\s+error\s+`published` is not a date/)
    assert.match(result.stderr, /No books were written/)
    await assert.rejects(readdir(path.join(dir, 'dist')))
    assert.doesNotMatch(result.stderr, /at .*\.js:\d+/, 'no stack trace for a user mistake')
  } finally {
    await removeDir(dir)
  }
})

test('--strict turns warnings into a failure; without it the build succeeds', async () => {
  const dir = await makeProject({'volumes.yaml': manifest(['a.md']), 'reviews/a.md': review({title: 'A', directer: 'Someone'}, 'Body.')})
  try {
    const strict = await run(['--strict'], dir)
    assert.equal(strict.code, 1)
    assert.match(strict.stderr, /did you mean `director`/)
    await assert.rejects(readdir(path.join(dir, 'dist')))
    const lenient = await run([], dir)
    assert.equal(lenient.code, 0)
    assert.equal((await readdir(path.join(dir, 'dist'))).length, 1)
  } finally {
    await removeDir(dir)
  }
})

test('a failed build leaves the previous books byte-for-byte intact', async () => {
  const dir = await makeProject({'volumes.yaml': manifest(['a.md']), 'reviews/a.md': review({title: 'A'}, 'Body.')})
  try {
    assert.equal((await run([], dir)).code, 0)
    const book = path.join(dir, 'dist', 'test-series-volume-01.epub')
    const before = await readFile(book)
    await writeFile(path.join(dir, 'reviews', 'a.md'), review({title: 'A', published: 'yesterday-ish'}, 'Changed body.'))
    assert.equal((await run([], dir, {SOURCE_DATE_EPOCH: '1800000000'})).code, 1)
    assert.deepEqual(await readFile(book), before)
    assert.deepEqual(await readdir(path.join(dir, 'dist')), ['test-series-volume-01.epub'], 'no staging folder left behind')
  } finally {
    await removeDir(dir)
  }
})

test('an output folder that cannot be written exits 3 with the path, and old books survive', async () => {
  const dir = await makeProject({'volumes.yaml': manifest(['a.md']), 'reviews/a.md': review({title: 'A'}, 'Body.'), blocked: 'a file, not a folder'})
  try {
    const result = await run(['-o', 'blocked'], dir, {}, true)
    assert.equal(result.code, 3)
    assert.match(result.stderr, /The output folder .*blocked is a file; move it away/)
    if (process.getuid?.() !== 0) {
      // Root ignores permissions, so this half only runs for ordinary users.
      await mkdir(path.join(dir, 'locked'))
      await chmod(path.join(dir, 'locked'), 0o500)
      assert.equal((await run(['-o', 'locked'], dir)).code, 3)
    }
  } finally {
    await removeDir(dir)
  }
})

test('SOURCE_DATE_EPOCH that is not a number is a usage error', async () => {
  const result = await run(['-o', 'out-epoch'], sample, {SOURCE_DATE_EPOCH: 'yesterday'})
  assert.equal(result.code, 2)
  assert.match(
    result.stderr,
    /SOURCE_DATE_EPOCH must be a whole number of seconds from 315532800 \(1980-01-01, where zip dates begin\) to 4354819199 \(2107-12-31, where they end\), got `yesterday`/
  )
})

test('options written before a command apply to it, or are a usage error; never silently dropped', async () => {
  const dir = await makeProject({'volumes.yaml': manifest(['a.md']), 'reviews/a.md': review({title: 'A', directer: 'Typo'}, 'Text.')})
  try {
    // A front-matter key typo is a warning: --strict makes it fail, wherever it is written.
    assert.equal((await run(['check'], dir)).code, 0)
    assert.equal((await run(['--strict', 'check'], dir)).code, 1)
    assert.equal((await run(['check', '--strict'], dir)).code, 1)
    const json = await run(['--json', 'check'], dir)
    assert.equal(json.code, 0, json.stderr)
    assert.equal((JSON.parse(json.stdout) as {ok: boolean}).ok, true, 'the JSON report is on stdout')
    for (const [args, option] of [
      [['--checksums', 'check'], '--checksums'],
      [['--watch', 'check'], '--watch'],
      [['--out', 'x', 'stats'], '--out'],
      [['--strict', 'init', 'x'], '--strict']
    ] as const) {
      const result = await run([...args], dir)
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr, new RegExp(`option '${option}' does not apply to`))
    }
    const twice = await run(['-m', 'volumes.yaml', 'check', '-m', 'other.yaml'], dir)
    assert.equal(twice.code, 2, twice.stderr)
    assert.match(twice.stderr, /given twice/)
    // An option whose default is on (`--no-collection`) given once, before the command, is not "given twice".
    const once = await run(['--no-collection', '--strict', 'build'], dir)
    assert.equal(once.code, 1, once.stderr)
    assert.match(once.stderr, /did you mean `director`/)
    const compact = await run(['--format', 'compact', 'check'], dir)
    assert.match(compact.stderr, /^reviews\/a\.md:3:1: warning: .* \[frontmatter-key-typo\]$/m)
  } finally {
    await removeDir(dir)
  }
})

test("the README shows every command's --help exactly, and the release workflow it quotes is the real one", async () => {
  const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8')
  for (const command of [[], ['build'], ['check'], ['preview'], ['stats'], ['init'], ['import']]) {
    const help = await run([...command, '--help'], sample)
    assert.equal(help.code, 0)
    assert.ok(readme.includes(`\`\`\`text\n${help.stdout.trimEnd()}\n\`\`\``), `README shows \`build-volumes ${command.join(' ')} --help\` as it is now`)
  }
  // The packed file it tells people to install is this version's.
  const {version} = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as {version: string}
  assert.ok(readme.includes(`npm install -g ./build-volumes-${version}.tgz`), `README installs build-volumes-${version}.tgz`)
  const workflow = await readFile(path.join(repoRoot, '.github', 'workflows', 'release.yml'), 'utf8')
  assert.ok(readme.includes(`\`\`\`yaml\n${workflow.trimEnd()}\n\`\`\``), 'README quotes .github/workflows/release.yml as it is')
  assert.match(workflow, /build-volumes --strict --checksums/)
})

test('a mistyped command is a usage error that suggests the right one', async () => {
  const result = await run(['chek'], sample)
  assert.equal(result.code, 2)
  assert.match(result.stderr, /unknown command 'chek'; did you mean 'check'\?/)
  const extra = await run(['check', 'everything'], sample)
  assert.equal(extra.code, 2, 'a command refuses arguments it does not take')
  assert.match(extra.stderr, /too many arguments for 'check'/)
})

test('`build` is the default command by name: the same options, the same books, and a word after it is a usage error', async () => {
  const named = await run(['build', '--volume', '2', '-o', 'out-named'], sample)
  assert.equal(named.code, 0, named.stderr)
  const plain = await run(['--volume', '2', '-o', 'out-plain'], sample)
  assert.equal(plain.code, 0, plain.stderr)
  assert.equal(named.stderr.replace(/out-named/g, 'out'), plain.stderr.replace(/out-plain/g, 'out'), 'it says the same')
  const book = 'essential-film-reviews-volume-02.epub'
  assert.deepEqual(await readdir(path.join(sample, 'out-named')), [book])
  assert.deepEqual(await readFile(path.join(sample, 'out-named', book)), await readFile(path.join(sample, 'out-plain', book)))
  // Options before the command apply to it, as for every command.
  const quiet = await run(['-q', 'build', '--volume', '2', '-o', 'out-named'], sample)
  assert.equal(quiet.code, 0)
  assert.equal(quiet.stderr, '', '-q before build keeps it quiet')
  const json = await run(['build', '--watch', '--json'], sample)
  assert.equal(json.code, 2)
  assert.match(json.stderr, /--watch and --json do not go together/)
  const extra = await run(['build', 'chek'], sample)
  assert.equal(extra.code, 2)
  assert.match(extra.stderr, /too many arguments for 'build'/)
})

test("help prints a command's help, or alone the main help; help for no such command is a usage error with a suggestion", async () => {
  for (const command of ['build', 'check', 'preview', 'stats', 'init', 'import', 'help']) {
    const help = await run(['help', command], sample)
    const flag = await run([command, '--help'], sample)
    assert.equal(help.code, 0, help.stderr)
    assert.equal(help.stdout, flag.stdout, `help ${command} prints what ${command} --help prints`)
    assert.match(help.stdout, new RegExp(`^Usage: build-volumes ${command} `))
  }
  const main = await run(['help'], sample)
  assert.equal(main.code, 0)
  assert.equal(main.stdout, (await run(['--help'], sample)).stdout)
  const typo = await run(['help', 'chek'], sample)
  assert.equal(typo.code, 2)
  assert.equal(typo.stdout, '')
  assert.match(typo.stderr, /unknown command 'chek'; did you mean 'check'\? The commands are build, check, preview, stats, init, import, help/)
  const none = await run(['help', 'nosuch'], sample)
  assert.equal(none.code, 2)
  assert.match(none.stderr, /unknown command 'nosuch'\. The commands are/)
})

test('--format compact prints each problem on one line, file:line:col: severity: message [rule], for build, check and import', async () => {
  const dir = await makeProject({
    'volumes.yaml': manifest(['a.md', 'missing.md']),
    'reviews/a.md': review({title: 'A', directer: 'X'}, 'Body.')
  })
  try {
    const lines = [
      'volumes.yaml:9:9: error: Review `missing.md` does not exist (looked for `reviews/missing.md`); the nearest names are `a.md` [missing-review]',
      'reviews/a.md:3:1: warning: Unknown front matter key `directer` is ignored; did you mean `director`? [frontmatter-key-typo]'
    ]
    for (const args of [['check'], ['build'], []]) {
      const result = await run([...args, '--format', 'compact'], dir)
      assert.equal(result.code, 1)
      assert.equal(result.stdout, '')
      const [report] = result.stderr.split('\nNo books were written')
      assert.deepEqual(report!.split('\n').sort(), [...lines].sort(), `${args.join(' ') || 'build-volumes'} --format compact`)
    }
    const stylish = await run(['check'], dir)
    assert.match(stylish.stderr, /^volumes\.yaml\n\s*9:9-9:19\s+error/m, 'stylish stays the default')
    const imported = await run(
      ['import', 'medium', path.join(repoRoot, 'test', 'fixtures', 'import', 'medium'), '--dry-run', '--no-download', '--format', 'compact'],
      dir
    )
    assert.equal(imported.code, 0, imported.stderr)
    assert.match(imported.stderr, /^.+medium:posts\/[^:]+\.html:\d+:\d+: info: The title .+ \[import-title\]$/m)
    const unknown = await run(['check', '--format', 'pretty'], dir)
    assert.equal(unknown.code, 2)
    assert.match(unknown.stderr, /Allowed choices are stylish, compact/)
  } finally {
    await removeDir(dir)
  }
})

test('on GitHub Actions each problem is also an annotation: on stdout, or on stderr with --json, whose stdout stays one JSON document', async () => {
  const dir = await makeProject({
    'volumes.yaml': manifest(['a.md', 'missing.md']),
    'reviews/a.md': review({title: 'A', directer: 'X'}, 'Body.')
  })
  try {
    const github = {GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: path.dirname(dir)}
    const folder = path.basename(dir)
    const annotations = [
      `::error file=${folder}/volumes.yaml,line=9,col=9,endLine=9,endColumn=19,title=missing-review::Review \`missing.md\` does not exist (looked for \`reviews/missing.md\`); the nearest names are \`a.md\``,
      `::warning file=${folder}/reviews/a.md,line=3,col=1,endLine=3,endColumn=9,title=frontmatter-key-typo::Unknown front matter key \`directer\` is ignored; did you mean \`director\`?`
    ]
    const plain = await run(['check'], dir, github)
    assert.equal(plain.code, 1)
    assert.deepEqual(plain.stdout.trimEnd().split('\n').sort(), [...annotations].sort())
    assert.match(plain.stderr, /^volumes\.yaml\n\s*9:9-9:19\s+error/m, 'the usual report is still on stderr')

    const json = await run(['check', '--json'], dir, github)
    assert.equal(json.code, 1)
    assert.equal((JSON.parse(json.stdout) as {diagnostics: unknown[]}).diagnostics.length, 2)
    assert.deepEqual(json.stderr.trimEnd().split('\n').sort(), [...annotations].sort(), 'stderr holds the annotations and nothing else')

    const elsewhere = await run(['check'], dir, {GITHUB_ACTIONS: 'false'})
    assert.equal(elsewhere.stdout, '', 'no annotations off GitHub Actions')
  } finally {
    await removeDir(dir)
  }
})

test('two builds never write into one folder at once: a live lock exits 3 naming its holder; a dead one is taken over', async () => {
  const out = path.join(sample, 'out-locked')
  const first = await run(['-q', '-o', out], sample, {}, true)
  assert.equal(first.code, 0, first.stderr)
  const before = createHash('sha256')
    .update(await readFile(path.join(out, 'essential-film-reviews-volume-01.epub')))
    .digest('hex')
  // This test process is alive: its pid in the lock stands for another build writing now.
  await writeFile(path.join(out, '.build-volumes.lock'), `${process.pid}\n`)
  await writeFile(
    path.join(sample, 'reviews', 'jaws-1975.md'),
    (await readFile(path.join(sample, 'reviews', 'jaws-1975.md'), 'utf8')).replace('rating: 5', 'rating: 4')
  )
  const blocked = await run(['-o', out], sample, {}, true)
  assert.equal(blocked.code, 3)
  assert.match(blocked.stderr, new RegExp(`Another build \\(process ${process.pid}\\) is writing books to .*out-locked; wait for it to finish or stop it`))
  assert.equal(
    createHash('sha256')
      .update(await readFile(path.join(out, 'essential-film-reviews-volume-01.epub')))
      .digest('hex'),
    before,
    'the books are untouched'
  )
  // A lock whose process is gone (a build killed with SIGKILL) is taken over, and removed after.
  await writeFile(path.join(out, '.build-volumes.lock'), '2147483646\n')
  const taken = await run(['-q', '-o', out], sample, {}, true)
  assert.equal(taken.code, 0, taken.stderr)
  assert.deepEqual(
    (await readdir(out)).filter((name) => name.startsWith('.')),
    [],
    'no lock or staging folder is left behind'
  )
})

test('a reader that has gone (`--json | head -c 0`) ends nothing but the printing: the books are written, no stack trace, the exit code is the build’s', async () => {
  const project = await makeProject({'volumes.yaml': manifest(['a.md']), 'reviews/a.md': review({title: 'Alpha', year: 1950}, 'A short review.')})
  try {
    // `head -c 0` closes the pipe at once, long before the build prints its report into it.
    const {spawn} = await import('node:child_process')
    const child = spawn(
      'bash',
      ['-c', `"${process.execPath}" "${path.join(repoRoot, 'bin', 'build-volumes.js')}" --json | head -c 0; echo "exit \${PIPESTATUS[0]}"`],
      {
        cwd: project,
        env: {...process.env, BUILD_VOLUMES_CACHE: 'off'}
      }
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    await new Promise((resolve) => child.on('close', resolve))
    assert.equal(stderr, '')
    assert.equal(stdout, 'exit 0\n')
    assert.equal((await readdir(path.join(project, 'dist'))).length, 1)
  } finally {
    await removeDir(project)
  }
})
