// The importer's platform-free parts: image downloads against a real local HTTP server (type by
// bytes, limits, timeouts, retries), names that never collide, links between posts, what a
// re-import does with each file, the starting volumes.yaml, and `exclude:` in volumes.yaml.
import assert from 'node:assert/strict'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {test} from 'node:test'
import type {Root} from 'hast'
import {embedLink} from '../src/import/embeds.js'
import {fetchImages, type FetchLike} from '../src/import/images.js'
import {addressBook, assignNames, decide, resolveLink, type Existing} from '../src/import/plan.js'
import {digest, emptyRecord} from '../src/import/record.js'
import {selectPosts} from '../src/import/select.js'
import {reviewsSnippet, splitVolumes, starterManifest} from '../src/import/starter.js'
import type {ImportedPost} from '../src/import/types.js'
import {excludeMatcher} from '../src/project/exclude.js'
import {runCli} from './helpers/cli.js'
import {makeProject, manifest, removeDir, review, tinyPng} from './helpers/project.js'

const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex')

function post(fields: Partial<ImportedPost> & {key: string}): ImportedPost {
  const body: Root = {type: 'root', children: [{type: 'element', tagName: 'p', properties: {}, children: [{type: 'text', value: 'Some words.'}]}]}
  return {
    source: 'medium',
    origin: {entry: `posts/${fields.key}.html`},
    title: '',
    aliases: [],
    tags: [],
    kind: 'post',
    draft: false,
    paid: false,
    body,
    notes: [],
    ...fields
  }
}

function existing(files: string[] = [], record: Existing['record'] = emptyRecord(), texts: Record<string, string> = {}): Existing {
  return {files: new Set(files), texts: new Map(Object.entries(texts)), record}
}

async function withServer(run: (base: string, hits: Map<string, number>) => Promise<void>): Promise<void> {
  const hits = new Map<string, number>()
  const server: Server = createServer((request, response) => {
    const url = request.url ?? '/'
    hits.set(url, (hits.get(url) ?? 0) + 1)
    if (url === '/still.jpg') response.writeHead(200, {'content-type': 'image/jpeg'}).end(jpeg)
    else if (url === '/named.png') response.writeHead(200, {'content-type': 'image/jpeg'}).end(tinyPng)
    else if (url === '/page.jpg') response.writeHead(200, {'content-type': 'image/jpeg'}).end('<!DOCTYPE html><html><body>Sign in</body></html>')
    else if (url === '/missing.jpg') response.writeHead(404, 'Not Found').end()
    else if (url === '/flaky.jpg') {
      if (hits.get(url)! < 3) response.writeHead(503, 'Service Unavailable').end()
      else response.writeHead(200).end(jpeg)
    } else if (url === '/down.jpg') response.writeHead(502, 'Bad Gateway').end()
    else if (url === '/huge.jpg') {
      // No length given: the reader must count and stop.
      response.writeHead(200, {'content-type': 'image/jpeg'})
      response.write(jpeg.subarray(0, 4))
      const chunk = Buffer.alloc(64 * 1024)
      let sent = 0
      const pump = () => {
        while (sent < 4_000_000 && response.write(chunk)) sent += chunk.length
        if (sent < 4_000_000) response.once('drain', pump)
        else response.end()
      }
      pump()
    } else if (url === '/declared-huge.jpg') response.writeHead(200, {'content-length': '900000000'}).end()
    else if (url === '/silent.jpg') {
      // Never answers: only the timeout ends it.
    } else response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  try {
    await run(base, hits)
  } finally {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

test('images: downloaded from a server, kept only when the bytes are an image, named by content; every failure is a reason', async () => {
  await withServer(async (base, hits) => {
    const urls = ['still.jpg', 'named.png', 'page.jpg', 'missing.jpg', 'flaky.jpg', 'down.jpg', 'huge.jpg', 'declared-huge.jpg', 'silent.jpg'].map(
      (name) => `${base}/${name}`
    )
    const slept: number[] = []
    const outcomes = await fetchImages(
      urls.map((address) => ({address})),
      {limits: {maxBytes: 1_000_000, timeoutMs: 400, retries: 2}, sleep: async (ms) => void slept.push(ms)}
    )
    const get = (name: string) => outcomes.get(`${base}/${name}`)!
    const still = get('still.jpg')
    assert.ok(still.ok)
    assert.equal(still.name, `images/${digest(jpeg).slice(0, 20)}.jpg`)
    assert.deepEqual(Buffer.from(still.bytes), jpeg)
    // The server called it a JPEG; the bytes are a PNG, and the name says so.
    const named = get('named.png')
    assert.ok(named.ok)
    assert.equal(named.format, 'png')
    assert.match(named.name, /^images\/[0-9a-f]{20}\.png$/)
    assert.deepEqual(get('page.jpg'), {ok: false, reason: 'what came back is not an image (a web page)'})
    assert.deepEqual(get('missing.jpg'), {ok: false, reason: 'the server answered 404 Not Found'})
    assert.equal(get('flaky.jpg').ok, true, 'two 503s, then the image: retried')
    assert.equal(hits.get('/flaky.jpg'), 3)
    assert.deepEqual(get('down.jpg'), {ok: false, reason: 'the server answered 502 Bad Gateway (tried 3 times)'})
    assert.deepEqual(get('huge.jpg'), {ok: false, reason: 'it is over the limit of 1.0 MB'})
    assert.deepEqual(get('declared-huge.jpg'), {ok: false, reason: 'it is 900.0 MB, over the limit of 1.0 MB'})
    assert.deepEqual(get('silent.jpg'), {ok: false, reason: 'no answer within 0.4 s (tried 3 times)'})
    assert.equal(hits.get('/missing.jpg'), 1, 'a 404 is not retried')
    assert.ok(
      slept.every((ms) => ms >= 500),
      'waits grow between attempts'
    )
  })
})

test('images: a few at a time, the same address fetched once, and no more than the count limit', async () => {
  let active = 0
  let most = 0
  const calls: string[] = []
  const fake: FetchLike = async (url) => {
    calls.push(url)
    active++
    most = Math.max(most, active)
    await new Promise((resolve) => setTimeout(resolve, 5))
    active--
    return new Response(jpeg)
  }
  const sources = Array.from({length: 30}, (_, i) => ({address: `https://images.example/${i % 20}.jpg`}))
  const outcomes = await fetchImages(sources, {fetch: fake, limits: {concurrency: 4, maxCount: 12}})
  assert.equal(most, 4)
  assert.equal(calls.length, 12)
  assert.equal([...outcomes.values()].filter((outcome) => outcome.ok).length, 12)
  assert.match((outcomes.get('https://images.example/19.jpg') as {reason: string}).reason, /more than 12 images in one import/)
})

test('names: the slug, then the slug and date for a second post of the same name, then a number; a post imported before keeps its name', () => {
  const a = post({key: 'a', title: 'Her (2013)', published: {year: 2020, month: 5, day: 3}})
  const b = post({key: 'b', title: 'Review: Her (2013)', published: {year: 2023, month: 1, day: 9}})
  const c = post({key: 'c', title: 'Her (2013)'})
  const d = post({key: 'd', title: 'The quietest heist I have ever loved', slug: 'quiet-heist'})
  const first = assignNames([a, b, c, d], existing())
  assert.deepEqual([...first.names.values()], ['her-2013.md', 'her-2013-2023-01-09.md', 'her-2013-2.md', 'quiet-heist.md'])
  // Again, with a record: the same names, whatever order the export lists them in now.
  const record = {
    version: 1 as const,
    posts: Object.fromEntries([...first.names].map(([p, name]) => [`medium:${p.key}`, {file: name, sha256: '0'.repeat(64), input: '0'.repeat(64)}]))
  }
  const again = assignNames([d, c, b, a], existing([...first.names.values()], record))
  assert.deepEqual(
    [a, b, c, d].map((p) => again.names.get(p)),
    [...first.names.values()]
  )
  // A file of that name the author wrote by hand: never doubled under another name.
  const handwritten = assignNames([a], existing(['Her-2013.md']))
  assert.equal(handwritten.names.size, 0)
  assert.equal(handwritten.blocked.get(a), 'Her-2013.md')
})

test('links: to another post of the export by any of its addresses become review links; others are made absolute and kept', () => {
  const her = post({key: 'her', title: 'Her (2013)', url: 'https://medium.com/@morwenna/her-2013-3f2a1b9c8d7e', aliases: ['https://medium.com/p/3f2a1b9c8d7e']})
  const alien = post({key: 'alien', title: 'Alien (1979)', url: 'https://morwenna.example/2019/03/alien/'})
  const {names} = assignNames([her, alien], existing())
  const book = addressBook(names)
  assert.deepEqual([...names.values()], ['her-2013.md', 'alien-1979.md'])
  assert.equal(resolveLink('https://medium.com/@morwenna/her-2013-3f2a1b9c8d7e?source=post_page', alien, book), 'her-2013.md')
  assert.equal(resolveLink('https://medium.com/p/3f2a1b9c8d7e', alien, book), 'her-2013.md')
  assert.equal(resolveLink('http://www.morwenna.example/2019/03/alien', her, book), 'alien-1979.md')
  assert.equal(resolveLink('/2019/04/not-exported/', alien, book), 'https://morwenna.example/2019/04/not-exported/')
  assert.equal(resolveLink('https://en.wikipedia.org/wiki/Her_(film)', alien, book), 'https://en.wikipedia.org/wiki/Her_(film)')
  assert.equal(resolveLink('mailto:me@example.com', alien, book), 'mailto:me@example.com')
})

test('re-import: each case of edited, changed, both, neither, deleted', () => {
  const p = post({key: 'a'})
  const written = 'the text as imported'
  const record = {version: 1 as const, posts: {'medium:a': {file: 'a.md', sha256: digest(written), input: digest('post v1')}}}
  const state = (text: string | undefined) => existing(text === undefined ? [] : ['a.md'], record, text === undefined ? {} : {'a.md': text})
  assert.equal(decide(post({key: 'new'}), 'new.md', digest('x'), state(written), false), 'new')
  assert.equal(decide(p, 'a.md', digest('post v1'), state(written), false), 'unchanged')
  assert.equal(decide(p, 'a.md', digest('post v2'), state(written), false), 'outdated')
  assert.equal(decide(p, 'a.md', digest('post v2'), state(written), true), 'update')
  assert.equal(decide(p, 'a.md', digest('post v1'), state('my edits'), true), 'edited')
  assert.equal(decide(p, 'a.md', digest('post v2'), state('my edits'), true), 'conflict')
  assert.equal(decide(p, 'a.md', digest('post v2'), state(undefined), true), 'deleted')
})

test('choosing the reviews: responses and pages never; drafts, paid posts, tags and titles as asked; each with its reason', () => {
  const posts = [
    post({key: '1', title: 'Her (2013)', tags: ['Film Review']}),
    post({key: '2', title: 'Thanks!', kind: 'response'}),
    post({key: '3', title: 'About', kind: 'page'}),
    post({key: '4', title: 'Alien (1979)', draft: true, tags: ['film review']}),
    post({key: '5', title: 'Parasite (2019)', paid: true, tags: ['film review']}),
    post({key: '6', title: 'My year in reading', tags: ['books']}),
    post({key: '7', title: 'Empty (2020)', tags: ['film review'], body: {type: 'root', children: []}})
  ]
  const {kept, skipped} = selectPosts(posts, {tags: ['film review'], skipDrafts: true, skipPaid: true, title: /\(\d{4}\)/})
  assert.deepEqual(
    kept.map((p) => p.key),
    ['1']
  )
  assert.deepEqual(
    skipped.map((s) => `${s.post.key} ${s.why}`),
    ['2 response', '3 page', '4 draft', '5 paid', '6 tag', '7 empty']
  )
  assert.match(skipped.find((s) => s.why === 'tag')!.reason, /its tags are books/)
})

test('a starting volumes.yaml: by year or into n volumes, drafts at the end; a snippet when one exists', () => {
  const entries = [
    {post: post({key: 'a', published: {year: 2019, month: 1, day: 2}}), name: 'a.md'},
    {post: post({key: 'b', published: {year: 2019, month: 6, day: 2}}), name: 'b.md'},
    {post: post({key: 'c', published: {year: 2021, month: 1, day: 2}}), name: 'c.md'},
    {post: post({key: 'd', draft: true}), name: 'd.md'}
  ]
  assert.deepEqual(splitVolumes(entries, undefined), [
    {title: 'Reviews from 2019', reviews: ['a.md', 'b.md']},
    {title: 'Reviews from 2021', reviews: ['c.md', 'd.md']}
  ])
  assert.deepEqual(splitVolumes(entries, 3), [
    {title: 'Reviews from 2019', reviews: ['a.md']},
    {title: 'Reviews from 2019', reviews: ['b.md']},
    {title: 'Reviews from 2021', reviews: ['c.md', 'd.md']}
  ])
  const {text, authorLine} = starterManifest(splitVolumes(entries, 1), {name: 'Reel Talk: Notes'}, {reviews: 'reviews', source: 'medium', archive: 'x.zip'})
  assert.match(text, /^series: "Reel Talk: Notes"$/m)
  assert.match(text, /^author: Your Name # the export does not say: put your name here$/m)
  assert.equal(text.split('\n')[authorLine! - 1]!.startsWith('author:'), true)
  assert.match(text, /^ {2}title: "Reel Talk: Notes: The Collection"$/m)
  assert.equal(reviewsSnippet(['a.md', 'b.md'], 'medium').split('\n').slice(1).join('\n'), '      - a.md\n      - b.md\n')
})

test('`exclude:` globs leave reviews out of every book, are never called unlisted, and a volume they empty is an error', {timeout: 60_000}, async () => {
  const is = excludeMatcher(['*-draft.md', '2015/**'])
  assert.deepEqual(
    ['a-draft.md', 'x/a-draft.md', '2015/a.md', '2016/a.md', 'a.md'].map((name) => is(name)),
    [true, true, true, false, false]
  )
  const dir = await makeProject({
    'volumes.yaml': manifest(['her.md', 'alien-draft.md'], 'exclude: ["*-draft.md", "old/**"]\n'),
    'reviews/her.md': review({title: 'Her', rating: 'A-'}, 'Words.'),
    'reviews/alien-draft.md': review({title: 'Alien'}, 'Words.'),
    'reviews/old/ran.md': review({title: 'Ran'}, 'Words.')
  })
  try {
    const run = await runCli(['--json', '-o', 'out'], dir)
    assert.equal(run.code, 0, run.stdout + run.stderr)
    const report = JSON.parse(run.stdout) as {outputs: Array<{reviews: number}>; diagnostics: Array<{ruleId: string; message: string}>}
    assert.equal(report.outputs[0]!.reviews, 1)
    assert.deepEqual(
      report.diagnostics.map((d) => `${d.ruleId}: ${d.message}`),
      ['excluded-review: 1 listed review is left out by `exclude`: `alien-draft.md`']
    )
    const all = await makeProject({
      'volumes.yaml': manifest(['alien-draft.md'], 'exclude: ["*-draft.md"]\n'),
      'reviews/alien-draft.md': review({title: 'Alien'}, 'Words.')
    })
    const empty = await runCli(['check'], all)
    assert.equal(empty.code, 1)
    assert.match(empty.stderr, /error +Volume 1 has no reviews left: `exclude` matches every review it lists +empty-volume/)
    await removeDir(all)
  } finally {
    await removeDir(dir)
  }
})

test("embeds: a player address, youtu.be, and embed.ly's wrapper become the watch page, keeping a start time from either address", () => {
  const wrap = (src: string, url?: string) =>
    `https://cdn.embedly.com/widgets/media.html?src=${encodeURIComponent(src)}${url ? `&url=${encodeURIComponent(url)}` : ''}`
  assert.equal(embedLink('https://www.youtube.com/embed/abcDEF123?start=90')?.url, 'https://www.youtube.com/watch?v=abcDEF123&t=90s')
  assert.equal(embedLink('https://youtu.be/abcDEF123?t=1m5s')?.url, 'https://www.youtube.com/watch?v=abcDEF123&t=65s')
  assert.equal(
    embedLink(wrap('https://www.youtube.com/embed/abcDEF123?start=90', 'https://www.youtube.com/watch?v=abcDEF123'))?.url,
    'https://www.youtube.com/watch?v=abcDEF123&t=90s'
  )
  assert.equal(embedLink(wrap('https://player.vimeo.com/video/76979871', 'https://vimeo.com/76979871'))?.url, 'https://vimeo.com/76979871')
  assert.equal(embedLink('javascript:alert(1)'), undefined)
})
