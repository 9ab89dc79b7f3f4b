// Reproducible output: the same inputs and SOURCE_DATE_EPOCH give byte-identical EPUBs,
// whatever the time zone and however often it runs; without SOURCE_DATE_EPOCH the date is
// the newest input's, never the clock.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {readFile, readdir, utimes} from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'
import {after, before, test} from 'node:test'
import {readEpub} from './helpers/epub.js'
import {copySample, removeDir, repoRoot, tempDir} from './helpers/project.js'

const run = promisify(execFile)
const bin = path.join(repoRoot, 'bin', 'build-volumes.js')

async function buildIn(cwd: string, env: Record<string, string>): Promise<Map<string, Buffer>> {
  const out = await tempDir('det-')
  const base: NodeJS.ProcessEnv = {...process.env, ...env}
  if (!('SOURCE_DATE_EPOCH' in env)) delete base.SOURCE_DATE_EPOCH
  await run(process.execPath, [bin, '-q', '-o', out], {cwd, env: base})
  const books = new Map<string, Buffer>()
  for (const name of await readdir(out)) books.set(name, await readFile(path.join(out, name)))
  await removeDir(out)
  return books
}

let sample: string
before(async () => {
  sample = await copySample()
})
after(async () => removeDir(sample))

test('two builds in different time zones write byte-identical books', async () => {
  const utc = await buildIn(sample, {SOURCE_DATE_EPOCH: '1700000000', TZ: 'UTC'})
  for (const zone of ['America/Los_Angeles', 'Asia/Tokyo']) {
    const other = await buildIn(sample, {SOURCE_DATE_EPOCH: '1700000000', TZ: zone})
    assert.deepEqual([...other.keys()].sort(), [...utc.keys()].sort())
    for (const [name, bytes] of utc) assert.ok(bytes.equals(other.get(name)!), `${name} is identical under TZ=${zone}`)
  }
})

test('without SOURCE_DATE_EPOCH, dcterms:modified is the newest input file time, and rebuilds are identical', async () => {
  const stamp = new Date('2024-05-06T07:08:09Z')
  for (const file of await readdir(path.join(sample, 'reviews'), {recursive: true})) await utimes(path.join(sample, 'reviews', file), stamp, stamp)
  await utimes(path.join(sample, 'volumes.yaml'), stamp, stamp)
  const first = await buildIn(sample, {})
  const second = await buildIn(sample, {})
  for (const [name, bytes] of first) assert.ok(bytes.equals(second.get(name)!), `${name} rebuilt identically`)
  const opf = await (await readEpub(first.get('essential-film-reviews-volume-03.epub')!)).text('OEBPS/content.opf')
  assert.match(opf, /<meta property="dcterms:modified">2024-05-06T07:08:09Z<\/meta>/)
  const copyright = await (await readEpub(first.get('essential-film-reviews-volume-03.epub')!)).text('OEBPS/copyright.xhtml')
  assert.match(copyright, /This edition published in 2024 by Lanternlight Press\./, 'the copyright page gives the year of that date')
})
