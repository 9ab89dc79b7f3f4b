// Links and ids: the last guard on a rendered book (book-check.ts) on hand-made documents,
// since the tool never makes a broken one on purpose; and how links between reviews resolve
// (book-links.ts) on reviews converted for real.
import assert from 'node:assert/strict'
import path from 'node:path'
import {test} from 'node:test'
import {checkDocuments} from '../src/check/book-check.js'
import {build} from '../src/index.js'
import {readEpub} from './helpers/epub.js'
import {makeProject, removeDir, review} from './helpers/project.js'

const page = (file: string, body: string) => ({
  file,
  xhtml: `<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body>${body}</body></html>`
})

test('the book guard finds repeated ids, links to missing documents and fragments, and invalid addresses', () => {
  const problems = checkDocuments(
    [
      page(
        'a.xhtml',
        '<p id="x">one</p><p id="x">two</p><a href="b.xhtml#y">ok</a><a href="b.xhtml#nope">gone</a><a href="c.xhtml">missing</a><a href="#x">self</a><img src="images/p.png" alt=""/><img src="images/q.png" alt=""/>'
      ),
      page(
        'b.xhtml',
        '<h1 id="y">y</h1><a href="https://example.com/a%20b">web</a><a href="https://exa mple.com/">bad host</a><a href="mailto:a@example.com">mail</a><a href="javascript:void(0)">js</a><a href="a.xhtml?q=1">query</a><a href="caf%C3%A9.xhtml">escaped</a>'
      ),
      page('café.xhtml', '<p id="&quot;q&quot;">quoted id</p>')
    ],
    new Set(['images/p.png', 'style.css'])
  )
  assert.deepEqual(
    problems.map((problem) => `${problem.document} ${problem.reason}`),
    [
      'a.xhtml has the id `x` twice',
      'a.xhtml links to `b.xhtml#nope`, but `b.xhtml` has no id `nope`',
      'a.xhtml links to `c.xhtml`, which is not in the book',
      'a.xhtml links to `images/q.png`, which is not in the book',
      'b.xhtml links to `https://exa mple.com/`, which is not a valid web or mailto address',
      'b.xhtml links to `javascript:void(0)`, which is not a valid web or mailto address',
      'b.xhtml links to `a.xhtml?q=1`, which has a query no file in a book answers'
    ]
  )
})

test('links between reviews resolve by file, escaped name, permalink, dated path, site address and slug, in the volume and the collection', async () => {
  const dir = await makeProject({
    'volumes.yaml':
      'series: Link Series\nauthor: Ada Critic\nsite: [https://blog.example, https://old.example/films]\nvolumes:\n  - number: 1\n    title: One\n    reviews: [2019-03-14-her.md, notes/mission.md]\n  - number: 2\n    title: Two\n    reviews: [links.md]\ncollection:\n  title: All\n',
    'reviews/2019-03-14-her.md': review({title: 'Her', year: 2013}, 'Text.'),
    'reviews/notes/mission.md': `---\ntitle: "Mission: Impossible"\nslug: mi-1996\nurl: https://old.example/films/reviews/mission-impossible.html\n---\n\nBack to [the list](../links.md).\n`,
    'reviews/links.md': review(
      {title: 'Links'},
      '[a](2019-03-14-her.md) [b](notes/mission.md) [c](/2019/03/14/her/) [d](https://blog.example/2019/03/14/her) [e](https://old.example/films/reviews/mission-impossible.html) [f](mi-1996) [g](https://blog.example/about/) [h](/contact) [i](mission.md)'
    )
  })
  try {
    const result = await build({cwd: dir, sourceDateEpoch: '1700000000'})
    assert.equal(result.written, true, JSON.stringify(result.files.flatMap((file) => file.messages.map((message) => message.reason))))
    assert.deepEqual(
      result.files.flatMap((file) => file.messages.map((message) => message.reason)),
      [],
      'every link resolves'
    )
    const volume = await readEpub(path.join(dir, 'dist', 'link-series-volume-02.epub'))
    const links = await volume.text('OEBPS/review-links.xhtml')
    // Reviews in another volume are named, as "see Volume 1"; the site's own pages stay links.
    for (const letter of ['a', 'b', 'c', 'd', 'e', 'f', 'i'])
      assert.match(links, new RegExp(`<span class="series-reference">${letter} \\(see Volume\\u00a01\\)</span>`), `${letter} names volume 1`)
    assert.match(links, /<a href="https:\/\/blog\.example\/about\/">g<\/a>/)
    assert.match(links, /<a href="https:\/\/blog\.example\/contact">h<\/a>/)
    const collection = await readEpub(path.join(dir, 'dist', 'link-series-collection.epub'))
    const inCollection = await collection.text('OEBPS/review-links.xhtml')
    for (const [letter, chapter] of [
      ['a', 'review-2019-03-14-her.xhtml'],
      ['b', 'review-notes-mission.xhtml'],
      ['c', 'review-2019-03-14-her.xhtml'],
      ['d', 'review-2019-03-14-her.xhtml'],
      ['e', 'review-notes-mission.xhtml'],
      ['f', 'review-notes-mission.xhtml'],
      ['i', 'review-notes-mission.xhtml']
    ]) {
      assert.match(inCollection, new RegExp(`<a href="${chapter}">${letter}</a>`), `${letter} links to ${chapter}`)
    }
    assert.match(await collection.text('OEBPS/review-notes-mission.xhtml'), /<a href="review-links\.xhtml">the list<\/a>/)
  } finally {
    await removeDir(dir)
  }
})

test('a raw id that repeats another, or a generated one, is renamed and the links follow, in every book', async () => {
  const dir = await makeProject({
    'volumes.yaml': 'series: Id Series\nauthor: Ada Critic\nvolumes:\n  - number: 1\n    title: One\n    reviews: [a.md]\ncollection:\n  title: All\n',
    'reviews/a.md': review(
      {title: 'A'},
      'A <span id="fnref-1">clash with a note reference</span>, <b id="x">x</b>, <i id="x">x again</i>, a note[^1] and links [to x](#x) and [to the note](#fn-1).\n\n[^1]: Note.'
    )
  })
  try {
    const result = await build({cwd: dir, sourceDateEpoch: '1700000000'})
    assert.equal(result.written, true)
    for (const book of ['id-series-volume-01.epub', 'id-series-collection.epub']) {
      const text = await (await readEpub(path.join(dir, 'dist', book))).text('OEBPS/review-a.xhtml')
      const ids = [...text.matchAll(/ id="([^"]+)"/g)].map((match) => match[1])
      assert.deepEqual(ids, ['fnref-1-2', 'x', 'x-2', 'fnref-1', 'fn-1'], `${book}: ids unique, ours kept`)
      assert.match(text, /<a href="#x">to x<\/a>/)
      assert.match(text, /<a href="#fn-1">to the note<\/a>/)
    }
  } finally {
    await removeDir(dir)
  }
})
