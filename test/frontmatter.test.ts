// Review front matter and publication dates: what is read, what is ignored, what warns,
// and that a date is a calendar day in every time zone.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {VFile} from 'vfile'
import {formatIsoDate, formatLongDate, parseCalendarDate} from '../src/shared/dates.js'
import {createProcessor} from '../src/review/processor.js'
import type {FieldMap, RatingScale} from '../src/model.js'
import {parseRating} from '../src/shared/ratings.js'

async function meta(source: string, options: {fields?: FieldMap; drafts?: boolean; ratingScale?: RatingScale} = {}) {
  const processor = createProcessor({language: 'en-GB', sites: [], root: '/', exists: () => true, assetName: (file) => file, ...options})
  const file = new VFile({path: 'reviews/x.md', value: source, cwd: '/'})
  await processor.run(processor.parse(file), file)
  return {
    meta: file.data.meta,
    messages: file.messages.map((m) => `${m.line}:${m.column} ${m.fatal ? 'error' : m.fatal === false ? 'warning' : 'info'} ${m.ruleId}: ${m.reason}`)
  }
}

test('dates: ISO, with a time and offset, and English long forms are read as written', () => {
  const cases: Array<[string, string | undefined]> = [
    ['2022-12-21', '2022-12-21'],
    ['2025-10-30 00:37:58+09:00', '2025-10-30'],
    ['2025-10-30T23:59:59-08:00', '2025-10-30'],
    ['2025-10-30T10:00:00Z', '2025-10-30'],
    ['21st December 2022', '2022-12-21'],
    ['21 December 2022', '2022-12-21'],
    ['2nd Feb 2020', '2020-02-02'],
    ['December 21, 2022', '2022-12-21'],
    ['Dec 21 2022', '2022-12-21'],
    ['Sept. 3, 2019', '2019-09-03'],
    ['29 February 2024', '2024-02-29'],
    ['29 February 2023', undefined],
    ['2023-02-30', undefined],
    ['2023-13-01', undefined],
    ['Smarch 3, 2020', undefined],
    ['last Tuesday', undefined],
    ['', undefined]
  ]
  for (const [text, expected] of cases) {
    const date = parseCalendarDate(text)
    const iso = date && `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`
    assert.equal(iso, expected, `"${text}"`)
  }
})

test('dates at the edges of the calendar: every year from 0000 to 9999 as written, and the Gregorian leap years', () => {
  const cases: Array<[string, string | undefined]> = [
    ['0000-01-01', '0000-01-01'],
    ['0099-05-05', '0099-05-05'],
    ['0100-03-01', '0100-03-01'],
    ['1899-12-31', '1899-12-31'],
    ['9999-12-31', '9999-12-31'],
    ['1900-02-29', undefined],
    ['2000-02-29', '2000-02-29'],
    ['0000-02-29', '0000-02-29'],
    ['0004-02-29', '0004-02-29'],
    ['0100-02-29', undefined],
    ['29 February 0004', '0004-02-29'],
    ['February 29, 1900', undefined]
  ]
  for (const [text, expected] of cases) {
    const date = parseCalendarDate(text)
    assert.equal(date && formatIsoDate(date), expected, `"${text}"`)
  }
  const long = (text: string, language = 'en-GB') => formatLongDate(parseCalendarDate(text)!, language)
  assert.equal(long('0000-01-01'), '1 January 0000', 'not 1900, and not 1 BC written as "1"')
  assert.equal(long('0099-05-05'), '5 May 0099', 'not 1999')
  assert.equal(long('0099-05-05', 'en-US'), 'May 5, 0099')
  assert.equal(long('0100-03-01'), '1 March 0100')
  assert.equal(long('1899-12-31'), '31 December 1899')
  assert.equal(long('9999-12-31'), '31 December 9999')
  assert.equal(long('0000-02-29'), '29 February 0000')
  assert.equal(long('2000-02-29', 'en-US'), 'February 29, 2000')
})

test('a review first published in year 0099 says so in its heading block, not 1999', async () => {
  const processor = createProcessor({language: 'en-GB', sites: [], root: '/', exists: () => true, assetName: (file) => file})
  const file = new VFile({path: 'reviews/x.md', value: '---\ntitle: Her\npublished: 0099-05-05\n---\n\nBody.\n', cwd: '/'})
  const html = processor.stringify((await processor.run(processor.parse(file), file)) as never)
  assert.match(html, /<p class="review-published">First published 5 May 0099<\/p>/)
})

test('a review reads title, year, directors, rating, date and tags', async () => {
  const {meta: m, messages} = await meta(
    '---\ntitle: Her\nyear: 2013\ndirector: [Spike Jonze]\nrating: 4.5\npublished: "December 21, 2022"\ntags: [romance, science fiction]\n---\n\nBody.\n'
  )
  assert.deepEqual(messages, [])
  assert.deepEqual(m, {
    title: 'Her',
    year: 2013,
    directors: ['Spike Jonze'],
    rating: 4.5,
    published: {year: 2022, month: 12, day: 21},
    tags: ['romance', 'science fiction'],
    draft: false
  })
})

test('keys from blog exports are ignored; near-misses of known keys warn at their line', async () => {
  const {meta: m, messages} = await meta('---\ntitle: Her\nlayout: post\ncategories: [film]\ndraft: false\npermalink: /her/\nratng: 4\n---\n\nBody.\n')
  assert.equal(m?.title, 'Her')
  assert.deepEqual(messages, ['7:1 warning frontmatter-key-typo: Unknown front matter key `ratng` is ignored; did you mean `rating`?'])
})

test('empty values are absent, never "null"; a numeric title keeps its digits', async () => {
  const {meta: m, messages} = await meta('---\ntitle: 1917\nrating:\nyear:\ndirector:\n---\n')
  assert.deepEqual(messages, [])
  assert.deepEqual(m, {title: '1917', year: undefined, directors: [], rating: undefined, published: undefined, tags: [], draft: false})
})

test('a thematic break later in the body stays a scene break, not front matter', async () => {
  const {meta: m, messages} = await meta('---\ntitle: Her\n---\n\nOne.\n\n---\n\nTwo.\n')
  assert.deepEqual(messages, [])
  assert.equal(m?.title, 'Her')
})

test('problems carry the exact line and column inside the file', async () => {
  const {messages} = await meta('---\ntitle: Her\nyear: 20013\nrating: five\npublished: 2020-02-31\n---\n')
  assert.deepEqual(
    messages.map((m) => m.split(':').slice(0, 2).join(':')),
    ['3:7 error invalid-frontmatter', '4:9 error invalid-frontmatter', '5:12 error invalid-date']
  )
})

test("`fields` maps an archive's own keys to ours, and our keys still work where the archive has none", async () => {
  const fields: FieldMap = {title: 'name', published: 'date', director: 'directors'}
  const jekyll = await meta('---\nname: Paris, Texas\ndate: 2019-03-02 10:00:00 +0100\ndirectors: Wim Wenders\nyear: 1984\n---\n\nBody.\n', {fields})
  assert.deepEqual(jekyll.messages, [])
  assert.deepEqual(jekyll.meta, {
    title: 'Paris, Texas',
    year: 1984,
    directors: ['Wim Wenders'],
    rating: undefined,
    published: {year: 2019, month: 3, day: 2},
    tags: [],
    draft: false
  })
  const plain = await meta('---\ntitle: Ran\npublished: 2020-01-01\n---\n\nBody.\n', {fields})
  assert.equal(plain.meta?.title, 'Ran')
  const wrong = await meta('---\nname: 1917\ndate: soon\n---\n\nBody.\n', {fields})
  assert.deepEqual(wrong.messages, ['3:7 error invalid-date: `date` is not a date this tool can read: string `soon`'])
})

test('a review without a title names the keys it has and suggests the `fields` mapping', async () => {
  const {messages} = await meta('---\nfilm: Ran\ndate: 2020-01-01\nlayout: post\n---\n\nBody.\n')
  assert.deepEqual(messages, ['1:1 error missing-title: The review has no `title`; its front matter has `film`, `date`, `layout`'])
  const mapped = await meta('---\nheadline: Ran\n---\n\nBody.\n', {fields: {title: 'name'}})
  assert.deepEqual(mapped.messages, [
    '1:1 error missing-title: The review has no `name` (which `fields` maps to `title`) or `title`; its front matter has `headline`'
  ])
})

test("drafts: `draft: true`, YAML 1.1 `yes` and Jekyll's `published: false` are drafts, each with a notice", async () => {
  for (const [line, place] of [
    ['draft: true', '3:8'],
    ['draft: yes', '3:8'],
    ['published: false', '3:12']
  ] as const) {
    const left = await meta(`---\ntitle: Ran\n${line}\n---\n\nBody.\n`)
    assert.equal(left.meta?.draft, true, line)
    assert.equal(left.meta?.published, undefined, line)
    assert.deepEqual(
      left.messages,
      [`${place} info draft-review: This review is a draft, so it is left out of the books; build with \`--drafts\` to include it`],
      line
    )
    const kept = await meta(`---\ntitle: Ran\n${line}\n---\n\nBody.\n`, {drafts: true})
    assert.deepEqual(kept.messages, [`${place} info draft-review: This review is a draft; it is included because of \`--drafts\``], line)
  }
  const notDraft = await meta('---\ntitle: Ran\ndraft: false\n---\n\nBody.\n')
  assert.deepEqual([notDraft.meta?.draft, notDraft.messages], [false, []])
  const odd = await meta('---\ntitle: Ran\ndraft: maybe\n---\n\nBody.\n')
  assert.deepEqual(odd.messages, ['3:8 error invalid-frontmatter: `draft` must be `true` or `false`, got string `maybe`'])
})

test('ratings as archives write them: letter grades, stars, fractions, and numbers on the scale `ratings:` names', () => {
  const cases: Array<[string | number, 5 | 10 | 100, number | undefined]> = [
    [4.5, 5, 4.5],
    [8, 10, 4],
    [85, 100, 4.25],
    [8, 5, undefined],
    [-1, 5, undefined],
    ['A+', 5, 5],
    ['a-', 5, 4.5],
    ['B−', 5, 3],
    ['C', 5, 2.5],
    ['F', 5, 0],
    ['★★★½', 5, 3.5],
    ['★★★☆☆', 5, 3],
    ['★★★½☆', 5, 3.5],
    ['★★★☆', 5, undefined],
    ['***1/2', 5, 3.5],
    ['½', 5, 0.5],
    ['7/10', 5, 3.5],
    ['85 / 100', 5, 4.25],
    ['4 out of 5', 5, 4],
    ['11/10', 5, undefined],
    ['7', 10, 3.5],
    ['G', 5, undefined],
    ['constructor', 5, undefined],
    ['', 5, undefined]
  ]
  for (const [value, scale, expected] of cases) assert.equal(parseRating(value, scale), expected, `${JSON.stringify(value)} out of ${scale}`)
})

test('front matter: a rating in any form an archive uses is read; one that is none of them names the forms that work', async () => {
  assert.equal((await meta('---\ntitle: Ran\nrating: A-\n---\n\nBody.\n')).meta?.rating, 4.5)
  assert.equal((await meta('---\ntitle: Ran\nrating: "★★★★½"\n---\n\nBody.\n')).meta?.rating, 4.5)
  assert.equal((await meta('---\ntitle: Ran\nrating: 90\n---\n\nBody.\n', {ratingScale: 100})).meta?.rating, 4.5)
  const wrong = await meta('---\ntitle: Ran\nrating: 9\n---\n\nBody.\n')
  assert.equal(wrong.meta?.rating, undefined)
  assert.match(
    wrong.messages.join('\n'),
    /^3:9 error invalid-frontmatter: `rating` must be a rating from 0 to 5, a letter grade, stars or a fraction, got number `9`/m
  )
})

test('front matter: `source` keeps where the review was first published; anything but a web address warns and is ignored', async () => {
  assert.equal((await meta('---\ntitle: Ran\nsource: https://medium.com/@m/ran-1985-1a2b\n---\n\nBody.\n')).meta?.source, 'https://medium.com/@m/ran-1985-1a2b')
  const wrong = await meta('---\ntitle: Ran\nsource: my blog\n---\n\nBody.\n')
  assert.equal(wrong.meta?.source, undefined)
  assert.match(wrong.messages.join('\n'), /^3:9 warning invalid-frontmatter: `source` must be the web address/m)
})

test('a review read for its front matter only gives the meta and messages the parser gives: every review in the fixtures and the sample, and the edge cases of a fence', async () => {
  const {compileSource} = await import('../src/review/compile.js')
  const {frontMatterHead, frontMatterTree} = await import('../src/review/head.js')
  const {serialMessages} = await import('../src/shared/diagnostics.js')
  const {readdir, readFile} = await import('node:fs/promises')
  const path = await import('node:path')
  const {fixturesDir, repoRoot} = await import('./helpers/project.js')
  const texts: string[] = [
    '---\ntitle: X\n---\n',
    '---  \ntitle: X\n\n---\t\nThe review.',
    '---\n---\n',
    '---\n---',
    '---\ntitle: A\nyear: 1950\n---',
    '\uFEFF---\ntitle: A\n---\n',
    '---\r\ntitle: A\r\n---\r\n',
    '----\ntitle: A\n---\n',
    '---\n  ---\ntitle: A\n---\n',
    '---\ntitle: A\n ---\n---\n',
    '---\ntitle: [unclosed\nyear: 19x0\n---\n',
    '---\ntitle: A\ntitle: B\n---\n',
    '---\n\ttitle: A\n---\n',
    '---\ntitle: A\n',
    'title: A\n---\n'
  ]
  for (const folder of [fixturesDir, path.join(repoRoot, 'reviews')]) {
    for (const entry of await readdir(folder, {recursive: true, withFileTypes: true})) {
      if (entry.isFile() && entry.name.endsWith('.md')) texts.push(await readFile(path.join(entry.parentPath, entry.name), 'utf8'))
    }
  }
  const options = {language: 'en-GB', sites: [], root: '/', exists: () => true, assetName: (file: string) => file}
  const processor = createProcessor({...options, kind: 'meta'})
  const parser = createProcessor({...options, kind: 'meta'})
  let made = 0
  for (const text of texts) {
    const head = frontMatterHead(text)
    const tree = frontMatterTree(head)
    if (tree) {
      made++
      assert.deepEqual(tree, parser.parse(head), JSON.stringify(head))
    }
    // And the whole step, messages and places included, against the parser's tree.
    const fast = compileSource(processor, text, 'reviews/x.md', '/', 'meta')
    const file = new VFile({path: 'reviews/x.md', cwd: '/', value: head})
    parser.runSync(parser.parse(file), file)
    assert.deepEqual(fast.meta, file.data.meta, JSON.stringify(head))
    assert.deepEqual(fast.messages, serialMessages(file), JSON.stringify(head))
  }
  assert.ok(texts.length > 100 && made > texts.length * 0.8, `${made} of ${texts.length} heads made without the parser`)
})
