// A build that is stopped, killed or runs out of disk while writing leaves the previous books
// as they were. To stop the real command line at the moment it writes, it runs under strace,
// which holds every rename (the step that puts finished books in place) for a few seconds;
// no test hook lives in the tool itself. The full disk is a real 1 MB tmpfs.
import assert from 'node:assert/strict'
import {execFile, spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdir, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {test, type TestContext} from 'node:test'
import {promisify} from 'node:util'
import {bin, runCli} from './helpers/cli.js'
import {epubcheck, epubcheckAvailable} from './helpers/epubcheck.js'
import {makeProject, manifest, removeDir, review, tempDir} from './helpers/project.js'
import {toolAvailable} from './helpers/tools.js'

const run = promisify(execFile)
const book = 'test-series-volume-01.epub'

function strace(t: TestContext): boolean {
  return toolAvailable(t, {name: 'strace', files: ['/usr/bin/strace'], install: 'apt-get install -y strace'})
}

/** A project with two volumes (so two books), already built once into `dist/`. */
async function builtProject(): Promise<{dir: string; out: string; before: Map<string, Buffer>}> {
  const dir = await makeProject({
    'volumes.yaml': manifest(['a.md']).replace('volumes:\n', 'volumes:\n  - number: 2\n    title: Second\n    reviews: [b.md]\n'),
    'reviews/a.md': review({title: 'A Film'}, 'The first edition of this review.'),
    'reviews/b.md': review({title: 'Another Film'}, 'A second review.')
  })
  const out = path.join(dir, 'dist')
  const first = await runCli(['-q'], dir, {SOURCE_DATE_EPOCH: '1600000000'})
  assert.equal(first.code, 0, first.stderr)
  const before = new Map<string, Buffer>()
  for (const name of await readdir(out)) before.set(name, await readFile(path.join(out, name)))
  assert.ok(before.size >= 2, 'the first build wrote the books')
  // The next build has something new to write.
  await writeFile(path.join(dir, 'reviews', 'a.md'), review({title: 'A Film'}, 'The second edition, rewritten.'))
  return {dir, out, before}
}

interface Held {
  /** The build's own process (strace's child). */
  pid: number
  exited: Promise<number | null>
  stderr(): string
}

/** Runs the build under strace with each rename held for `holdMs`; resolves once the new books are staged. */
async function buildHeldAtRename(dir: string, out: string, holdMs = 4000): Promise<Held> {
  const child = spawn(
    'strace',
    [
      '-f',
      // Only the traced calls stop the process (a seccomp filter), not every call it makes.
      '--seccomp-bpf',
      '-qq',
      '-o',
      '/dev/null',
      '-e',
      'trace=rename,renameat,renameat2',
      '-e',
      `inject=rename,renameat,renameat2:delay_enter=${holdMs * 1000}`,
      process.execPath,
      bin,
      '-q'
    ],
    // No cache: its entries are renamed into place too, and each would be held.
    {cwd: dir, env: {...process.env, NO_COLOR: '1', SOURCE_DATE_EPOCH: '1700000000', BUILD_VOLUMES_CACHE: 'off'}, stdio: ['ignore', 'ignore', 'pipe']}
  )
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))))
  const deadline = Date.now() + 30_000
  for (;;) {
    const staging = (await readdir(out).catch(() => [] as string[])).find((name) => name.startsWith('.build-volumes-staging-'))
    const staged = staging ? await readdir(path.join(out, staging)).catch(() => [] as string[]) : []
    if (staged.length >= 2) break
    if (Date.now() > deadline) throw new Error(`The build never staged its books; stderr:\n${stderr}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  // Both books are written to the staging folder; the first rename is now being held.
  await new Promise((resolve) => setTimeout(resolve, 300))
  const children = await readFile(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')
  const pid = Number(children.trim().split(/\s+/)[0])
  assert.ok(pid > 0, 'found the build process under strace')
  return {pid, exited, stderr: () => stderr}
}

async function assertIntact(out: string, before: Map<string, Buffer>, t: TestContext): Promise<void> {
  for (const [name, bytes] of before) {
    assert.ok((await readFile(path.join(out, name))).equals(bytes), `${name} has its previous bytes`)
    if (name.endsWith('.epub')) {
      await run('unzip', ['-tq', path.join(out, name)])
      if (epubcheckAvailable(t)) assert.deepEqual((await epubcheck(path.join(out, name))).messages, [], `EPUBCheck on ${name}`)
    }
  }
}

test('Ctrl+C while the books are written: exit 130, the previous books intact, nothing left behind', {timeout: 120_000}, async (t) => {
  if (!strace(t)) return
  const {dir, out, before} = await builtProject()
  try {
    const held = await buildHeldAtRename(dir, out)
    process.kill(held.pid, 'SIGINT')
    assert.equal(await held.exited, 130)
    assert.match(held.stderr(), /Stopped; the books already in the output folder are unchanged/)
    await assertIntact(out, before, t)
    assert.deepEqual((await readdir(out)).sort(), [...before.keys()].sort(), 'no staging folder or lock is left')
  } finally {
    await removeDir(dir)
  }
})

test(
  'SIGKILL while the books are written: the previous books pass unzip -t and EPUBCheck, and the next build clears the leftovers',
  {timeout: 120_000},
  async (t) => {
    if (!strace(t)) return
    const {dir, out, before} = await builtProject()
    try {
      const held = await buildHeldAtRename(dir, out)
      process.kill(held.pid, 'SIGKILL')
      await held.exited
      await assertIntact(out, before, t)
      const leftovers = (await readdir(out)).filter((name) => name.startsWith('.'))
      assert.ok(
        leftovers.some((name) => name.startsWith('.build-volumes-staging-')),
        `a killed build cannot clean up: ${leftovers.join(', ')}`
      )
      assert.ok(leftovers.includes('.build-volumes.lock'), 'its lock is still there')
      const next = await runCli(['-q'], dir)
      assert.equal(next.code, 0, next.stderr)
      assert.deepEqual(
        (await readdir(out)).filter((name) => name.startsWith('.')),
        [],
        'the next build removed the staging folder and took over the lock'
      )
      assert.ok(!(await readFile(path.join(out, book))).equals(before.get(book)!), 'and wrote the new books')
    } finally {
      await removeDir(dir)
    }
  }
)

test('a full disk: exit 3 with the path and the OS error, the previous books intact, no temporary files', {timeout: 120_000}, async (t) => {
  const {dir, before} = await builtProject()
  const mount = await tempDir('full-disk-')
  try {
    try {
      await run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount])
    } catch (error) {
      // Mounting needs root with CAP_SYS_ADMIN, as in CI; an ordinary account cannot.
      process.stderr.write(`\n*** SKIPPED: cannot mount a 1 MB tmpfs here (${String(error).split('\n')[0]}) ***\n`)
      t.skip('cannot mount a tmpfs')
      return
    }
    const out = path.join(mount, 'books')
    await mkdir(out)
    for (const [name, bytes] of before) await writeFile(path.join(out, name), bytes)
    // Leave less room than the new books need.
    const used = [...before.values()].reduce((sum, bytes) => sum + bytes.length, 0)
    await writeFile(path.join(mount, 'filler'), Buffer.alloc(1024 * 1024 - used - 48 * 1024))
    const result = await runCli(['-o', out], dir)
    assert.equal(result.code, 3, result.stderr)
    assert.match(
      result.stderr,
      new RegExp(
        `Could not write the books to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the disk is full \\(ENOSPC\\); the books already there are unchanged`,
        'i'
      )
    )
    await assertIntact(out, before, t)
    assert.deepEqual((await readdir(out)).sort(), [...before.keys()].sort(), 'no staging folder, partial book or lock is left')
  } finally {
    await run('umount', [mount]).catch(() => {})
    await removeDir(mount)
    await removeDir(dir)
  }
})

test('a 50 MB review is refused by its size, unread, with the numbers, and nothing is written', {timeout: 120_000}, async () => {
  const dir = await makeProject({'volumes.yaml': manifest(['a.md', 'b.md']), 'reviews/b.md': review({title: 'Fine'}, 'A normal review.')})
  try {
    await writeFile(path.join(dir, 'reviews', 'a.md'), `---\ntitle: Huge\n---\n\n${'All work and no play. '.repeat(2_400_000)}`)
    const result = await runCli([], dir)
    assert.equal(result.code, 1, result.stderr)
    assert.match(
      result.stderr,
      /reviews\/a\.md\n1:1 +error The file is too large for a review \(52\.8 MB; at most 1 MB, some 150,000 words\), so it is not read +review-too-large/
    )
    assert.ok(!existsSync(path.join(dir, 'dist')), 'nothing is written')
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
})

/** A review that takes the converter many seconds (just under the size limit, every paragraph busy). */
function slowReview(): string {
  const paragraphs = Array.from({length: 10_500}, (_, index) => `Paragraph ${index} with *emphasis*, "quotes" and [a link](https://example.com/${index}).`)
  return `---\ntitle: A Very Long Review\n---\n\n${paragraphs.join('\n\n')}\n`
}

for (const [command, args, signal, code] of [
  ['build', [], 'SIGTERM', 143],
  ['check', ['check'], 'SIGINT', 130],
  ['preview', ['preview', '1', '--port', '0'], 'SIGTERM', 143]
] as const) {
  test(
    `${signal} while ${command} converts a very long review stops it promptly, long before the conversion ends (exit ${code}), the previous books intact`,
    {timeout: 120_000},
    async (t) => {
      const {dir, out, before} = await builtProject()
      try {
        await writeFile(path.join(dir, 'reviews', 'a.md'), slowReview())
        const child = spawn(process.execPath, [bin, ...args], {
          cwd: dir,
          env: {...process.env, NO_COLOR: '1', BUILD_VOLUMES_CACHE: 'off'},
          stdio: ['ignore', 'ignore', 'pipe']
        })
        let stderr = ''
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
        const exited = new Promise<{code: number | null; at: number}>((resolve) =>
          child.on('exit', (exitCode) => resolve({code: exitCode, at: performance.now()}))
        )
        // Long enough to be deep in the conversion (which takes many seconds), short of its end.
        await new Promise((resolve) => setTimeout(resolve, 2500))
        assert.equal(child.exitCode, null, `still converting; stderr: ${stderr}`)
        const sent = performance.now()
        child.kill(signal)
        const {code: exitCode, at} = await exited
        assert.equal(exitCode, code, stderr)
        // Converting the review takes many seconds more; a loaded machine may need a few to answer.
        assert.ok(at - sent < 3000, `stopped ${Math.round(at - sent)} ms after the signal`)
        await assertIntact(out, before, t)
      } finally {
        await removeDir(dir)
      }
    }
  )
}
