// `build-volumes --watch`: after the first build, editing one review rebuilds only its
// volume and the collection (the other books are not touched), the result is byte-identical
// to a cold build of the edited sources, and an input error is reported without exiting;
// with --quiet, only problems are printed.
import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {readFile, readdir, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {after, before, test} from 'node:test'
import {runCli, startCli, type LongRun} from './helpers/cli.js'
import {copySample, makeProject, manifest, removeDir, review} from './helpers/project.js'

let project: string
let watcher: LongRun | undefined
before(async () => {
  project = await copySample()
})
after(async () => {
  await watcher?.stop()
  await removeDir(project)
})

async function books(dir: string): Promise<Map<string, {bytes: Buffer; mtimeMs: number}>> {
  const found = new Map<string, {bytes: Buffer; mtimeMs: number}>()
  for (const name of (await readdir(dir)).filter((file) => file.endsWith('.epub'))) {
    found.set(name, {bytes: await readFile(path.join(dir, name)), mtimeMs: (await stat(path.join(dir, name))).mtimeMs})
  }
  return found
}

test('watch rebuilds only the books holding an edited review, identical to a cold build, and survives an input error', async () => {
  // No SOURCE_DATE_EPOCH: each book is dated by its own newest input, as an author's build is.
  const env = {SOURCE_DATE_EPOCH: undefined}
  watcher = startCli(['--watch', '-o', 'watched'], project, env)
  await watcher.waitFor(/Watching reviews\/ and volumes\.yaml/)
  const out = path.join(project, 'watched')
  const before = await books(out)
  assert.equal(before.size, 8)

  // Alien is in volume 4.
  const alien = path.join(project, 'reviews', 'alien-1979.md')
  const original = await readFile(alien, 'utf8')
  let from = watcher.stderr().length
  await writeFile(alien, original.replace('rating: 5', 'rating: 4.5'))
  const line = (await watcher.waitFor(/✔ \d\d:\d\d:\d\d rebuilt (.+) in \d+ ms/, {from}))[1]!
  assert.deepEqual(line.split(', ').sort(), ['essential-film-reviews-collection.epub', 'essential-film-reviews-volume-04.epub'])

  const afterEdit = await books(out)
  for (const [name, book] of before) {
    const rebuilt = name.endsWith('volume-04.epub') || name.endsWith('collection.epub')
    assert.equal(afterEdit.get(name)!.mtimeMs !== book.mtimeMs, rebuilt, `${name} ${rebuilt ? 'was' : 'was not'} rewritten`)
    assert.equal(!afterEdit.get(name)!.bytes.equals(book.bytes), rebuilt, `${name} ${rebuilt ? 'changed' : 'is unchanged'}`)
  }

  // What watch wrote is exactly what a cold build of the same sources writes.
  const cold = await runCli(['-q', '-o', 'cold'], project, env)
  assert.equal(cold.code, 0, cold.stderr)
  const fresh = await books(path.join(project, 'cold'))
  for (const [name, book] of afterEdit) assert.ok(book.bytes.equals(fresh.get(name)!.bytes), `${name} equals the cold build`)

  // A broken review is reported with its place; watch keeps running and keeps the books.
  from = watcher.stderr().length
  await writeFile(alien, original.replace(/^title: .*$/m, 'title: [broken'))
  await watcher.waitFor(/not rebuilt: fix the problems above; the books in watched are unchanged/, {from})
  assert.match(watcher.stderr().slice(from), /reviews\/alien-1979\.md\n\d+:\d+(-\d+:\d+)? +error +The front matter is not valid YAML/)
  assert.equal(watcher.child.exitCode, null, 'watch is still running')
  const afterError = await books(out)
  for (const [name, book] of afterEdit) assert.ok(afterError.get(name)!.bytes.equals(book.bytes), `${name} untouched by the failed rebuild`)

  // Fixing it rebuilds again.
  from = watcher.stderr().length
  await writeFile(alien, original)
  await watcher.waitFor(/✔ \d\d:\d\d:\d\d rebuilt .*volume-04\.epub/, {from})
  assert.equal(await watcher.stop(), 130)
  assert.match(watcher.stderr(), /\nStopped; the books already in the output folder are unchanged\.\n$/)
})

/** Polls `check` until it holds or `ms` pass; says which. */
async function until(check: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}

test('watch --quiet prints only problems: no banner, nothing for a rebuild that went well', async () => {
  const dir = await makeProject({'volumes.yaml': manifest(['a.md']), 'reviews/a.md': review({title: 'A'}, 'The first text.')})
  const quiet = startCli(['--watch', '-q'], dir, {SOURCE_DATE_EPOCH: undefined})
  try {
    const book = path.join(dir, 'dist', 'test-series-volume-01.epub')
    assert.ok(await until(() => existsSync(book), 30_000), `the first build wrote the book; stderr:\n${quiet.stderr()}`)
    const first = await readFile(book)
    // Nothing says when the watcher is ready, so the edit is made again until the book changes.
    let changed = false
    for (let attempt = 1; attempt <= 10 && !changed; attempt++) {
      await writeFile(path.join(dir, 'reviews', 'a.md'), review({title: 'A'}, `The text, edited ${attempt} times.`))
      changed = await until(async () => !(await readFile(book)).equals(first), 2000)
    }
    assert.ok(changed, 'an edit rebuilds the book')
    await writeFile(path.join(dir, 'reviews', 'a.md'), review({title: '[broken'}, 'Text.'))
    await quiet.waitFor(/not rebuilt: fix the problems above/)
    assert.match(quiet.stderr(), /^reviews\/a\.md\n.+error +The front matter is not valid YAML/m, 'a problem is printed')
    assert.doesNotMatch(quiet.stderr(), /Watching/, 'no banner')
    assert.doesNotMatch(quiet.stderr(), /rebuilt test-series|no book changed/, 'no line for a good rebuild')
  } finally {
    await quiet.stop()
    await removeDir(dir)
  }
})
