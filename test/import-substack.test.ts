// The Substack reader against the hand-made export in fixtures/import/substack/ (posts, a paid
// post, drafts, a page, a thread, and readers' private files it must never open) and a changed
// copy written here for what the fixture does not hold (a start time, columns in another order,
// no subscriber list, rows and references that lead nowhere).
import assert from 'node:assert/strict'
import {cp, readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {test} from 'node:test'
import {medium} from '../src/import/sources/medium.js'
import {substack} from '../src/import/sources/substack.js'
import type {Archive, ImportedPost} from '../src/import/types.js'
import {elementsOf, html, htmlWords, leftovers, missingWords, postWords, readExport, wordsOf} from './helpers/post-words.js'
import {fixturesDir, makeProject, removeDir, tempDir} from './helpers/project.js'

const exportDir = path.join(fixturesDir, 'import', 'substack')
const {archive, posts, publication} = await readExport(exportDir, substack)
const chrome = [
  '.subscription-widget-wrap-editor',
  '.button-wrapper',
  '.captioned-button-wrap',
  '.image-link-expand',
  '.paywall-jump',
  '.footnote-anchor',
  '.footnote-number'
]

function post(key: string, from: ImportedPost[] = posts): ImportedPost {
  const found = from.find((one) => one.key === key)
  assert.ok(found, `a post with key ${key}`)
  return found
}

/** Entries the reader opened, relative to the export. */
function openedEntries(opened: Archive): string[] {
  return opened.opened.map((file) => file.path.slice(file.path.lastIndexOf(':') + 1))
}

test('the Substack reader knows its export and opens posts.csv and the posts’ own files, never the readers’ private files', () => {
  assert.equal(substack.recognises(archive), true)
  assert.equal(medium.recognises(archive), false)
  const opened = openedEntries(archive)
  const ids = posts.map((one) => one.origin.entry)
  assert.deepEqual(opened.sort(), ['posts.csv', ...ids].sort())
  for (const entry of opened) assert.match(entry, /^posts\.csv$|^posts\/\d+\.[a-z0-9-]+\.html$/)
  for (const secret of ['email_list.morwenna.csv', 'posts/134829571.delivers.csv', 'posts/134829571.opens.csv']) {
    assert.ok(archive.paths.includes(secret), `the fixture has ${secret}`)
    assert.ok(!opened.includes(secret), `${secret} is never opened`)
  }
  assert.deepEqual(
    archive.opened.flatMap((file) => file.messages.map(String)),
    [],
    'the fixture reads without a problem'
  )
})

test('each post’s metadata comes from its row of posts.csv and the subscriber list’s file name', () => {
  const site = 'https://morwenna.substack.com'
  const rows: Array<[string, Partial<ImportedPost>]> = [
    ['134829571', {kind: 'post', draft: false, paid: false, title: 'Past Lives (2023)', published: {year: 2023, month: 6, day: 20}, slug: 'past-lives-2023'}],
    [
      '136402218',
      {
        kind: 'post',
        draft: false,
        paid: false,
        title: 'Review: The Iron Giant (1999)',
        published: {year: 2023, month: 7, day: 11},
        slug: 'review-the-iron-giant-1999'
      }
    ],
    [
      '140118265',
      {kind: 'post', draft: false, paid: false, title: 'Perfect Days — a review', published: {year: 2024, month: 1, day: 16}, slug: 'perfect-days-a-review'}
    ],
    [
      '137790412',
      {
        kind: 'post',
        draft: false,
        paid: false,
        title: 'A western that walks instead of riding',
        subtitle: 'On Kelly Reichardt’s First Cow (2019)',
        published: {year: 2023, month: 5, day: 16}
      }
    ],
    ['138654009', {kind: 'post', draft: false, paid: true, title: 'Aftersun (2022)', published: {year: 2023, month: 10, day: 3}, slug: 'aftersun-2022'}],
    [
      '141230877',
      {
        kind: 'post',
        draft: true,
        paid: false,
        title: 'Review: Arrival (2016)',
        subtitle: undefined,
        published: undefined,
        url: undefined,
        slug: 'review-arrival-2016'
      }
    ],
    ['141998420', {kind: 'post', draft: true, paid: false, title: '', subtitle: undefined, published: undefined, url: undefined, slug: 'untitled-draft'}],
    ['134500001', {kind: 'page', draft: false, paid: false, title: 'About', subtitle: 'Who writes this, and why', published: {year: 2023, month: 4, day: 30}}],
    [
      '139002316',
      {
        kind: 'thread',
        draft: false,
        paid: false,
        title: 'Open thread: what did you watch this week?',
        subtitle: undefined,
        published: {year: 2023, month: 8, day: 25}
      }
    ]
  ]
  assert.deepEqual(posts.map((one) => one.key).sort(), rows.map(([key]) => key).sort())
  for (const [key, want] of rows) {
    const got = post(key)
    const picked = Object.fromEntries(Object.keys(want).map((name) => [name, got[name as keyof ImportedPost]]))
    assert.deepEqual(picked, want, key)
    assert.equal(got.source, 'substack')
    assert.deepEqual(got.tags, [])
    const slug = got.origin.entry.replace(/^posts\/\d+\.|\.html$/g, '')
    assert.equal(got.slug, slug)
    assert.equal(got.url, got.draft ? undefined : `${site}/p/${slug}`, key)
    assert.deepEqual(got.aliases, got.draft ? [] : [`https://open.substack.com/pub/morwenna/p/${slug}`, `https://substack.com/home/post/p-${key}`], key)
  }
  assert.equal(
    post('134829571').subtitle,
    'Celine Song’s first film is about the people we were, and the people who remember them',
    'a quoted cell with a comma'
  )
  assert.deepEqual(publication, {name: 'Morwenna at the Movies', site})
})

test('Substack’s chrome is gone: no subscribe form or button, no share box, no paywall marker, no image toolbar', () => {
  for (const one of posts) {
    const text = wordsOf(one.body).join(' ')
    for (const words of ['Subscribe', 'Share', 'reader supported', 'Thanks for reading', 'Type your email'])
      assert.ok(!text.includes(words), `${one.key}: ${words}`)
    assert.deepEqual(leftovers(one), [], `${one.key} holds only the contract’s elements and properties`)
  }
  // The paid post keeps both sides of the paywall, in order, with nothing between them.
  const aftersun = post('138654009').body.children.map((node) => wordsOf(node).slice(0, 3).join(' '))
  assert.deepEqual(aftersun, ['Charlotte Wells s', 'Frankie Corio as', 'Paul Mescal plays', 'The film is', 'Thank you as'])
  assert.equal(post('141998420').body.children.length, 0, 'the untitled draft’s empty paragraph is no paragraph')
})

test('images are figures at their original address, not the CDN’s, with alt text and caption', () => {
  const figures = (key: string) => elementsOf(post(key).body).filter((element) => element.tagName === 'figure')
  const pastLives = figures('134829571')
  assert.equal(pastLives.length, 1)
  assert.equal(
    html({type: 'root', children: pastLives}),
    '<figure><img src="https://substack-post-media.s3.amazonaws.com/public/images/8f3c2d1a-6b4e-4f7a-9c21-0d5e7b3a9f18_1600x900.jpeg" alt="A street in Seoul at dusk, lit by shop signs"><figcaption>Seoul at dusk, where the film’s first chapter lives.</figcaption></figure>'
  )
  assert.equal(
    html({type: 'root', children: figures('140118265')}),
    '<figure><img src="https://substack-post-media.s3.amazonaws.com/public/images/2a7e9b41-c3d8-4e56-8f10-6b9d2c4e7a35_2048x1365.jpeg" alt="Sunlight breaking through the leaves of a tree"><figcaption>Light through the leaves. The film has a word for it, and saves it for the very end.</figcaption></figure>'
  )
})

test('footnotes are empty sup references in place and notes in order; pull quotes, quotes and scene breaks keep their shape', () => {
  const pastLives = post('134829571')
  assert.deepEqual(
    pastLives.notes.map((note) => note.id),
    ['1', '2']
  )
  const refs = elementsOf(pastLives.body).filter((element) => element.tagName === 'sup')
  assert.deepEqual(
    refs.map((ref) => [ref.properties.dataFootnote, ref.children.length]),
    [
      ['1', 0],
      ['2', 0]
    ]
  )
  const paragraphs = pastLives.body.children.filter((node) => node.type === 'element' && node.tagName === 'p')
  const holding = (ref: (typeof refs)[number]) => paragraphs.find((paragraph) => elementsOf(paragraph).includes(ref))
  assert.match(html({type: 'root', children: [holding(refs[0]!)!]}), /stays kind anyway\.<sup data-footnote="1"><\/sup><\/p>$/)
  assert.match(html({type: 'root', children: [holding(refs[1]!)!]}), /across lifetimes<sup data-footnote="2"><\/sup>, and she takes it/)
  assert.equal(
    html({type: 'root', children: pastLives.notes[0]!.children}),
    '<p>Magaro is also the gentle cook at the heart of Kelly Reichardt’s <em>First Cow</em>, which I wrote about <a href="https://morwenna.substack.com/p/a-western-that-walks-instead-of-riding">here</a>.</p>'
  )
  assert.match(html({type: 'root', children: pastLives.notes[1]!.children}), /^<p>The word is usually translated as “providence”/)
  assert.ok(html(post('136402218').body).includes('<blockquote><p>A film about a weapon that would rather not be one.</p></blockquote>'))
  assert.ok(html(post('140118265').body).includes('<blockquote><p>Some people find it too serene, a postcard of contentment.</p></blockquote>'))
  const western = post('137790412').body.children.map((node) => (node.type === 'element' ? node.tagName : node.type))
  assert.deepEqual(western, ['p', 'p', 'p', 'hr', 'p'])
})

test('a YouTube embed is a paragraph with one link to its watch page', () => {
  const links = post('136402218').body.children.filter((node) => node.type === 'element' && html({type: 'root', children: [node]}).includes('youtube'))
  assert.equal(html({type: 'root', children: links}), '<p><a href="https://www.youtube.com/watch?v=Zt4yW8mKq2E">Watch on YouTube</a></p>')
})

test('every word of every post is in what the reader gives', async () => {
  let checked = 0
  for (const one of posts) {
    const source = await readFile(path.join(exportDir, one.origin.entry), 'utf8')
    const words = htmlWords(source, chrome, true)
    assert.deepEqual(missingWords(words, postWords(one)), [], one.key)
    checked += words.length
  }
  assert.ok(checked > 1200, `${checked} words checked`)
})

test('a changed export: columns in another order, no subscriber list, a start time, and rows and references that lead nowhere', async () => {
  const dir = await tempDir('substack-')
  try {
    await cp(exportDir, dir, {recursive: true})
    await rm(path.join(dir, 'email_list.morwenna.csv'))
    const header = 'title,audience,type,is_published,post_date,post_id,subtitle'
    const rows = [
      'Past Lives (2023),everyone,newsletter,TRUE,2023-06-20T08:00:00.000Z,134829571.past-lives-2023,',
      'Review: The Iron Giant (1999),founding,newsletter,True,2023-07-11T23:30:00.000-02:00,136402218.review-the-iron-giant-1999,',
      'Gone,everyone,newsletter,true,2023-01-01T00:00:00.000Z,135000000.gone,',
      'Undated,everyone,newsletter,true,someday,140118265.perfect-days-a-review,',
      'Odd,everyone,podcast,false,,../email_list.morwenna,'
    ]
    await writeFile(path.join(dir, 'posts.csv'), `${header}\n${rows.join('\n')}\n`)
    const giant = path.join(dir, 'posts', '136402218.review-the-iron-giant-1999.html')
    const giantHtml = (await readFile(giant, 'utf8'))
      .replace('&quot;startTime&quot;:null', '&quot;startTime&quot;:&quot;95&quot;')
      .replace(
        '<div class="pullquote">',
        '<p class="button-wrapper" data-component-name="ButtonCreateButton"><a class="button primary" href="https://example.org/tickets"><span>Book tickets</span></a></p>' +
          '<div class="embedded-post-wrap" data-attrs="{&quot;url&quot;:&quot;https://other.substack.com/p/a-post&quot;,&quot;title&quot;:&quot;A post elsewhere&quot;}"><div class="embedded-post">A post elsewhere, and its blurb</div></div>' +
          '<p>A dangling reference.<a class="footnote-anchor" href="#footnote-9" id="footnote-anchor-9">9</a></p>' +
          '<div class="pullquote">'
      )
      .concat(
        '<div class="footnote" data-component-name="FootnoteToDOM"><a id="footnote-5" href="#footnote-anchor-5" class="footnote-number">5</a><div class="footnote-content"><p>An orphaned note.</p></div></div>'
      )
    await writeFile(giant, giantHtml)
    // The CDN address alone (no data-attrs): the original is percent-encoded inside it.
    const past = path.join(dir, 'posts', '134829571.past-lives-2023.html')
    await writeFile(past, (await readFile(past, 'utf8')).replace(/ data-attrs="\{&quot;src&quot;[^"]*"/, ''))

    const {posts: read, archive: opened, publication: found} = await readExport(dir, substack)
    assert.deepEqual(
      read.map((one) => one.key),
      ['134829571', '136402218', '140118265']
    )
    assert.deepEqual(found, {name: 'Morwenna at the Movies', site: 'https://morwenna.substack.com'}, 'the host comes from the posts’ links to each other')
    const giantPost = post('136402218', read)
    assert.equal(giantPost.paid, true, 'an audience never seen is read as paid')
    assert.deepEqual(giantPost.published, {year: 2023, month: 7, day: 12}, 'the day in UTC')
    assert.equal(giantPost.url, 'https://morwenna.substack.com/p/review-the-iron-giant-1999')
    const giantBody = html(giantPost.body)
    assert.ok(giantBody.includes('<p><a href="https://www.youtube.com/watch?v=Zt4yW8mKq2E&#x26;t=95s">Watch on YouTube</a></p>'), 'the start time is kept')
    assert.ok(giantBody.includes('<p><a href="https://example.org/tickets">Book tickets</a></p>'), 'a button the author made is a link')
    assert.ok(giantBody.includes('<p><a href="https://other.substack.com/p/a-post">A post elsewhere</a></p>'), 'an embedded post is a link')
    assert.ok(giantBody.includes('<p>A dangling reference.[9]</p>'))
    assert.ok(giantBody.endsWith('<p>An orphaned note.</p>'), 'a note nothing refers to is kept, at the end')
    assert.deepEqual(giantPost.notes, [])
    assert.ok(!giantBody.includes('Subscribe'))
    assert.equal(post('140118265', read).published, undefined)
    assert.equal(
      elementsOf(post('134829571', read).body).find((element) => element.tagName === 'img')?.properties.src,
      'https://substack-post-media.s3.amazonaws.com/public/images/8f3c2d1a-6b4e-4f7a-9c21-0d5e7b3a9f18_1600x900.jpeg'
    )

    const problems = opened.opened.flatMap((file) =>
      file.messages.map((message) => `${file.path.slice(file.path.lastIndexOf(':') + 1)}:${message.line}:${message.column} ${message.ruleId} ${message.reason}`)
    )
    const giantLine = giantHtml.split('\n').findIndex((line) => line.includes('footnote-9')) + 1
    const giantColumn = giantHtml.split('\n')[giantLine - 1]!.indexOf('<a class="footnote-anchor" href="#footnote-9"') + 1
    assert.deepEqual(
      problems.sort(),
      [
        'posts.csv:4:1 import-post The row for `135000000.gone` has no post file `posts/135000000.gone.html` in the export, so the post is left out',
        'posts.csv:5:1 import-post `140118265.perfect-days-a-review` is published but its `post_date` `someday` cannot be read, so it is imported without a date',
        'posts.csv:6:1 import-post The row has no usable `post_id` (`../email_list.morwenna`), so its post cannot be found and is left out',
        'posts.csv:undefined:undefined import-post `posts/137790412.a-western-that-walks-instead-of-riding.html` has no row in `posts.csv`, so it is not imported',
        'posts.csv:undefined:undefined import-post `posts/138654009.aftersun-2022.html` has no row in `posts.csv`, so it is not imported',
        'posts.csv:undefined:undefined import-post `posts/139002316.open-thread-what-did-you-watch-this-week.html` has no row in `posts.csv`, so it is not imported',
        'posts.csv:undefined:undefined import-post `posts/134500001.about.html` has no row in `posts.csv`, so it is not imported',
        'posts.csv:undefined:undefined import-post `posts/141230877.review-arrival-2016.html` has no row in `posts.csv`, so it is not imported',
        'posts.csv:undefined:undefined import-post `posts/141998420.untitled-draft.html` has no row in `posts.csv`, so it is not imported',
        `posts/136402218.review-the-iron-giant-1999.html:${giantLine}:${giantColumn} import-post A footnote reference points to note \`9\`, which is not in the post, so its number is kept as plain text`,
        `posts/136402218.review-the-iron-giant-1999.html:${giantLine}:${giantHtml.split('\n')[giantLine - 1]!.indexOf('<div class="footnote"') + 1} import-post Note \`5\` is not referred to anywhere in the text, so its words are put at the end of the post`
      ].sort()
    )
    assert.ok(
      opened.opened.every((file) => file.messages.every((message) => message.fatal === false)),
      'each is a warning'
    )
    assert.deepEqual(openedEntries(opened).sort(), [
      'posts.csv',
      'posts/134829571.past-lives-2023.html',
      'posts/136402218.review-the-iron-giant-1999.html',
      'posts/140118265.perfect-days-a-review.html'
    ])
  } finally {
    await removeDir(dir)
  }
})

test('a posts.csv without post_id is refused at its first line; one lacking other columns is read with a warning saying how', async () => {
  const without = await makeProject({'posts.csv': 'id,title\n1.a,A\n', 'posts/1.a.html': '<p>Words.</p>'})
  const lacking = await makeProject({'posts.csv': 'post_id,post_date\n1.a,2020-01-01T00:00:00Z\n', 'posts/1.a.html': '<p>Words.</p>'})
  try {
    const refused = await readExport(without, substack)
    assert.deepEqual(refused.posts, [])
    const [error] = refused.archive.opened.flatMap((file) => file.messages)
    assert.equal(String(error), `${without}:posts.csv:1:1: \`posts.csv\` has no \`post_id\` column (its columns: \`id\`, \`title\`), so no post can be found`)
    assert.equal(error!.fatal, true)
    assert.deepEqual(openedEntries(refused.archive), ['posts.csv'])

    const read = await readExport(lacking, substack)
    assert.deepEqual(
      read.posts.map((one) => [one.key, one.slug, one.title, one.draft, one.kind, one.paid, one.published]),
      [['1', 'a', '', true, 'post', false, undefined]]
    )
    assert.deepEqual(
      read.archive.opened.flatMap((file) => file.messages.map((message) => `${message.line}:${message.column} ${message.reason}`)),
      ['1:1 `posts.csv` has no `is_published`, `type`, `audience`, `title` column, so every post is taken to be a draft, an ordinary post, free and untitled']
    )
  } finally {
    await removeDir(without)
    await removeDir(lacking)
  }
})
