// The Medium reader against the hand-made export in fixtures/import/medium/ (a story of each
// shape, a response, a draft, and folders it must not open) and small exports written here for
// the cases the fixture does not hold (a start time, tags, a date that cannot be read).
import assert from 'node:assert/strict'
import {readFile, readdir} from 'node:fs/promises'
import path from 'node:path'
import {test} from 'node:test'
import {VFile} from 'vfile'
import {openArchive} from '../src/import/archive.js'
import {medium} from '../src/import/sources/medium.js'
import {substack} from '../src/import/sources/substack.js'
import type {ImportedPost} from '../src/import/types.js'
import {elementsOf, html, htmlWords, leftovers, missingWords, postWords, readExport, wordsOf} from './helpers/post-words.js'
import {fixturesDir, makeProject, removeDir} from './helpers/project.js'

const exportDir = path.join(fixturesDir, 'import', 'medium')
const hostileDir = path.join(fixturesDir, 'import', 'hostile')
const {archive, posts} = await readExport(exportDir, medium)
const byKey = new Map(posts.map((post) => [post.key, post]))

function post(key: string): ImportedPost {
  const found = byKey.get(key)
  assert.ok(found, `a post with key ${key}`)
  return found
}

/** A Medium post file as the export writes it, shortened to what the reader looks at. */
function page(options: {title: string; subtitle?: string; body: string; footer?: string}): string {
  const subtitle = options.subtitle === undefined ? '' : `<section data-field="subtitle" class="p-summary">\n${options.subtitle}\n</section>\n`
  return (
    `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>${options.title}</title></head><body><article class="h-entry">\n` +
    `<header>\n<h1 class="p-name">${options.title}</h1>\n</header>\n${subtitle}<section data-field="body" class="e-content">\n` +
    `<section name="a1" class="section section--body section--first section--last"><div class="section-divider"><hr class="section-divider"></div><div class="section-content"><div class="section-inner sectionLayout--insetColumn">${options.body}</div></div></section>\n</section>\n` +
    `<footer>${options.footer ?? ''}</footer></article></body></html>`
  )
}

test('the Medium reader knows its export and opens only the files in posts/, never claps/ or profile/', () => {
  assert.equal(medium.recognises(archive), true)
  assert.equal(substack.recognises(archive), false)
  const opened = archive.opened.map((file) => file.path.slice(exportDir.length + 1))
  assert.equal(opened.length, 6)
  for (const entry of opened) assert.match(entry, /^posts\/[^/]+\.html$/)
  assert.ok(archive.paths.includes('claps/claps-0001.html') && archive.paths.includes('profile/profile.html'), 'the fixture has the folders to leave shut')
  assert.deepEqual(
    archive.opened.flatMap((file) => file.messages.map(String)),
    [],
    'the fixture reads without a problem'
  )
})

test('each post’s metadata comes from its page, its footer and its file name', () => {
  const expected: Array<Partial<ImportedPost> & {key: string}> = [
    {
      key: '3c9f1a2b7d4e',
      kind: 'post',
      draft: false,
      title: 'Her (2013)',
      subtitle: 'Spike Jonze’s gentle film about a man, his phone and the shape of loneliness',
      published: {year: 2019, month: 3, day: 14},
      url: 'https://medium.com/@morwenna/her-2013-3c9f1a2b7d4e',
      slug: 'her-2013'
    },
    {
      key: 'e41b7a9c2d68',
      kind: 'response',
      draft: false,
      title: 'Thank you — and yes, the score is doing a lot of the work here.',
      subtitle: undefined,
      published: {year: 2019, month: 3, day: 20},
      url: 'https://medium.com/@morwenna/thank-you-and-yes-the-score-is-doing-a-lot-of-the-work-here-e41b7a9c2d68',
      slug: 'thank-you-and-yes-the-score-is-doing-a-lot-of-the-work-here'
    },
    {
      key: '5b0e8d7c2a19',
      kind: 'post',
      draft: false,
      title: 'Review: Paddington 2 (2017)',
      subtitle: 'Paul King’s sequel is the kindest film I know, and one of the most precisely made',
      published: {year: 2019, month: 6, day: 2},
      url: 'https://medium.com/@morwenna/review-paddington-2-2017-5b0e8d7c2a19',
      slug: 'review-paddington-2-2017'
    },
    {
      key: '8a1d4f6b0c33',
      kind: 'post',
      draft: false,
      title: 'Alien — a review',
      subtitle: 'Forty years on, Ridley Scott’s haunted house in space is still the slowest and best of the series',
      published: {year: 2019, month: 10, day: 31},
      url: 'https://medium.com/@morwenna/alien-a-review-8a1d4f6b0c33',
      slug: 'alien-a-review'
    },
    {
      key: '0f2e9c4b6a71',
      kind: 'post',
      draft: false,
      title: 'The quietest heist I have ever loved',
      subtitle: 'On Jean-Pierre Melville’s Le Cercle Rouge, and the pleasure of watching professionals say nothing',
      published: {year: 2020, month: 2, day: 9},
      url: 'https://medium.com/@morwenna/the-quietest-heist-i-have-ever-loved-0f2e9c4b6a71',
      slug: 'the-quietest-heist-i-have-ever-loved'
    },
    {
      key: '9d7c3b2a1e05',
      kind: 'post',
      draft: true,
      title: 'Notes on Columbus',
      subtitle: 'Kogonada, John Cho, and a town full of buildings',
      published: undefined,
      url: undefined,
      slug: undefined
    }
  ]
  assert.deepEqual(posts.map((one) => one.key).sort(), expected.map((one) => one.key).sort())
  for (const want of expected) {
    const got = post(want.key)
    const picked = Object.fromEntries(Object.keys(want).map((name) => [name, got[name as keyof ImportedPost]]))
    assert.deepEqual(picked, want, want.key)
    assert.equal(got.source, 'medium')
    assert.equal(got.paid, false, 'the export marks no member-only story')
    assert.deepEqual(got.tags, [])
    assert.equal(got.aliases[0], `https://medium.com/p/${want.key}`, 'the short link is an alias')
    assert.match(got.origin.entry, new RegExp(`^posts/.*-${want.key}\\.html$`))
    assert.deepEqual(got.notes, [], 'Medium has no footnotes')
  }
})

test('the title and subtitle Medium repeats at the top of the body are dropped, and the first section divider with them', () => {
  for (const one of posts) {
    const first = one.body.children[0]
    assert.ok(first?.type === 'element', one.key)
    assert.notEqual(wordsOf(first).join(' '), wordsOf({type: 'text', value: one.title}).join(' '), `${one.key} does not open with its title`)
    if (one.subtitle) assert.ok(!html(one.body).includes(one.subtitle), `${one.key} does not repeat its subtitle`)
    assert.notEqual(first.tagName, 'hr', `${one.key} does not open with a divider`)
  }
  // Alien's title graf is "<em>Alien</em> — a review", its h1 plain text: they still match.
  assert.ok(!elementsOf(post('8a1d4f6b0c33').body).some((element) => /^h\d$/.test(element.tagName)))
})

test('a later section’s divider is a scene break, in its place', () => {
  const her = post('3c9f1a2b7d4e').body.children.filter((node) => node.type === 'element')
  const breaks = her.flatMap((node, index) => (node.tagName === 'hr' ? [index] : []))
  assert.equal(breaks.length, 1)
  assert.match(wordsOf(her[breaks[0]! - 1]!).join(' '), /never once asks you to laugh at a man for being lonely$/)
  assert.match(wordsOf(her[breaks[0]! + 1]!).join(' '), /^A shorter version of this review/)
  for (const one of posts.filter((other) => other.key !== '3c9f1a2b7d4e'))
    assert.ok(!elementsOf(one.body).some((element) => element.tagName === 'hr'), `${one.key} has one section`)
})

test('images are figures at their CDN address with alt text and caption; pull quotes and quotes are block quotes', () => {
  const her = html(post('3c9f1a2b7d4e').body)
  assert.ok(
    her.startsWith(
      '<figure><img src="https://cdn-images-1.medium.com/max/800/1*Qm3hT0pXc8ZkLr2VwYb1Nw.jpeg" alt="A man in a red shirt stands at a window above a hazy city"><figcaption>Hoyte van Hoytema’s Los Angeles: peach, coral and soft brick red.</figcaption></figure>'
    ),
    her.slice(0, 300)
  )
  assert.ok(her.includes('<blockquote><p>A future built to soothe, and a loneliness that will not be soothed.</p></blockquote>'))
  assert.ok(her.includes('<h3>Notes</h3>'), 'Medium’s small heading is one level below its large one')
  const alien = html(post('8a1d4f6b0c33').body)
  assert.ok(alien.includes('<blockquote><p>In space no one can hear you scream.</p></blockquote>'))
  assert.ok(
    alien.includes(
      '<figure><img src="https://cdn-images-1.medium.com/max/800/1*7nVdE2kLpQ0sXw9ZrT4yHg.jpeg" alt="A long white corridor lit from the floor"><figcaption>The corridors of the Nostromo. You will know them by heart.</figcaption></figure>'
    )
  )
})

test('a video is a paragraph with one link to its watch page (its caption as the words), a link card a link with its title', () => {
  const paddington = post('5b0e8d7c2a19')
  const video = paddington.body.children.find((node) => node.type === 'element' && html({type: 'root', children: [node]}).includes('youtube'))
  assert.ok(video)
  assert.equal(
    html({type: 'root', children: [video]}),
    '<p><a href="https://www.youtube.com/watch?v=Lq8xVbP3nZc">The trailer, which gives away less than most.</a></p>'
  )
  assert.equal(
    html({type: 'root', children: [paddington.body.children.at(-1)!]}),
    '<p><a href="https://medium.com/@morwenna/her-2013-3c9f1a2b7d4e">Her (2013)</a></p>'
  )
  assert.ok(html(paddington.body).includes('<ul><li>Hugh Grant, as a vain actor'))
  assert.ok(!html(paddington.body).includes('medium.com</a>'), 'the card’s host name is not the author’s')
  assert.ok(html(post('0f2e9c4b6a71').body).includes('<a href="https://medium.com/@morwenna/alien-a-review-8a1d4f6b0c33">my piece on <em>Alien</em></a>'))
})

test('nothing of Medium’s markup is left: no classes, ids, names, data attributes or elements outside the contract', () => {
  for (const one of posts) assert.deepEqual(leftovers(one), [], one.key)
})

test('every word of every post is in what the reader gives', async () => {
  let checked = 0
  for (const name of await readdir(path.join(exportDir, 'posts'))) {
    const source = await readFile(path.join(exportDir, 'posts', name), 'utf8')
    // The footer and the header are Medium's; a link card's description and host are fetched from the page it links to.
    const words = htmlWords(source, ['head', 'header', 'footer', 'section[data-field=subtitle]', '.graf--mixtapeEmbed'], false)
    const one = posts.find((candidate) => name.endsWith(`-${candidate.key}.html`))
    assert.ok(one, name)
    assert.deepEqual(missingWords(words, postWords(one)), [], name)
    checked += words.length
  }
  assert.ok(checked > 1000, `${checked} words checked`)
})

test('a response is told from a story by its shape: a story with a title graf or a subtitle is never one', async () => {
  const long = `<p name="p1" class="graf graf--p">${'A sentence that goes on about the film. '.repeat(30)}</p>`
  const dir = await makeProject({
    'posts/2021-01-01_Short-story-aaaaaaaaaaaa.html': page({
      title: 'Short story',
      body: '<h3 class="graf graf--h3 graf--title">Short story</h3><p class="graf graf--p">Only a few words.</p>'
    }),
    'posts/2021-01-02_Subtitled-bbbbbbbbbbbb.html': page({title: 'Subtitled', subtitle: 'A subtitle', body: '<p class="graf graf--p">Only a few words.</p>'}),
    'posts/2021-01-03_I-disagree-cccccccccccc.html': page({title: 'I disagree', body: `<p class="graf graf--p">I disagree. ${long}</p>`}),
    'posts/2021-01-04_A-long-untitled-piece-dddddddddddd.html': page({title: 'Something else entirely', body: long}),
    'posts/2021-01-05_Nice-eeeeeeeeeeee.html': page({title: 'Something else', body: '<p class="graf graf--p">Nice one.</p>'})
  })
  try {
    const {posts: read} = await readExport(dir, medium)
    assert.deepEqual(Object.fromEntries(read.map((one) => [one.key, one.kind])), {
      aaaaaaaaaaaa: 'post',
      bbbbbbbbbbbb: 'post',
      cccccccccccc: 'response',
      dddddddddddd: 'post',
      eeeeeeeeeeee: 'response'
    })
  } finally {
    await removeDir(dir)
  }
})

test('a start time, tags, several quote grafs, a title graf that differs and a date that cannot be read come out as they should', async () => {
  const embedly = 'https://cdn.embedly.com/widgets/media.html?src=https%3A%2F%2Fplayer.vimeo.com%2Fvideo%2F76979871&url=https%3A%2F%2Fvimeo.com%2F76979871'
  const footer =
    '<p>By <a href="https://medium.com/@ada" class="p-author h-card">Ada</a> on <a href="https://medium.com/p/aaaaaaaaaaaa"><time class="dt-published" datetime="sometime in 2021">Sometime</time></a>.</p>' +
    '<p class="p-tags"><a class="p-tag" href="https://medium.com/tag/film">Film</a><a class="p-tag" href="https://medium.com/tag/horror">Horror</a></p>' +
    '<p><a href="https://medium.com/@ada/the-old-title-aaaaaaaaaaaa" class="p-canonical">Canonical link</a></p>'
  const body =
    '<h3 class="graf graf--h3 graf--leading graf--title">The old title</h3>' +
    '<figure class="graf graf--figure graf--iframe"><iframe src="https://www.youtube.com/embed/AbCdEfGhIjK?start=90&amp;feature=oembed"></iframe></figure>' +
    `<figure class="graf graf--figure graf--iframe"><iframe src="${embedly}" width="700" height="393"></iframe></figure>` +
    '<blockquote class="graf graf--blockquote">First line of the quote.</blockquote><blockquote class="graf graf--blockquote graf-after--blockquote">Second line.</blockquote>' +
    '<blockquote class="graf graf--pullquote">A pull quote.</blockquote><blockquote class="graf graf--pullquote graf-after--pullquote">— Its speaker</blockquote>' +
    '<pre class="graf graf--pre" data-code-block-lang="js">let a = 1<br>let b = 2</pre>'
  const written = page({title: 'The new title', subtitle: 'Sub', body, footer})
  const dir = await makeProject({'medium-export/posts/2021-05-06_The-new-title-aaaaaaaaaaaa.html': written})
  try {
    const {posts: read, archive: opened} = await readExport(dir, medium)
    const [one] = read
    assert.ok(one && read.length === 1, 'a zip wrapped in one folder is read too')
    assert.deepEqual(one.tags, ['Film', 'Horror'])
    assert.deepEqual(one.published, {year: 2021, month: 5, day: 6}, 'the file name’s day stands in')
    assert.equal(one.slug, 'the-old-title')
    assert.equal(
      html(one.body),
      '<h2>The old title</h2><p><a href="https://www.youtube.com/watch?v=AbCdEfGhIjK&#x26;t=90s">Watch on YouTube</a></p>' +
        '<p><a href="https://vimeo.com/76979871">Watch on Vimeo</a></p>' +
        '<blockquote><p>First line of the quote.</p><p>Second line.</p></blockquote><blockquote><p>A pull quote.</p><p>— Its speaker</p></blockquote>' +
        '<pre><code class="language-js">let a = 1\nlet b = 2</code></pre>'
    )
    const messages = opened.opened.flatMap((file) => file.messages)
    assert.equal(messages.length, 1)
    assert.equal(messages[0]!.ruleId, 'import-post')
    assert.equal(messages[0]!.fatal, false)
    assert.match(messages[0]!.reason, /`sometime in 2021` cannot be read, so the day in the file name \(2021-05-06\) is used/)
    const timeLine = written.split('\n').findIndex((line) => line.includes('<time')) + 1
    assert.equal(messages[0]!.line, timeLine, 'at the time element')
    assert.equal(messages[0]!.column, written.split('\n')[timeLine - 1]!.indexOf('<time') + 1)
  } finally {
    await removeDir(dir)
  }
})

test('a post nested 10,000 elements deep is refused with an error at the place it goes too deep, and gives no post', async () => {
  const {posts: read, archive: opened} = await readExport(path.join(hostileDir, 'medium-deep-nesting'), medium)
  assert.deepEqual(read, [])
  const messages = opened.opened.flatMap((file) => file.messages)
  assert.equal(messages.length, 1)
  assert.equal(messages[0]!.ruleId, 'import-unreadable')
  assert.equal(messages[0]!.fatal, true)
  assert.equal(messages[0]!.line, 6)
  assert.ok((messages[0]!.column ?? 0) > 1000, `column ${messages[0]!.column}`)
  assert.match(opened.opened[0]!.path, /posts\/2020-02-02_Deep--2020--0a1b2c3d4e5f\.html$/)
})

test('a zip cut in half is refused with an error on the export, before any reader runs', async () => {
  const file = new VFile({path: 'truncated-medium-export.zip'})
  assert.equal(await openArchive(path.join(hostileDir, 'truncated-medium-export.zip'), file), undefined)
  assert.equal(file.messages.length, 1)
  const [message] = file.messages
  assert.equal(message!.ruleId, 'import-unreadable')
  assert.equal(message!.fatal, true)
  assert.match(String(message), /^truncated-medium-export\.zip:1:1: The export `truncated-medium-export\.zip` is not a readable zip/)
  assert.match(message!.note ?? '', /download the export again/)
})
