// The fast paths write exactly what a cold build writes: reviews converted on worker threads
// or on the main thread, taken from the content-hash cache or converted afresh. And the cache
// misses exactly what it must: an edited review, a changed setting, a missing image. It
// cannot lie: a damaged entry or cover is ignored and written again, and a cache folder that
// cannot be used is a warning, never a hang or a crash.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {chmod, mkdir, readdir, readFile, rm, utimes, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {after, before, test} from 'node:test'
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {build, BuildSession, type BuildOptions} from '../src/index.js'
import {generate} from './bench/generate.js'
import {runCli} from './helpers/cli.js'
import {fixturesDir, makeProject, manifest, removeDir, review, tempDir, tinyPng} from './helpers/project.js'

let dir = ''
const size = 24

before(async () => {
  dir = await tempDir('cache-')
  // Two volumes and the collection: every property below holds book by book, and each cold
  // build draws every book's cover again.
  await generate(dir, size, 'long', 2)
  // One review shows an image, so a cached result can depend on a file that may go.
  const withImage = path.join(dir, 'reviews', 'review-00002.md')
  await writeFile(withImage, `${await readFile(withImage, 'utf8')}\n![A still from the film](still.png)\n`)
  await writeFile(path.join(dir, 'reviews', 'still.png'), tinyPng)
})

after(async () => {
  await removeDir(dir)
})

/** Builds into a fresh folder; returns each book's bytes and how many reviews were converted. */
async function books(
  options: BuildOptions,
  env: Record<string, string> = {}
): Promise<{bytes: Map<string, Buffer>; converted: number; rules: string[]; messages: VFileMessage[]}> {
  const out = await tempDir('cache-out-')
  const saved = {...process.env}
  Object.assign(process.env, env)
  let converted = -1
  try {
    const result = await build({
      cwd: dir,
      out,
      sourceDateEpoch: '1700000000',
      ...options,
      onProgress: (event) => void (event.type === 'reviews' && (converted = event.converted))
    })
    const bytes = new Map<string, Buffer>()
    if (result.written) for (const name of (await readdir(out)).sort()) bytes.set(name, await readFile(path.join(out, name)))
    const messages = result.files.flatMap((file) => file.messages)
    return {bytes, converted, rules: messages.map((message) => message.ruleId ?? '').sort(), messages}
  } finally {
    process.env = saved
    await removeDir(out)
  }
}

let pristine: ReturnType<typeof books> | undefined
/** The cold build of the series as generated, on worker threads (forced), made once and compared with by every test that needs it. */
function coldBooks(): ReturnType<typeof books> {
  pristine ??= books({cache: false}, {BUILD_VOLUMES_WORKERS: '1'})
  return pristine
}

test(`${size} reviews convert on worker threads into the same books as on the main thread`, async () => {
  const threads = await coldBooks()
  const single = await books({cache: false}, {BUILD_VOLUMES_WORKERS: '0'})
  assert.equal(threads.bytes.size, 3)
  assert.deepEqual(threads.bytes, single.bytes)
  assert.equal(threads.converted, size)
})

test('a build from the content-hash cache writes the same bytes as a cold build, and misses exactly what changed', async () => {
  const cache = path.join(dir, '.build-volumes-cache')
  await rm(cache, {recursive: true, force: true})
  const cold = await coldBooks()
  const filling = await books({cache})
  assert.equal(filling.converted, size)
  assert.deepEqual(filling.bytes, cold.bytes, 'the build that fills the cache')
  const cached = await books({cache})
  assert.equal(cached.converted, 0, 'every review comes from the cache')
  assert.deepEqual(cached.bytes, cold.bytes, 'the build from the cache')

  // An edited review: that one is converted again.
  const edited = path.join(dir, 'reviews', 'review-00007.md')
  const original = await readFile(edited, 'utf8')
  await writeFile(edited, original.replace(/\n\n/, '\n\nA new first paragraph, written for this test.\n\n'))
  const afterEdit = await books({cache})
  assert.equal(afterEdit.converted, 1)
  assert.deepEqual(afterEdit.bytes, (await books({cache: false})).bytes, 'the same as a cold build of the edited series')
  assert.notDeepEqual(afterEdit.bytes, cold.bytes)
  await writeFile(edited, original)

  // A setting of the pipeline (the quote style): every review is converted again.
  const manifestFile = path.join(dir, 'volumes.yaml')
  const manifest = await readFile(manifestFile, 'utf8')
  await writeFile(manifestFile, manifest.replace('language: en-GB\n', 'language: en-GB\nquotes: single\n'))
  const single = await books({cache})
  assert.equal(single.converted, size)
  assert.deepEqual(single.bytes, (await books({cache: false})).bytes)
  await writeFile(manifestFile, manifest)
  assert.equal((await books({cache})).converted, 0, 'and back: the earlier entries still hold')

  // A review whose image has gone is converted again, and reports it as a cold build does.
  await rm(path.join(dir, 'reviews', 'still.png'))
  const missing = await books({cache})
  assert.equal(missing.converted, 1)
  assert.deepEqual(missing.rules, (await books({cache: false})).rules)
  assert.ok(missing.rules.includes('missing-image'))
  await writeFile(path.join(dir, 'reviews', 'still.png'), tinyPng)
})

test('a folder holding far more than a build used loses the unused entries written over a day ago; younger ones stay', async () => {
  const cache = await tempDir('cache-prune-')
  const project = await makeProject({'volumes.yaml': manifest(['a.md']), 'reviews/a.md': review({title: 'A', year: 1950}, 'A review.')})
  try {
    const run = () => build({cwd: project, sourceDateEpoch: '1700000000', cache})
    await run()
    const own = (await readdir(cache, {recursive: true})).filter((name) => /\.(json|bin)$/.test(name)).sort()
    assert.ok(own.length > 0)
    // Another series' entries in the same folder: a hundred from today, a hundred from two days ago.
    const old = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000)
    await mkdir(path.join(cache, 'zz'))
    for (let i = 0; i < 100; i++) {
      await writeFile(path.join(cache, 'zz', `today-${i}.json`), '{}')
      await writeFile(path.join(cache, 'zz', `older-${i}.json`), '{}')
      await utimes(path.join(cache, 'zz', `older-${i}.json`), old, old)
    }
    // This build's own entries, however old, are what it used.
    for (const name of own) await utimes(path.join(cache, name), old, old)
    let converted = -1
    await build({cwd: project, sourceDateEpoch: '1700000000', cache, onProgress: (event) => void (event.type === 'reviews' && (converted = event.converted))})
    assert.equal(converted, 0)
    const left = (await readdir(cache, {recursive: true})).filter((name) => /\.(json|bin)$/.test(name)).sort()
    assert.deepEqual(left, [...own, ...Array.from({length: 100}, (_, i) => path.join('zz', `today-${i}.json`))].sort())
  } finally {
    await removeDir(project)
    await removeDir(cache)
  }
})

test("a session's next run after an edit writes what a fresh build writes, whether the edit changes an index (title, rating, director, tags) or only the words", async () => {
  const cache = path.join(dir, '.cache-session')
  const out = await tempDir('cache-session-')
  const session = new BuildSession({cwd: dir, out, sourceDateEpoch: '1700000000', cache})
  const file = path.join(dir, 'reviews', 'review-00011.md')
  const original = await readFile(file, 'utf8')
  const edits: Array<[string, (text: string) => string]> = [
    ['the words', (text) => text.replace(/\n\n/, '\n\nA paragraph added for this test.\n\n')],
    ['the title', (text) => text.replace(/^title: .*$/m, 'title: "Aardvark Afternoon"')],
    ['the rating', (text) => text.replace(/^rating: .*$/m, 'rating: 0.5')],
    ['the director', (text) => text.replace(/^director: .*$/m, 'director: Zelda Zylberstein')],
    ['the tags', (text) => text.replace(/^tags: .*$/m, 'tags: [thriller, noir]')]
  ]
  try {
    assert.ok((await session.run()).written)
    for (const [what, edit] of edits) {
      await writeFile(file, edit(await readFile(file, 'utf8')))
      const result = await session.run()
      assert.ok(result.written, what)
      const fresh = await books({cache})
      for (const [name, bytes] of fresh.bytes) assert.ok(bytes.equals(await readFile(path.join(out, name))), `${what}: ${name} as a fresh build writes it`)
    }
  } finally {
    await writeFile(file, original)
    await removeDir(out)
  }
})

test('a build that writes nothing (check) reads the cache but never writes it', async () => {
  const cache = path.join(dir, '.cache-check')
  const checked = await books({cache, mode: 'check'})
  assert.equal(checked.converted, size)
  await assert.rejects(readdir(cache), 'no cache folder was made')
})

test("one volume, with the other volumes' reviews read for their front matter only, is the same book as in a full build", async () => {
  const whole = await coldBooks()
  const one = await books({cache: false, volumes: [2]})
  assert.deepEqual([...one.bytes.keys()], ['synthetic-film-reviews-volume-02.epub'])
  assert.ok(one.bytes.get('synthetic-film-reviews-volume-02.epub')!.equals(whole.bytes.get('synthetic-film-reviews-volume-02.epub')!))
  assert.ok(one.converted === size, 'every review is read (front matter or whole)')
})

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47])

/** Every file under `folder`, by its path inside it. */
async function filesIn(folder: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  for (const name of (await readdir(folder, {recursive: true, withFileTypes: true})).filter((entry) => entry.isFile())) {
    const file = path.join(name.parentPath, name.name)
    files.set(path.relative(folder, file), await readFile(file))
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** Builds through the command line: a fresh process remembers no drawn cover or converted review, so the disk is all there is. */
async function cliBooks(cache: string): Promise<{bytes: Map<string, Buffer>; stderr: string}> {
  const out = await tempDir('cache-out-')
  try {
    const run = await runCli(['-q', '-o', out], dir, {BUILD_VOLUMES_CACHE: cache, SOURCE_DATE_EPOCH: '1700000000'})
    assert.equal(run.code, 0, run.stderr)
    return {bytes: await filesIn(out), stderr: run.stderr}
  } finally {
    await removeDir(out)
  }
}

/** A process id no process has now: one that has just ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''])
  return child.pid!
}

interface Damage {
  name: string
  /** Damages the filled cache (`json`: review entries, `bin`: covers, by path inside it). */
  apply(cache: string, json: string[], bin: string[]): Promise<void>
}

const replaceWith =
  (text: string) =>
  async (cache: string, [entry]: string[]) =>
    writeFile(path.join(cache, entry!), text)
const swap = async (cache: string, a: string, b: string) => {
  const [first, second] = await Promise.all([readFile(path.join(cache, a)), readFile(path.join(cache, b))])
  await Promise.all([writeFile(path.join(cache, a), second), writeFile(path.join(cache, b), first)])
}

const damages: Damage[] = [
  {
    name: 'a truncated entry',
    apply: async (cache, [entry]) => {
      const bytes = await readFile(path.join(cache, entry!))
      await writeFile(path.join(cache, entry!), bytes.subarray(0, Math.floor(bytes.length / 2)))
    }
  },
  {name: 'an entry holding `null`', apply: replaceWith('null')},
  {name: 'an entry holding `{}`', apply: replaceWith('{}')},
  {name: 'an entry holding `[]`', apply: replaceWith('[]')},
  {
    name: 'an entry without its body',
    apply: async (cache, [entry]) => {
      const text = await readFile(path.join(cache, entry!), 'utf8')
      // The stored form is a header line, then the body; with one line only, drop what holds the review.
      const cut = text.includes('\n') ? text.slice(0, text.indexOf('\n') + 1) : text.replace(/"compiled":\{.*\},"probes"/, '"probes"')
      await writeFile(path.join(cache, entry!), cut)
    }
  },
  {
    name: 'an entry whose review text was changed',
    apply: async (cache, [entry]) => {
      const text = await readFile(path.join(cache, entry!), 'utf8')
      await writeFile(path.join(cache, entry!), text.replace(/<p>/, '<p>A sentence the review never had. '))
    }
  },
  {name: 'two entries swapped', apply: (cache, [a, b]) => swap(cache, a!, b!)},
  {name: 'two covers swapped', apply: (cache, _json, [a, b]) => swap(cache, a!, b!)},
  {name: 'an empty cover', apply: (cache, _json, [cover]) => writeFile(path.join(cache, cover!), '')},
  {name: 'a cover of garbage', apply: (cache, _json, [cover]) => writeFile(path.join(cache, cover!), 'GIF89a, or so it says; then noise \u0000\u0001\u0002')},
  {name: 'a temporary file a killed build left', apply: (cache, [entry]) => writeFile(path.join(cache, `${entry!}.${deadPid()}.tmp`), '{"compiled":')}
]

test(
  'a damaged cache is never believed: each kind of damage gives the books of a build without the cache, and the entry is written again',
  {timeout: 600_000},
  async () => {
    const cache = path.join(dir, '.cache-damage')
    await rm(cache, {recursive: true, force: true})
    const reference = (await cliBooks('off')).bytes
    assert.equal(reference.size, 3)
    assert.deepEqual((await cliBooks(cache)).bytes, reference, 'the build that fills the cache')
    const pristine = await filesIn(cache)
    const json = [...pristine.keys()].filter((name) => name.endsWith('.json'))
    // Drawn covers; the other blob is the record of the last books (reuse.ts), the last test's business.
    const bin = [...pristine].filter(([name, bytes]) => name.endsWith('.bin') && bytes.includes(pngSignature)).map(([name]) => name)
    assert.equal(json.length, size, 'one entry per review')
    assert.equal(bin.length, 3, 'one drawn cover per book')
    // A temporary file of a build still running is left alone.
    const live = `${json[2]!}.${process.pid}.tmp`
    for (const damage of damages) {
      await rm(cache, {recursive: true, force: true})
      for (const [name, bytes] of pristine) {
        await mkdir(path.dirname(path.join(cache, name)), {recursive: true})
        await writeFile(path.join(cache, name), bytes)
      }
      await writeFile(path.join(cache, live), '{"compiled":')
      await damage.apply(cache, json, bin)
      const damaged = await filesIn(cache)
      assert.notDeepEqual(damaged, new Map([...pristine, [live, Buffer.from('{"compiled":')]]), `${damage.name}: the damage is real`)
      const rebuilt = await cliBooks(cache)
      assert.equal(rebuilt.stderr, '', `${damage.name}: nothing to report`)
      assert.deepEqual(rebuilt.bytes, reference, `${damage.name}: the books are the same as without the cache`)
      const after = await filesIn(cache)
      assert.ok(after.has(live), `${damage.name}: a live build's temporary file stays`)
      after.delete(live)
      assert.deepEqual([...after.keys()], [...pristine.keys()], `${damage.name}: the same entries, and no temporary file of a dead build`)
      for (const [name, bytes] of pristine) assert.ok(after.get(name)!.equals(bytes), `${damage.name}: ${name} is whole again`)
    }
  }
)

test('a cache folder that cannot be used is a warning on the manifest, and the build goes on without it', {timeout: 300_000}, async () => {
  // A small series: the point is the folder, not the reviews.
  const project = await makeProject({
    'volumes.yaml': manifest(['a.md', 'b.md']),
    'reviews/a.md': review({title: 'Alpha'}, 'The first review.'),
    'reviews/b.md': review({title: 'Beta'}, 'The second review.')
  })
  const buildSmall = async (options: BuildOptions, env: Record<string, string> = {}) => {
    const out = path.join(project, 'out')
    const saved = {...process.env}
    Object.assign(process.env, env)
    try {
      const result = await build({cwd: project, out, sourceDateEpoch: '1700000000', ...options})
      const bytes = result.written ? await filesIn(out) : new Map<string, Buffer>()
      return {bytes, messages: result.files.flatMap((file) => file.messages)}
    } finally {
      process.env = saved
      await removeDir(path.join(project, 'out'))
    }
  }
  try {
    const reference = (await buildSmall({cache: false})).bytes
    assert.equal(reference.size, 1)
    const file = path.join(project, 'a-file')
    await writeFile(file, 'Not a folder.\n')
    const locations: Array<[string, string]> = [
      [file, 'it is a file, not a folder'],
      [path.join(file, 'cache'), 'part of the path is a file, not a folder (ENOTDIR)'],
      // Node's own recursive mkdir loops forever here.
      ['/proc/build-volumes-cache', 'no folder can be made there (ENOENT)'],
      ['/proc', 'no file can be written in it (ENOENT)']
    ]
    // Root writes in any folder, whatever its mode (CI runs as root).
    if (process.getuid?.() !== 0) {
      const readOnly = path.join(project, 'read-only')
      await mkdir(readOnly)
      await chmod(readOnly, 0o555)
      locations.push([readOnly, 'no file can be written in it: permission denied (EACCES)'], [path.join(readOnly, 'cache'), 'permission denied (EACCES)'])
    }
    for (const [location, why] of locations) {
      for (const [how, options, env] of [
        ['the cache option', {cache: location}, {}],
        ['BUILD_VOLUMES_CACHE', {}, {BUILD_VOLUMES_CACHE: location}]
      ] as const) {
        const {bytes, messages} = await buildSmall(options, env)
        assert.deepEqual(
          messages.map((message) => message.ruleId),
          ['cache-unusable'],
          `${location} through ${how}`
        )
        const [message] = messages
        assert.equal(message!.fatal, false, 'a warning')
        assert.equal(message!.file, 'volumes.yaml')
        // Named as the author would write it: inside the project, relative to it.
        const shown = location.startsWith(`${project}/`) ? path.relative(project, location) : location
        assert.ok(message!.reason.startsWith(`The cache folder \`${shown}\` cannot be used: ${why};`), message!.reason)
        assert.deepEqual(bytes, reference, `${location} through ${how}: the books of a build without the cache`)
      }
    }
    assert.equal(await readFile(file, 'utf8'), 'Not a folder.\n', 'the file in the way is left as it was')
    // A build that only reads (check) warns about a file in the way, but not about a folder it would have to make.
    assert.deepEqual(
      (await buildSmall({cache: file, mode: 'check'})).messages.map((message) => message.ruleId),
      ['cache-unusable']
    )
    assert.deepEqual((await buildSmall({cache: '/proc/build-volumes-cache', mode: 'check'})).messages, [])
  } finally {
    await removeDir(project)
  }
})

test('a book the last build wrote, unchanged, is taken from the output folder, with the messages its rendering gave', async () => {
  const twoVolumes = `${manifest(['a.md', 'b.md'])}  - number: 2\n    title: Second\n    reviews:\n      - c.md\ncollection:\n  title: All of It\n`
  const huge = await readFile(path.join(fixturesDir, 'cases', 'image-size-once', 'reviews', 'huge.png'))
  const project = await makeProject({
    'volumes.yaml': twoVolumes,
    // An image over a store's limit: a warning found while the books are rendered, which a
    // build that does not render them must still give. Both volumes show it, and each run
    // reports it once, for the first book that has it.
    'reviews/a.md': review({title: 'Alpha'}, 'The first review.\n\n![A still](huge.png)\n'),
    'reviews/b.md': review({title: 'Beta'}, 'The second review.'),
    'reviews/c.md': review({title: 'Gamma'}, 'The third review.\n\n![The same still](huge.png)\n\n![A map](map.svg)\n'),
    'reviews/huge.png': huge,
    // An SVG with a script: the image reader's warning, reported once at its place however many
    // books show it, whether the second volume is taken or made.
    'reviews/map.svg':
      '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><script>alert(1)</script><rect width="120" height="80" fill="#e8e0c8"/></svg>'
  })
  const out = path.join(project, 'out')
  const cache = path.join(project, 'cache')
  const books = ['test-series-volume-01.epub', 'test-series-volume-02.epub', 'test-series-collection.epub']
  /** Every message with its file, place, rule, severity and note: what a report shows. */
  const placed = (files: readonly VFile[]) =>
    files.flatMap((file) =>
      file.messages.map((message) => [file.path, message.line, message.column, message.ruleId, message.fatal, message.reason, message.note].join('|'))
    )
  const run = async (options: BuildOptions = {}) => {
    const result = await build({cwd: project, out, cache, sourceDateEpoch: '1700000000', ...options})
    return {
      written: result.written,
      bytes: await filesIn(out),
      rebuilt: result.outputs.map((output) => output.rebuilt),
      outputs: result.outputs.map(({ms: _ms, rebuilt: _rebuilt, ...output}) => output),
      messages: placed(result.files)
    }
  }
  /** The books and messages of a build without the cache, into a folder of its own. */
  const cold = async () => {
    const elsewhere = await tempDir('cache-cold-')
    try {
      const result = await build({cwd: project, out: elsewhere, cache: false, sourceDateEpoch: '1700000000'})
      return {
        bytes: await filesIn(elsewhere),
        messages: placed(result.files)
      }
    } finally {
      await removeDir(elsewhere)
    }
  }
  /** The records of the last books: the entries in the cache that are neither a review nor a drawn cover. */
  const records = async () => {
    const found: string[] = []
    for (const [name, bytes] of await filesIn(cache)) if (name.endsWith('.bin') && !bytes.includes(pngSignature)) found.push(path.join(cache, name))
    assert.equal(found.length, 3, 'one record a book')
    return found
  }
  try {
    const first = await run()
    assert.deepEqual(first.rebuilt, [true, true, true])
    assert.deepEqual([...first.bytes.keys()].sort(), [...books].sort())
    assert.equal(first.messages.filter((message) => message.includes('|image-size|')).length, 1, first.messages.join('\n'))
    assert.equal(first.messages.filter((message) => message.includes('|unsafe-svg|')).length, 1, first.messages.join('\n'))
    assert.deepEqual(first, {...first, ...(await cold())}, 'the same books and messages as a build without the cache')
    const again = await run()
    assert.deepEqual(again.rebuilt, [false, false, false], 'taken from the output folder')
    assert.equal(again.written, true)
    assert.deepEqual(again.bytes, first.bytes)
    assert.deepEqual(again.outputs, first.outputs)
    assert.deepEqual(again.messages, first.messages, 'the same messages, at the same places')
    // The warnings still count: under --strict, no build writes.
    const strict = await run({strict: true})
    assert.equal(strict.written, false)
    assert.deepEqual(strict.messages, first.messages)

    // A book in the folder that is not the one the last build wrote is made again; the others are taken.
    const volume = path.join(out, books[0]!)
    await writeFile(volume, Buffer.concat([first.bytes.get(books[0]!)!, Buffer.from([0])]))
    const mended = await run()
    assert.deepEqual(mended.rebuilt, [true, false, false])
    assert.deepEqual(mended.bytes, first.bytes)
    assert.deepEqual(mended.messages, first.messages, 'the image is reported once, by the volume made again')
    await rm(path.join(out, books[2]!))
    assert.deepEqual((await run()).rebuilt, [false, false, true], 'a book that has gone')
    assert.deepEqual((await run()).rebuilt, [false, false, false])

    // Damaged records are not believed, and are written again.
    for (const damage of ['', 'not json', '{"sha256":"0","checkedBefore":[],"messages":[]}', '{"books":[]}', 'null', '[]']) {
      for (const record of await records()) await writeFile(record, damage)
      const rebuilt = await run()
      assert.deepEqual(rebuilt.rebuilt, [true, true, true], JSON.stringify(damage))
      assert.deepEqual(rebuilt.bytes, first.bytes)
      assert.deepEqual(rebuilt.messages, first.messages)
      assert.deepEqual((await run()).rebuilt, [false, false, false], `${JSON.stringify(damage)}: the records are whole again`)
    }

    // An edited review: its volume and the collection are made again, the other volume is taken.
    const edited = path.join(project, 'reviews', 'b.md')
    const text = await readFile(edited, 'utf8')
    await writeFile(edited, text.replace('The second review.', 'The second review, edited.'))
    const changed = await run()
    assert.deepEqual(changed.rebuilt, [true, false, true])
    assert.deepEqual(changed, {...changed, ...(await cold())})
    await writeFile(edited, text)
    // Back as it was: the books in the folder are not those of their records, so they are made.
    assert.deepEqual((await run()).rebuilt, [true, false, true])
    const back = await run()
    assert.deepEqual(back.rebuilt, [false, false, false])
    assert.deepEqual(back.bytes, first.bytes)

    // The first volume no longer shows the image: the second, unchanged, must now report it, so
    // it is made again rather than taken with a record that says the image was checked before it.
    const alpha = path.join(project, 'reviews', 'a.md')
    const alphaText = await readFile(alpha, 'utf8')
    await writeFile(alpha, alphaText.replace('![A still](huge.png)\n', ''))
    const moved = await run()
    assert.deepEqual(moved.rebuilt, [true, true, true])
    assert.deepEqual(moved, {...moved, ...(await cold())})
    assert.ok(moved.messages.some((message) => message.startsWith('reviews/c.md|') && message.includes('|image-size|')))
    assert.deepEqual((await run()).rebuilt, [false, false, false])
    await writeFile(alpha, alphaText)

    // Builds that do more than write the books always render them: the store kit.
    assert.deepEqual((await run({kit: true})).rebuilt, [true, true, true])
  } finally {
    await removeDir(project)
  }
})
