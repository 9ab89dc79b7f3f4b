// The Letterboxd reader on the export fixture and on small hand-made exports: one post per
// review row of the root `reviews.csv` (never `deleted/` or `orphaned/`), read by column name,
// with the film, rating, rewatch and dates; the review's HTML subset as paragraphs; every word
// kept; broken rows and files as positioned messages.
import assert from 'node:assert/strict'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {test} from 'node:test'
import {VFile} from 'vfile'
import {openArchive} from '../src/import/archive.js'
import {parseCsv} from '../src/import/csv.js'
import {letterboxd} from '../src/import/sources/letterboxd.js'
import type {Archive, ImportedPost} from '../src/import/types.js'
import {fixturesDir, makeProject, removeDir} from './helpers/project.js'
import {shape, text} from './helpers/post-words.js'

const fixture = path.join(fixturesDir, 'import', 'letterboxd')
const header = 'Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date'

async function open(location: string): Promise<Archive> {
  const archive = await openArchive(location, new VFile({path: path.basename(location)}))
  assert.ok(archive, 'the export opens')
  return archive
}

async function readFolder(files: Record<string, string>) {
  const dir = await makeProject(files)
  try {
    const archive = await open(dir)
    const result = await letterboxd.read(archive)
    const messages = [...archive.file.messages, ...archive.opened.flatMap((file) => file.messages)].map((message) => ({
      text: `${message.line ?? ''}:${message.column ?? ''} ${message.reason}`,
      ruleId: message.ruleId,
      fatal: message.fatal
    }))
    return {...result, messages}
  } finally {
    await removeDir(dir)
  }
}

function words(value: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const word of value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1)
  return counts
}

test('every review row of the root reviews.csv is a post with its film, rating, rewatch, dates, tags and entry link', async () => {
  const {posts} = await letterboxd.read(await open(fixture))
  const summary = posts.map((post) => ({
    key: post.key,
    kind: post.kind,
    draft: post.draft,
    paid: post.paid,
    title: post.title,
    published: post.published,
    watched: post.watched,
    url: post.url,
    slug: post.slug,
    aliases: post.aliases,
    tags: post.tags,
    film: post.film,
    rating: post.rating,
    rewatch: post.rewatch,
    origin: post.origin,
    notes: post.notes
  }))
  const row = (
    key: string,
    title: string,
    year: number,
    published: string,
    watched: string,
    rating: number,
    rewatch: boolean,
    tags: string[],
    line: number
  ) => {
    const day = (iso: string) => {
      const [y, m, d] = iso.split('-').map(Number)
      return {year: y, month: m, day: d}
    }
    return {
      key,
      kind: 'post',
      draft: false,
      paid: false,
      title: `${title} (${year})`,
      published: day(published),
      watched: day(watched),
      url: key,
      slug: undefined,
      aliases: [],
      tags,
      film: {title, year},
      rating,
      rewatch,
      origin: {entry: 'reviews.csv', line, column: 1},
      notes: []
    }
  }
  assert.deepEqual(summary, [
    row('https://boxd.it/9Kq2mB', 'Mad Max: Fury Road', 2015, '2016-01-10', '2016-01-09', 4.5, false, ['cinema', 'action'], 2),
    row('https://boxd.it/1c7HwP', 'Portrait of a Lady on Fire', 2019, '2020-03-01', '2020-02-29', 5, false, ['cinema', 'sciamma', '2020'], 9),
    row('https://boxd.it/1jT0aX', 'Crouching Tiger, Hidden Dragon', 2000, '2020-08-15', '2020-08-14', 4.5, false, ['cinema', 'wuxia'], 16),
    row('https://boxd.it/2aVn8r', 'Mad Max: Fury Road', 2015, '2021-05-22', '2021-05-21', 5, true, ['cinema', 'action', 'rewatch'], 23),
    row('https://boxd.it/2qLd5Z', 'Spirited Away', 2001, '2021-12-19', '2021-12-18', 5, false, ['animation', 'ghibli', 'comfort'], 36)
  ])
  for (const post of posts) assert.equal(post.source, 'letterboxd')
})

test('the deleted and orphaned reviews, diary-only viewings and comments never become posts', async () => {
  const archive = await open(fixture)
  const {posts} = await letterboxd.read(archive)
  const titles = posts.map((post) => post.title).join(' | ')
  assert.doesNotMatch(titles, /Cats|Jaws|The Thing/)
  assert.ok(!posts.some((post) => post.key === 'https://boxd.it/1aPq7Z'), 'the deleted review is not read')
  assert.deepEqual(
    archive.opened.map((file) => file.path),
    ['letterboxd:profile.csv', 'letterboxd:reviews.csv'],
    'only the profile and the root reviews.csv are opened'
  )
})

test('a comma in a film name, doubled quotes and a multi-line cell come out right', async () => {
  const {posts} = await letterboxd.read(await open(fixture))
  const tiger = posts[2]!
  assert.equal(tiger.film?.title, 'Crouching Tiger, Hidden Dragon')
  assert.equal(tiger.body.children.length, 4, 'four paragraphs from the blank lines inside the cell')
  assert.ok(tiger.body.children.every((child) => child.type === 'element' && child.tagName === 'p'))
  assert.match(text(tiger.body), /called it "a melodrama that happens to fly", and I/)
  assert.match(shape(tiger.body), /how much of it is <strong>quiet<\/strong>\./)
  assert.match(text(posts[4]!.body), /"This is the best one, isn't it\?" Hard to argue\./)
})

test('the review HTML subset maps onto the body vocabulary: em, strong, links, quotations as blocks', async () => {
  const {posts} = await letterboxd.read(await open(fixture))
  assert.equal(
    shape(posts[3]!.body).split('</p>')[0],
    '<p>Second time, on a much bigger screen. I gave it four and a half <a href=https://boxd.it/9Kq2mB>last time</a>; I was being stingy.'
  )
  assert.match(
    shape(posts[3]!.body),
    /<p>Back then I wrote:<\/p><blockquote><p>Every vehicle has a personality, every crowd has a shape\.<\/p><\/blockquote><p>That still holds/
  )
  assert.match(shape(posts[1]!.body), /<em>Watch the eyes<\/em> is the only instruction/)
  assert.match(shape(posts[4]!.body), /at <a href=https:\/\/morwennacastellan.example\/>morwennacastellan.example<\/a>\.<\/p>$/)
})

test('every word of every review is in its post', async () => {
  const archive = await open(fixture)
  const {posts} = await letterboxd.read(archive)
  const csv = parseCsv(new VFile({value: await readFile(path.join(fixture, 'reviews.csv'), 'utf8')}))
  assert.equal(posts.length, csv.rows.length)
  csv.rows.forEach((row, index) => {
    const written = words(row.cells.get('Review')!.replace(/<[^>]*>/g, ' '))
    const kept = words(text(posts[index]!.body))
    const missing = [...written].filter(([word, count]) => (kept.get(word) ?? 0) < count).map(([word]) => word)
    assert.deepEqual(missing, [], `words of row ${row.line} missing from its post`)
    assert.ok(written.size > 50)
  })
})

test('blank lines are paragraphs, single newlines line breaks, and a written <br> is not doubled', async () => {
  const {posts} = await readFolder({
    'reviews.csv': `${header}\n2022-01-02,Aftersun,2022,https://boxd.it/a1,4,,"First line\nsecond line<br/>\nthird line\n\n\n<b>Bold</b> and <i>italic</i> and <u>underlined</u> and <script>alert(1)</script>plain.",,2022-01-01\n`
  })
  assert.equal(
    shape(posts[0]!.body),
    '<p>First line<br></br>second line<br></br>third line</p><p><strong>Bold</strong> and <em>italic</em> and underlined and plain.</p>'
  )
})

test('a row without review text is kept as a non-post (kind other, empty body) so that it can be counted', async () => {
  const {posts} = await readFolder({'reviews.csv': `${header}\n2022-01-02,Aftersun,2022,https://boxd.it/a1,4,,"  ",,2022-01-01\n`})
  assert.equal(posts.length, 1)
  assert.equal(posts[0]!.kind, 'other')
  assert.deepEqual(posts[0]!.body, {type: 'root', children: []})
})

test('an unreadable date, year or rating is a warning on its row, and the rest of the row is kept', async () => {
  const {posts, messages} = await readFolder({
    'reviews.csv': `${header}\n2022-13-40,Aftersun,20x2,https://boxd.it/a1,7,,Fine.,,yesterday\n2022-01-05,Past Lives,2023,https://boxd.it/a2,5.0,No,Also fine.,,2022-01-04\n`
  })
  assert.deepEqual(
    messages.map((message) => [message.text, message.ruleId, message.fatal]),
    [
      ['2:1 The review of Aftersun has a `Year` of `20x2`, which is not a year, so it is left out', 'import-post', false],
      ['2:1 The review of Aftersun has a `Rating` of `7`, which is not a Letterboxd rating (0.5 to 5 in halves), so it is left out', 'import-post', false],
      ['2:1 The review of Aftersun has a `Date` of `2022-13-40`, which is not a date, so it is left out', 'import-post', false],
      ['2:1 The review of Aftersun has a `Watched Date` of `yesterday`, which is not a date, so it is left out', 'import-post', false]
    ]
  )
  assert.deepEqual(
    [posts[0]!.title, posts[0]!.film, posts[0]!.rating, posts[0]!.published],
    ['Aftersun', {title: 'Aftersun', year: undefined}, undefined, undefined]
  )
  assert.deepEqual([posts[1]!.rating, posts[1]!.rewatch, posts[1]!.title], [5, false, 'Past Lives (2023)'])
})

test('the broken CSV is an error where its quote opened, and no review is invented from the rest', async () => {
  const archive = await open(path.join(fixturesDir, 'import', 'hostile', 'letterboxd-unclosed-quote'))
  const {posts} = await letterboxd.read(archive)
  assert.deepEqual(posts, [])
  const messages = archive.opened.flatMap((file) => file.messages)
  assert.deepEqual(
    messages.map((message) => [message.line, message.column, message.ruleId, message.fatal]),
    [[2, 48, 'import-unreadable', true]]
  )
  assert.match(messages[0]!.reason, /^A quoted cell opened on line 2 is closed on line 5 by a quote that text follows/)
})

test('rows before a broken quote still come back as posts', async () => {
  const {posts, messages} = await readFolder({
    'reviews.csv': `${header}\n2022-01-02,Aftersun,2022,https://boxd.it/a1,4,,"Whole.",,2022-01-01\n2022-01-03,Jaws,1975,https://boxd.it/a2,4,,"Never closed,,2022-01-02\n`
  })
  assert.deepEqual(
    posts.map((post) => post.title),
    ['Aftersun (2022)']
  )
  assert.deepEqual(
    messages.map((message) => [message.text.split(' ')[0], message.ruleId, message.fatal]),
    [['3:44', 'import-unreadable', true]]
  )
  assert.match(messages[0]!.text, /opened on line 3 is never closed/)
})

test('the publication is the profile: its name, else the username, and the Letterboxd page', async () => {
  assert.deepEqual((await letterboxd.read(await open(fixture))).publication, {author: 'Morwenna Castellan', site: 'https://letterboxd.com/morwenna/'})
  const {publication} = await readFolder({
    'reviews.csv': `${header}\n`,
    'profile.csv': 'Date Joined,Username,Given Name,Family Name\n2016-01-02,cinephile_9,,\n'
  })
  assert.deepEqual(publication, {author: 'cinephile_9', site: 'https://letterboxd.com/cinephile_9/'})
})

test('an export inside one top-level folder is read there, and a folder with no reviews.csv is an error', async () => {
  const nested = await readFolder({
    'letterboxd-morwenna-2024-05-02-10-15-utc/reviews.csv': `${header}\n2022-01-02,Aftersun,2022,https://boxd.it/a1,4,,Whole.,,2022-01-01\n`,
    'letterboxd-morwenna-2024-05-02-10-15-utc/deleted/reviews.csv': `${header}\n2022-01-02,Cats,2019,https://boxd.it/a9,1,,Gone.,,2022-01-01\n`
  })
  assert.deepEqual(
    nested.posts.map((post: ImportedPost) => [post.title, post.origin.entry]),
    [['Aftersun (2022)', 'letterboxd-morwenna-2024-05-02-10-15-utc/reviews.csv']]
  )
  const dir = await makeProject({'deleted/reviews.csv': `${header}\n`, 'diary.csv': 'Date\n'})
  try {
    const archive = await open(dir)
    assert.equal(letterboxd.recognises(archive), false)
    assert.deepEqual((await letterboxd.read(archive)).posts, [])
    assert.deepEqual(
      archive.file.messages.map((message) => [message.ruleId, message.fatal]),
      [['import-unreadable', true]]
    )
  } finally {
    await removeDir(dir)
  }
  assert.equal(letterboxd.recognises(await open(fixture)), true)
})

test('reviews.csv on its own (a folder of it, or the file itself) is a Letterboxd export; a tag typed twice to end it ends it', async () => {
  const row = (uri: string, review: string) => `2024-03-01,Sunrise,1927,https://boxd.it/${uri},5,,"${review}",,2024-02-29`
  const files = {
    'reviews.csv': [
      header,
      row('aa1', '<blockquote>A line I keep coming back to.<blockquote>\n\nAnd then <i>""a quoted phrase""<i> in passing.'),
      row('aa2', '<i>One</i> and <b>two<b> and <b>three</b>.')
    ].join('\n')
  }
  const folder = await readFolder(files)
  assert.deepEqual(folder.messages, [])
  assert.equal(folder.posts.length, 2)
  assert.equal(
    shape(folder.posts[0]!.body),
    '<blockquote><p>A line I keep coming back to.</p></blockquote><p>And then <em>"a quoted phrase"</em> in passing.</p>'
  )
  assert.equal(shape(folder.posts[1]!.body), '<p><em>One</em> and <strong>two</strong> and <strong>three</strong>.</p>')
  // The file given directly, as the export.
  const dir = await makeProject(files)
  try {
    const archive = await open(path.join(dir, 'reviews.csv'))
    assert.equal(letterboxd.recognises(archive), true)
    assert.equal((await letterboxd.read(archive)).posts.length, 2)
  } finally {
    await removeDir(dir)
  }
})
