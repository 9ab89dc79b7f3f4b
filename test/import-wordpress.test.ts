// The WordPress reader on the WXR fixture and on small hand-made exports: posts and pages (never
// attachments or menu items) with their metadata; block-editor and classic bodies brought to the
// body vocabulary (captions, embeds, footnotes of both kinds, pull quotes, no `<!--more-->`, no
// scripts); CDATA split by the exporter joined; every word kept; problems placed in the file.
import assert from 'node:assert/strict'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {test} from 'node:test'
import {parseXml, XmlElement} from '@rgrove/parse-xml'
import type {Element, ElementContent, Root} from 'hast'
import {VFile} from 'vfile'
import {openArchive} from '../src/import/archive.js'
import {wordpress} from '../src/import/sources/wordpress.js'
import {parseWxr} from '../src/import/sources/wordpress-xml.js'
import type {Archive, ImportedPost} from '../src/import/types.js'
import {fixturesDir, makeProject, removeDir} from './helpers/project.js'
import {shape, text} from './helpers/post-words.js'

const fixture = path.join(fixturesDir, 'import', 'wordpress')
const fixtureXml = path.join(fixture, 'morwennacastellanonfilm.WordPress.2024-05-02.xml')
const site = 'https://morwennacastellan.example'

async function open(location: string): Promise<Archive> {
  const archive = await openArchive(location, new VFile({path: path.basename(location)}))
  assert.ok(archive, 'the export opens')
  return archive
}

let cached: {archive: Archive; posts: ImportedPost[]} | undefined
async function fixturePosts(): Promise<{archive: Archive; posts: ImportedPost[]}> {
  if (!cached) {
    const archive = await open(fixture)
    cached = {archive, posts: (await wordpress.read(archive)).posts}
  }
  return cached
}

async function post(key: string): Promise<ImportedPost> {
  const found = (await fixturePosts()).posts.find((candidate) => candidate.key === key)
  assert.ok(found, `post ${key} is read`)
  return found
}

interface ItemOptions {
  id?: number
  title?: string
  content: string
  status?: string
  type?: string
  meta?: Record<string, string>
}

function item({id = 5, title = 'A post', content, status = 'publish', type = 'post', meta = {}}: ItemOptions): string {
  const metas = Object.entries(meta)
    .map(([key, value]) => `<wp:postmeta><wp:meta_key><![CDATA[${key}]]></wp:meta_key><wp:meta_value><![CDATA[${value}]]></wp:meta_value></wp:postmeta>`)
    .join('\n')
  return `<item>\n<title><![CDATA[${title}]]></title>\n<link>https://blog.example/a-post/</link>\n<guid isPermaLink="false">https://blog.example/?p=${id}</guid>\n<content:encoded><![CDATA[${content}]]></content:encoded>\n<wp:post_id>${id}</wp:post_id>\n<wp:post_date_gmt><![CDATA[2020-02-03 04:05:06]]></wp:post_date_gmt>\n<wp:post_name><![CDATA[a-post]]></wp:post_name>\n<wp:status><![CDATA[${status}]]></wp:status>\n<wp:post_type><![CDATA[${type}]]></wp:post_type>\n${metas}\n</item>\n`
}

function wxr(items: string): string {
  return `<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>A Blog</title>\n<link>https://blog.example</link>\n<wp:base_blog_url>https://blog.example</wp:base_blog_url>\n${items}</channel>\n</rss>\n`
}

async function readXml(xml: string) {
  const dir = await makeProject({'blog.WordPress.2024-01-01.xml': xml})
  try {
    const archive = await open(dir)
    const result = await wordpress.read(archive)
    const messages = [...archive.file.messages, ...archive.opened.flatMap((file) => file.messages)].map((message) => ({
      at: `${message.line ?? ''}:${message.column ?? ''}`,
      reason: message.reason,
      ruleId: message.ruleId,
      fatal: message.fatal
    }))
    return {...result, messages}
  } finally {
    await removeDir(dir)
  }
}

function tops(post: ImportedPost): string[] {
  return post.body.children.map((child) => (child.type === 'element' ? child.tagName : child.type))
}

function words(value: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const word of value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1)
  return counts
}

const entities: Record<string, string> = {nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', '#8217': '’', '#8230': '…'}

/** What a reader of the post sees, from the raw export, by other means than the reader's. */
function visibleText(content: string, footnotes: string | undefined): string {
  const body = content
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    // The number inside a Gutenberg footnote reference is WordPress's display only.
    .replace(/<sup data-fn[\s\S]*?<\/sup>/g, ' ')
    .replace(/\[caption[^\]]*?caption="([^"]*)"[^\]]*\]/g, ' $1 ')
    .replace(/\[\/?(caption|embed|ref)\b[^\]]*\]/g, ' ')
  const notes = footnotes ? (JSON.parse(footnotes) as Array<{content: string}>).map((note) => note.content).join(' ') : ''
  return `${body} ${notes}`
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#?\w+);/g, (whole, name: string) => entities[name] ?? whole)
    .replace(/https?:\/\/\S+/g, ' ')
}

test('posts and pages come back with their key, kind, status, title, day, address, slug, aliases and tags; nothing else does', async () => {
  const {posts} = await fixturePosts()
  const day = (year: number, month: number, date: number) => ({year, month, day: date})
  assert.deepEqual(
    posts.map((found) => ({
      key: found.key,
      kind: found.kind,
      draft: found.draft,
      paid: found.paid,
      title: found.title,
      published: found.published,
      url: found.url,
      slug: found.slug,
      aliases: found.aliases,
      tags: found.tags,
      film: found.film
    })),
    [
      {
        key: '2',
        kind: 'page',
        draft: false,
        paid: false,
        title: 'About',
        published: day(2016, 9, 1),
        url: `${site}/about/`,
        slug: 'about',
        aliases: [`${site}/?p=2`],
        tags: [],
        film: undefined
      },
      {
        key: '11',
        kind: 'post',
        draft: false,
        paid: false,
        title: 'Moonlight (2016)',
        published: day(2019, 3, 2),
        url: `${site}/2019/03/moonlight-2016/`,
        slug: 'moonlight-2016',
        aliases: [`${site}/?p=11`],
        tags: ['Barry Jenkins', 'Best Picture', 'Reviews'],
        film: undefined
      },
      {
        key: '14',
        kind: 'post',
        draft: false,
        paid: false,
        title: 'Review: The Red Turtle (2016)',
        published: day(2019, 4, 14),
        url: `${site}/2019/04/review-the-red-turtle-2016/`,
        slug: 'review-the-red-turtle-2016',
        aliases: [`${site}/?p=14`],
        tags: ['Animation', 'Studio Ghibli', 'Reviews'],
        film: undefined
      },
      {
        key: '17',
        kind: 'post',
        draft: false,
        paid: false,
        title: 'Playtime — a review',
        published: day(2019, 5, 20),
        url: `${site}/2019/05/playtime-a-review/`,
        slug: 'playtime-a-review',
        aliases: [`${site}/?p=17`, `${site}/2019/05/playtime-1967/`],
        tags: ['Jacques Tati', 'Reviews'],
        film: undefined
      },
      {
        key: '21',
        kind: 'post',
        draft: false,
        paid: false,
        title: 'Rain, Noodles & Longing: an Evening with Wong Kar-wai',
        published: day(2019, 8, 11),
        url: `${site}/2019/08/rain-noodles-longing/`,
        slug: 'rain-noodles-longing',
        aliases: [`${site}/?p=21`],
        tags: ['Wong Kar-wai', 'Reviews', 'Essays'],
        film: undefined
      },
      {
        key: '25',
        kind: 'post',
        draft: true,
        paid: false,
        title: 'Review: Drive My Car (2021)',
        published: undefined,
        url: `${site}/?p=25`,
        slug: undefined,
        aliases: [],
        tags: ['Reviews'],
        film: undefined
      },
      {
        key: '27',
        kind: 'post',
        draft: true,
        paid: false,
        title: 'Films to rewatch before the autumn',
        published: day(2023, 8, 20),
        url: `${site}/2023/08/films-to-rewatch-before-the-autumn/`,
        slug: 'films-to-rewatch-before-the-autumn',
        aliases: [`${site}/?p=27`],
        tags: [],
        film: undefined
      }
    ]
  )
  for (const found of posts) {
    assert.equal(found.source, 'wordpress')
    assert.equal(found.origin.entry, 'morwennacastellanonfilm.WordPress.2024-05-02.xml')
  }
  assert.deepEqual(
    posts.map((found) => found.origin.line),
    [80, 114, 177, 286, 336, 403, 442],
    "each post's origin is its <item>'s line"
  )
})

test('the private post is a draft, and the report says why', async () => {
  const {archive} = await fixturePosts()
  const messages = archive.opened.flatMap((file) => file.messages)
  assert.deepEqual(
    messages.map((message) => [message.line, message.ruleId, message.fatal, message.reason]),
    [
      [
        442,
        'import-private',
        undefined,
        'Post 27 (“Films to rewatch before the autumn”) is private on the blog (only its author could read it), so it is imported as a draft'
      ]
    ]
  )
})

test('the publication is the channel title, the first author and the blog address', async () => {
  const {publication} = await wordpress.read(await open(fixture))
  assert.deepEqual(publication, {name: 'Morwenna Castellan on Film', author: 'Morwenna Castellan', site})
  assert.equal(wordpress.recognises(await open(fixture)), true)
  assert.equal(wordpress.recognises(await open(path.join(fixturesDir, 'import', 'letterboxd'))), false)
})

test('a block-editor post keeps its blocks: heading, image with caption at full size, footnote references, and its notes in order', async () => {
  const moonlight = await post('11')
  assert.deepEqual(tops(moonlight), ['p', 'figure', 'p', 'p', 'h2', 'p', 'p'])
  assert.equal(
    shape(moonlight.body.children[1] as Element),
    `<figure><img src=${site}/wp-content/uploads/2019/03/moonlight-beach.jpg alt=Waves breaking on a beach at night under a deep blue sky></img><figcaption>The beach at night, which the film returns to like a held breath.</figcaption></figure>`
  )
  const refs = shape(moonlight.body).match(/<sup[^>]*><\/sup>/g)
  assert.deepEqual(refs, ['<sup dataFootnote=3f2b8c1e-6d4a-4b7e-9a05-1c8e2d7f6b90></sup>', '<sup dataFootnote=a91d4e27-0c6b-4f3a-8e12-5b7c9d3e1f48></sup>'])
  assert.deepEqual(
    moonlight.notes.map((note) => [note.id, note.children.map((child) => shape(child)).join('')]),
    [
      [
        '3f2b8c1e-6d4a-4b7e-9a05-1c8e2d7f6b90',
        '<p>The film grew out of an unproduced play by Tarell Alvin McCraney, <em>In Moonlight Black Boys Look Blue</em>.</p>'
      ],
      [
        'a91d4e27-0c6b-4f3a-8e12-5b7c9d3e1f48',
        `<p>It is hard not to think of Wong Kar-wai here; see <a href=${site}/2019/08/rain-noodles-longing/>my piece on <em>In the Mood for Love</em></a>.</p>`
      ]
    ]
  )
  assert.doesNotMatch(shape(moonlight.body), /className|wp-block|wp-image|data-fn|dataFn|id=/)
})

test('an embed block is a paragraph with one link to the watch page, its caption the words; a pull quote keeps its source; a separator is a rule', async () => {
  const turtle = await post('14')
  assert.deepEqual(tops(turtle), ['p', 'p', 'p', 'p', 'blockquote', 'hr', 'p'])
  assert.equal(
    shape(turtle.body.children[2] as Element),
    '<p><a href=https://www.youtube.com/watch?v=Rt5vJm0kP7s>The trailer, almost as wordless as the film.</a></p>'
  )
  assert.equal(
    shape(turtle.body.children[4] as Element),
    '<blockquote><p>A film with no words that manages to say almost everything.</p><p>— From my notebook, the night I saw it</p></blockquote>'
  )
})

test('a classic-editor post gets paragraphs from blank lines, both caption forms as figures, the embed as a link, and [ref] notes', async () => {
  const playtime = await post('17')
  assert.deepEqual(tops(playtime), ['p', 'figure', 'p', 'figure', 'p', 'p', 'p'])
  const [office, barbara] = playtime.body.children.filter((child): child is Element => child.type === 'element' && child.tagName === 'figure')
  assert.equal(
    shape(office!),
    `<figure><img src=${site}/wp-content/uploads/2019/05/playtime-office.jpg alt=A grid of identical office cubicles seen from above></img><figcaption>The office maze: count the Hulots.</figcaption></figure>`
  )
  assert.equal(
    shape(barbara!),
    `<figure><img src=${site}/wp-content/uploads/2019/05/playtime-barbara.jpg alt=A young woman in a green coat reflected in a glass door></img><figcaption>Barbara, the tourist who keeps almost meeting Hulot.</figcaption></figure>`,
    'the linked medium-size copy becomes the full-size attachment'
  )
  assert.equal(shape(playtime.body.children[5] as Element), '<p><a href=https://www.youtube.com/watch?v=Vb3nR7tQx2E>Watch on YouTube</a></p>')
  assert.match(shape(playtime.body.children[0] as Element), /third viewing\.<sup dataFootnote=ref-1><\/sup><\/p>$/)
  assert.match(shape(playtime.body.children[4] as Element), /into a party\.<sup dataFootnote=ref-2><\/sup><\/p>$/)
  assert.deepEqual(
    playtime.notes.map((note) => [note.id, note.children.map((child) => shape(child)).join('')]),
    [
      ['ref-1', '<p>It was shot on 70mm, which helps: on a big screen you can watch one joke in the far corner while another plays out in front of you.</p>'],
      ['ref-2', '<p>The film was a commercial disaster on release, and Tati never really recovered from the debts.</p>']
    ]
  )
  assert.match(shape(playtime.body.children.at(-1) as Element), /about <strong>noticing<\/strong>, and/)
  assert.doesNotMatch(text(playtime.body), /\[|\]|&nbsp;|\u00a0/)
})

test('no <!--more-->, block comment or script survives, and the text of a raw HTML block does', async () => {
  const {posts} = await fixturePosts()
  const nodes = (node: Root | ElementContent): Array<Root | ElementContent> => [
    node,
    ...('children' in node ? node.children.flatMap((child) => nodes(child as ElementContent)) : [])
  ]
  for (const found of posts) {
    const all = nodes(found.body)
    assert.deepEqual(
      all.filter((node) => node.type === 'comment' || (node.type === 'element' && ['script', 'style', 'div', 'span'].includes(node.tagName))),
      [],
      `post ${found.key}`
    )
    assert.doesNotMatch(text(found.body), /more-->|wp:|CDATA|\]\]>|querySelector/, `post ${found.key}`)
  }
  const rain = await post('21')
  assert.equal(shape(rain.body.children.at(-1) as Element), '<p>My diary entry for this one, with the rating I gave it that night:</p>')
  assert.equal(
    shape(rain.body.children[2] as Element),
    '<blockquote><p>It is a film about restraint that is itself completely unrestrained in its beauty.</p></blockquote>'
  )
})

test('every word of every post and page is in its body or notes', async () => {
  const {posts} = await fixturePosts()
  const channel = parseXml(await readFile(fixtureXml, 'utf8')).root!.children.find((node): node is XmlElement => node instanceof XmlElement)!
  const items = channel.children.filter((node): node is XmlElement => node instanceof XmlElement && node.name === 'item')
  const value = (element: XmlElement, name: string) => element.children.find((node): node is XmlElement => node instanceof XmlElement && node.name === name)
  for (const found of posts) {
    const source = items.find((candidate) => value(candidate, 'wp:post_id')?.text === found.key)!
    const footnotes = source.children
      .filter((node): node is XmlElement => node instanceof XmlElement && node.name === 'wp:postmeta')
      .find((meta) => value(meta, 'wp:meta_key')?.text === 'footnotes')
    const written = words(visibleText(value(source, 'content:encoded')!.text, footnotes ? value(footnotes, 'wp:meta_value')!.text : undefined))
    const kept = words(`${text(found.body)} ${found.notes.flatMap((note) => note.children.map(text)).join(' ')}`)
    const missing = [...written].filter(([word, count]) => (kept.get(word) ?? 0) < count).map(([word]) => word)
    assert.deepEqual(missing, [], `words of post ${found.key} missing`)
    assert.ok(written.size > 10, `post ${found.key} has text to check`)
  }
})

test('CDATA split by the exporter comes back whole', async () => {
  const {posts} = await readXml(wxr(item({content: '<!-- wp:paragraph --><p>Code ends with ]]]]><![CDATA[> here.</p><!-- /wp:paragraph -->'})))
  assert.equal(shape(posts[0]!.body), '<p>Code ends with ]]> here.</p>')
})

test('titles lose their HTML and entities; classic line breaks are br, block-editor ones are not', async () => {
  const {posts} = await readXml(
    wxr(
      item({id: 1, title: '<em>Tár</em> &amp; the &#8220;maestro&#8221;', content: 'One line\nand the next.\n\n\n\nA new paragraph.'}) +
        item({id: 2, content: '<!-- wp:paragraph -->\n<p>One line\nand the same paragraph.</p>\n<!-- /wp:paragraph -->'})
    )
  )
  assert.equal(posts[0]!.title, 'Tár & the “maestro”')
  assert.equal(shape(posts[0]!.body), '<p>One line<br></br>and the next.</p><p>A new paragraph.</p>')
  assert.equal(shape(posts[1]!.body), '<p>One line\nand the same paragraph.</p>')
})

test('a bare address on its own line in a classic post is an embed link; inside a sentence it stays text', async () => {
  const {posts} = await readXml(wxr(item({content: 'Watch this:\n\nhttps://vimeo.com/76979871\n\nOr read https://example.com/a in a sentence.'})))
  assert.equal(
    shape(posts[0]!.body),
    '<p>Watch this:</p><p><a href=https://vimeo.com/76979871>Watch on Vimeo</a></p><p>Or read https://example.com/a in a sentence.</p>'
  )
})

test('a resized image that is no attachment of the export keeps its address', async () => {
  const {posts} = await readXml(
    wxr(item({content: '<!-- wp:image --><figure class="wp-block-image"><img src="https://cdn.example/x-1024x576.jpg" alt=""/></figure><!-- /wp:image -->'}))
  )
  assert.equal(shape(posts[0]!.body), '<figure><img src=https://cdn.example/x-1024x576.jpg alt=></img></figure>')
})

test('a footnote reference without its note is a warning at its place, and the reference is left out; the text stays', async () => {
  const content =
    '<!-- wp:paragraph -->\n<p>Text.<sup data-fn="aa" class="fn"><a href="#aa" id="aa-link">1</a></sup> More.<sup data-fn="bb" class="fn"><a href="#bb" id="bb-link">2</a></sup></p>\n<!-- /wp:paragraph -->'
  const {posts, messages} = await readXml(wxr(item({content, meta: {footnotes: '[{"content":"Only the first.","id":"aa"}]'}})))
  assert.equal(shape(posts[0]!.body), '<p>Text.<sup dataFootnote=aa></sup> More.</p>')
  assert.deepEqual(
    posts[0]!.notes.map((note) => note.id),
    ['aa']
  )
  assert.deepEqual(messages, [
    {
      at: '12:87',
      reason: "Post 5 (“A post”): a footnote reference (`bb`) has no note in the post's `footnotes` meta, so the reference is left out",
      ruleId: 'import-post',
      fatal: false
    }
  ])
})

test('broken XML is an error at its line and column, and no post is invented', async () => {
  const {posts, messages} = await readXml(wxr(item({content: '<p>fine</p>'})).replace('</wp:post_id>', '</wp:post_idd>'))
  assert.deepEqual(posts, [])
  assert.equal(messages.length, 1)
  assert.deepEqual([messages[0]!.at, messages[0]!.ruleId, messages[0]!.fatal], ['12:14', 'import-unreadable', true])
  assert.match(messages[0]!.reason, /^The WordPress export is not well-formed XML \(.+\), so none of its posts can be read$/)
})

test('control characters XML forbids are a warning at the first of them and read as spaces; the XML is still read', () => {
  // The archive reads such characters as spaces before it gets here (import-text); the parser does not depend on that.
  const file = new VFile({path: 'blog.xml', value: wxr(item({content: 'Pasted\u000bfrom Word\u000c.'}))})
  const channel = parseWxr(file)
  assert.ok(channel)
  const content = channel.children
    .find((node): node is XmlElement => node instanceof XmlElement && node.name === 'item')!
    .children.find((node): node is XmlElement => node instanceof XmlElement && node.name === 'content:encoded')!
  assert.equal(content.text, 'Pasted from Word .')
  assert.deepEqual(
    file.messages.map((message) => [message.line, message.column, message.ruleId, message.fatal, message.reason]),
    [[11, 33, 'import-text', false, 'The export holds 2 control characters that XML does not allow; they are read as spaces']]
  )
})

test('menu items, attachments, revisions and trashed posts are no posts; statuses other than publish are drafts', async () => {
  const {posts} = await readXml(
    wxr(
      item({id: 1, type: 'nav_menu_item', content: ''}) +
        item({id: 2, type: 'attachment', status: 'inherit', content: ''}) +
        item({id: 3, type: 'revision', status: 'inherit', content: 'old'}) +
        item({id: 4, status: 'trash', content: 'gone'}) +
        item({id: 6, status: 'pending', content: 'p'}) +
        item({id: 7, status: 'future', content: 'f'}) +
        item({id: 8, type: 'review', content: 'a theme type'})
    )
  )
  assert.deepEqual(
    posts.map((found) => [found.key, found.kind, found.draft, found.published?.year]),
    [
      ['6', 'post', true, undefined],
      ['7', 'post', true, 2020],
      ['8', 'other', false, 2020]
    ]
  )
})

test('a [ref] never closed and an [embed] without an address are warnings at their place, their text kept', async () => {
  const {posts, messages} = await readXml(wxr(item({content: 'First [ref]a note that never ends.\n\n[embed]not an address[/embed]'})))
  assert.equal(shape(posts[0]!.body), '<p>First [ref]a note that never ends.</p><p>not an address</p>')
  assert.deepEqual(
    messages.map((message) => [message.at, message.ruleId, message.fatal, message.reason]),
    [
      ['13:1', 'import-post', false, 'Post 5 (“A post”): `[embed]not an address[/embed]` does not hold a web address, so it is kept as text'],
      ['11:33', 'import-post', false, 'Post 5 (“A post”): a footnote `[ref]` is never closed with `[/ref]`, so it is kept as text']
    ]
  )
})
