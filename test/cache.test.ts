// The fast paths write exactly what a cold build writes: reviews converted on worker threads
// or on the main thread, taken from the content-hash cache or converted afresh. And the cache
// misses exactly what it must: an edited review, a changed setting, a missing image.
import assert from 'node:assert/strict'
import {readdir, readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {after, before, test} from 'node:test'
import {build, type BuildOptions} from '../src/index.js'
import {workerThreshold} from '../src/review-jobs.js'
import {generate} from './bench/generate.js'
import {removeDir, tempDir, tinyPng} from './helpers/project.js'

let dir = ''
const size = 60

before(async () => {
  dir = await tempDir('cache-')
  await generate(dir, size)
  // One review shows an image, so a cached result can depend on a file that may go.
  const withImage = path.join(dir, 'reviews', 'review-00002.md')
  await writeFile(withImage, `${await readFile(withImage, 'utf8')}\n![A still from the film](still.png)\n`)
  await writeFile(path.join(dir, 'reviews', 'still.png'), tinyPng)
})

after(async () => {
  await removeDir(dir)
})

/** Builds into a fresh folder; returns each book's bytes and how many reviews were converted. */
async function books(options: BuildOptions, env: Record<string, string> = {}): Promise<{bytes: Map<string, Buffer>; converted: number; rules: string[]}> {
  const out = await tempDir('cache-out-')
  const saved = {...process.env}
  Object.assign(process.env, env)
  let converted = -1
  try {
    const result = await build({cwd: dir, out, sourceDateEpoch: '1700000000', ...options, onProgress: (event) => void (event.type === 'reviews' && (converted = event.converted))})
    const bytes = new Map<string, Buffer>()
    if (result.written) for (const name of (await readdir(out)).sort()) bytes.set(name, await readFile(path.join(out, name)))
    return {bytes, converted, rules: result.files.flatMap((file) => file.messages.map((message) => message.ruleId ?? '')).sort()}
  } finally {
    process.env = saved
    await removeDir(out)
  }
}

test(`${size} reviews (more than ${workerThreshold}) convert on worker threads into the same books as on one thread`, async () => {
  const threads = await books({cache: false})
  const single = await books({cache: false}, {BUILD_VOLUMES_WORKERS: '0'})
  assert.equal(threads.bytes.size, 8)
  assert.deepEqual(threads.bytes, single.bytes)
  assert.equal(threads.converted, size)
})

test('a build from the content-hash cache writes the same bytes as a cold build, and misses exactly what changed', async () => {
  const cache = path.join(dir, '.build-volumes-cache')
  await rm(cache, {recursive: true, force: true})
  const cold = await books({cache: false})
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

test('a build that writes nothing (check) reads the cache but never writes it', async () => {
  const cache = path.join(dir, '.cache-check')
  const checked = await books({cache, write: false})
  assert.equal(checked.converted, size)
  await assert.rejects(readdir(cache), 'no cache folder was made')
})

test('one volume, with the other volumes\' reviews read for their front matter only, is the same book as in a full build', async () => {
  const whole = await books({cache: false})
  const one = await books({cache: false, volumes: [3]})
  assert.deepEqual([...one.bytes.keys()], ['synthetic-film-reviews-volume-03.epub'])
  assert.ok(one.bytes.get('synthetic-film-reviews-volume-03.epub')!.equals(whole.bytes.get('synthetic-film-reviews-volume-03.epub')!))
  assert.ok(one.converted === size, 'every review is read (front matter or whole)')
})
