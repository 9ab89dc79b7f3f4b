// File names come from the series name, never from a path the author typed: whatever the
// name holds (slashes, dots, device names, 300 characters, only emoji), the book's file name
// is short, plain ASCII and stays inside the output folder.
import assert from 'node:assert/strict'
import path from 'node:path'
import {test} from 'node:test'
import {chapterFileName, collectionFileName, volumeFileName} from '../src/shared/names.js'

test('series names that would make unsafe file names give safe ones', () => {
  const cases: Array<[string, string]> = [
    ['AC/DC', 'ac-dc-volume-01.epub'],
    ['../x', 'x-volume-01.epub'],
    ['CON', 'con-volume-01.epub'],
    ['🎬🎞️', 'series-volume-01.epub'],
    ['Amélie & Co.', 'amelie-co-volume-01.epub'],
    ['..', 'series-volume-01.epub'],
    ['C:\\Windows\\System32', 'c-windows-system32-volume-01.epub']
  ]
  for (const [series, expected] of cases) assert.equal(volumeFileName(series, 1), expected, series)
  const long = volumeFileName('x'.repeat(300), 7)
  assert.ok(long.length <= 80, `${long.length} characters`)
  for (const name of [...cases.map(([series]) => series), 'x'.repeat(300)].flatMap((series) => [volumeFileName(series, 3), collectionFileName(series)])) {
    assert.match(name, /^[a-z0-9][a-z0-9-]*\.epub$/, name)
    assert.equal(path.basename(name), name, 'no folder part')
  }
  assert.match(chapterFileName('../../etc/passwd.md'), /^review-[a-z0-9-]+\.xhtml$/)
})
