// Hostile inputs that cannot live in a fixture folder: shapes too large to commit, named
// pipes, unreadable folders, tens of thousands of files, a folder where a book should go.
// Each must end quickly with a positioned message and the right exit code, never a hang, a
// crash or a half-written output folder. Timing is only a bound here (far above the real
// time), never a measurement: speed is the benchmark's job.
import assert from 'node:assert/strict'
import {execFile, spawn} from 'node:child_process'
import {chmod, mkdir, readdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {test} from 'node:test'
import {promisify} from 'node:util'
import {parseDocument} from 'yaml'
import {VFile} from 'vfile'
import {build} from '../src/index.js'
import {parseManifest} from '../src/project/manifest.js'
import {findComplexity} from '../src/review/complexity.js'
import {bin, runCli} from './helpers/cli.js'
import {makeProject, manifest, removeDir, review} from './helpers/project.js'

const run = promisify(execFile)

/** Shapes the Markdown and HTML parsers once took minutes (or the stack) on, each far past its bound. */
const shapes: Record<string, string> = {
  'a line of 100,000 list markers': `${'- '.repeat(100_000)}x`,
  'a line of 100,000 block quote markers': `${'> '.repeat(100_000)}x`,
  'lists nested by indentation 300 deep': Array.from({length: 300}, (_, i) => `${'  '.repeat(i)}- x`).join('\n'),
  '40,000 unmatched `]` in a paragraph': 'a] '.repeat(40_000),
  '40,000 unmatched `*` in a paragraph': 'a* '.repeat(40_000),
  '40,000 mixed `*a_` in a paragraph': '*a_ '.repeat(40_000),
  'brackets nested 80,000 deep': `${'['.repeat(80_000)}x${']'.repeat(80_000)}`,
  'a run of 10,000 `*`': `${'*'.repeat(10_000)}x${'*'.repeat(10_000)}`,
  'HTML nested 10,000 deep': `${'<div>'.repeat(10_000)}x`,
  'inline HTML nested 10,000 deep': `${'<span>'.repeat(10_000)}x`,
  'a table 10,000 columns wide': `|${'a|'.repeat(10_000)}\n|${'-|'.repeat(10_000)}\n|${'b|'.repeat(10_000)}`
}

test('every shape the parsers are superlinear on is refused by a linear scan, with its place, quickly', () => {
  for (const [name, body] of Object.entries(shapes)) {
    const text = `---\ntitle: T\n---\n\n${body}\n`
    const started = performance.now()
    const found = findComplexity(text)
    const ms = performance.now() - started
    assert.ok(found, `${name} is found`)
    assert.ok(found.place.line >= 5, `${name}: its place is in the body (line ${found.place.line})`)
    // A bound far above the real time (milliseconds), loose enough for a loaded machine.
    assert.ok(ms < 5000, `${name}: scanned in ${Math.round(ms)} ms`)
  }
  // Real reviews pass: quotes, lists, tables, HTML and emphasis of ordinary size.
  const ordinary = `---\ntitle: T\n---\n\n${'A *fine* [link](a.md) and **bold** text.\n\n'.repeat(500)}${Array.from({length: 20}, (_, i) => `${'  '.repeat(i)}- item`).join('\n')}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<div><p>html</p></div>\n`
  assert.equal(findComplexity(ordinary), undefined)
})

test('each shape, built through the command line, ends within seconds with review-too-complex and nothing written', {timeout: 300_000}, async () => {
  const names = Object.keys(shapes)
  const files: Record<string, string> = {'volumes.yaml': manifest(names.map((_, index) => `r${index}.md`))}
  names.forEach((name, index) => (files[`reviews/r${index}.md`] = review({title: `Shape ${index}`}, shapes[name]!)))
  const dir = await makeProject(files)
  try {
    const started = performance.now()
    const result = await runCli(['check'], dir, {BUILD_VOLUMES_CACHE: 'off'})
    const seconds = (performance.now() - started) / 1000
    assert.equal(result.code, 1, result.stderr)
    for (const [index] of names.entries())
      assert.match(result.stderr, new RegExp(`reviews/r${index}\\.md\\n\\d+:\\d+ +error .+review-too-complex`), `${names[index]} is reported at its place`)
    // The bound is far above the real time (under a second of work): a hang or a quadratic parse would take minutes.
    assert.ok(seconds < 60, `took ${seconds.toFixed(1)} s`)
  } finally {
    await removeDir(dir)
  }
})

test('YAML: an alias bomb, 10,000-deep brackets and a map of 100,000 keys are errors or values within seconds, never a crash', () => {
  const bomb = `series: S\nauthor: A\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nvolumes: []\n`
  const deep = `series: S\nauthor: A\nx: ${'['.repeat(10_000)}${']'.repeat(10_000)}\nvolumes: []\n`
  const keys = `${Array.from({length: 100_000}, (_, i) => `k${i}: v`).join('\n')}\nk5: again\n`
  const manyAliases = `series: S\nauthor: A\nd: &d text\n${Array.from({length: 5000}, (_, i) => `a${i}: *d`).join('\n')}\nvolumes: []\n`
  for (const [name, text, rule] of [
    ['bomb', bomb, 'yaml-syntax'],
    ['deep', deep, 'yaml-syntax'],
    ['keys', keys, 'yaml-syntax'],
    ['aliases', manyAliases, 'yaml-syntax']
  ] as const) {
    const file = new VFile({path: 'volumes.yaml', value: text})
    const started = performance.now()
    const manifest = parseManifest(file)
    const ms = performance.now() - started
    assert.equal(manifest, undefined, `${name}: no manifest`)
    assert.ok(
      file.messages.some((message) => message.ruleId === rule && message.line !== undefined),
      `${name}: a positioned ${rule} message; got ${file.messages.map((message) => message.reason).join(' | ')}`
    )
    assert.ok(ms < 30_000, `${name}: ${Math.round(ms)} ms`)
  }
  // The library itself, for comparison: its alias limit throws on honest reuse, which we allow.
  assert.throws(() => parseDocument(`d: &d x\n${Array.from({length: 200}, (_, i) => `a${i}: *d`).join('\n')}\n`).toJS())
})

test('a named pipe in place of a review, an image or volumes.yaml is refused at once, never read', {timeout: 120_000}, async () => {
  const dir = await makeProject({'volumes.yaml': manifest(['a.md', 'pipe.md']), 'reviews/a.md': review({title: 'A'}, '![A still](still.png)')})
  try {
    await run('mkfifo', [path.join(dir, 'reviews', 'pipe.md'), path.join(dir, 'reviews', 'still.png')])
    const result = await runCli(['check'], dir, {BUILD_VOLUMES_CACHE: 'off'})
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /reviews\/pipe\.md\n1:1 +error The review could not be read: it is a named pipe, not a file +unreadable-review/)
    assert.match(result.stderr, /Image `reviews\/still\.png` could not be read: it is a named pipe, not a file/)
    await run('mkfifo', [path.join(dir, 'pipe.yaml')])
    const manifestPipe = await runCli(['check', '-m', 'pipe.yaml'], dir)
    assert.equal(manifestPipe.code, 1, manifestPipe.stderr)
    assert.match(manifestPipe.stderr, /The manifest could not be read: it is a named pipe, not a file/)
  } finally {
    await removeDir(dir)
  }
})

test('a reviews folder that cannot be read says so (EACCES) and where, not "does not exist"', {timeout: 60_000}, async (t) => {
  const dir = await makeProject({'volumes.yaml': manifest(['a.md']), 'reviews/a.md': review({title: 'A'}, 'Text.')})
  try {
    const reviews = path.join(dir, 'reviews')
    // Root reads any folder: run the check as an ordinary user when the tests run as root (CI).
    const asUser = process.getuid?.() === 0 ? {uid: 65534, gid: 65534} : {}
    // mkdtemp makes the project folder private; the other user must be able to enter it.
    await chmod(dir, 0o755)
    for (const mode of [0o000, 0o311]) {
      await chmod(reviews, mode)
      const result = await new Promise<{code: number; stderr: string}>((resolve) => {
        const child = spawn(process.execPath, [bin, 'check'], {cwd: dir, env: {...process.env, NO_COLOR: '1', BUILD_VOLUMES_CACHE: 'off'}, ...asUser})
        let stderr = ''
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
        child.on('error', () => resolve({code: -1, stderr: 'could not start as another user'}))
        child.on('exit', (code) => resolve({code: code ?? -1, stderr}))
      })
      if (result.code === -1) {
        t.skip(result.stderr)
        return
      }
      assert.equal(result.code, 1, result.stderr)
      assert.match(result.stderr, /The reviews folder `reviews` cannot be read: permission denied \(EACCES\) +unreadable-review/, `mode ${mode.toString(8)}`)
      assert.doesNotMatch(result.stderr, /does not exist|no Markdown files/)
    }
  } finally {
    await chmod(path.join(dir, 'reviews'), 0o755).catch(() => {})
    await removeDir(dir)
  }
})

// 5,000 files, twenty times the limit, show the reading is bounded; how long many reviews take is the benchmark's business.
test('5,000 listed reviews are read with few files open at once: no false unreadable-review, even under ulimit -n 256', {timeout: 600_000}, async () => {
  const count = 5_000
  const names = Array.from({length: count}, (_, index) => `r${String(index).padStart(5, '0')}.md`)
  // Volume 1 holds one review; the rest are in volume 2, read for their front matter only.
  const yaml = `series: Test Series\nauthor: Ada Critic\nvolumes:\n  - number: 1\n    title: One\n    reviews: [${names[0]}]\n  - number: 2\n    title: Rest\n    reviews:\n${names
    .slice(1)
    .map((name) => `      - ${name}\n`)
    .join('')}`
  const dir = await makeProject({'volumes.yaml': yaml})
  try {
    await mkdir(path.join(dir, 'reviews'), {recursive: true})
    for (let start = 0; start < count; start += 1000) {
      await Promise.all(
        names
          .slice(start, start + 1000)
          .map((name, index) => writeFile(path.join(dir, 'reviews', name), `---\ntitle: Film ${start + index}\nyear: 1999\n---\n\nA short review.\n`))
      )
    }
    const started = performance.now()
    const {stderr} = await run('sh', ['-c', `ulimit -n 256 && exec "${process.execPath}" "${bin}" check --volume 1`], {
      cwd: dir,
      env: {...process.env, NO_COLOR: '1', BUILD_VOLUMES_CACHE: 'off'},
      maxBuffer: 64 * 1024 * 1024
    }).catch((error: {stderr: string; code: number}) => {
      assert.fail(`exit ${error.code}: ${error.stderr.slice(0, 2000)}`)
    })
    assert.doesNotMatch(stderr, /unreadable-review|EMFILE/)
    assert.match(stderr, /Checked 1 book/)
    process.stderr.write(`5,000 reviews (volume 1 checked, the rest read for their front matter): ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
  } finally {
    await removeDir(dir)
  }
})

test('a folder where a book should go: exit 3 before any book is moved, and the message says so truly', {timeout: 120_000}, async () => {
  const dir = await makeProject({
    'volumes.yaml': `${manifest(['a.md'])}  - number: 2\n    title: Second\n    reviews: [b.md]\n`,
    'reviews/a.md': review({title: 'A'}, 'Text.'),
    'reviews/b.md': review({title: 'B'}, 'Text.')
  })
  try {
    const first = await runCli(['-q'], dir, {BUILD_VOLUMES_CACHE: 'off'})
    assert.equal(first.code, 0, first.stderr)
    const out = path.join(dir, 'dist')
    const before = new Map<string, Buffer>()
    for (const name of await readdir(out)) before.set(name, await readFile(path.join(out, name)))
    // The second book's place is taken by a folder; the first book would be renamed first.
    const second = [...before.keys()].sort()[1]!
    await writeFile(path.join(dir, 'reviews', 'a.md'), review({title: 'A'}, 'A new edition.'))
    const held = path.join(out, second)
    await run('rm', [held])
    await mkdir(held)
    const result = await runCli(['-q'], dir, {BUILD_VOLUMES_CACHE: 'off'})
    assert.equal(result.code, 3, result.stderr)
    assert.match(
      result.stderr,
      new RegExp(
        `\`${second.replace(/[.]/g, '\\.')}\` there is a folder, where the book should go; move it away and build again\\. Nothing was written; the books already there are unchanged`
      )
    )
    for (const [name, bytes] of before) if (name !== second) assert.ok((await readFile(path.join(out, name))).equals(bytes), `${name} is unchanged`)
  } finally {
    await removeDir(dir)
  }
})

test('a library build refuses SOURCE_DATE_EPOCH outside 1980-2107 before reading anything', async () => {
  for (const value of ['0', '253402300800', '99999999999999', '12x']) {
    await assert.rejects(
      build({cwd: '/nonexistent', sourceDateEpoch: value}),
      (error: Error & {exitCode?: number}) => error.exitCode === 2 && /315532800 .* 4354819199/.test(error.message)
    )
  }
})
