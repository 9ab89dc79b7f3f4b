// The books themselves, read back from the zip: the sample series (seven volumes and the
// collection) and the markdown-features fixture, whose chapters are goldens. Every EPUB
// built here is held to EPUBCheck: zero errors, zero warnings.
import assert from 'node:assert/strict'
import {readdir} from 'node:fs/promises'
import path from 'node:path'
import {after, before, describe, test} from 'node:test'
import {build} from '../src/index.js'
import {mimetypeFirstAndStored, readEpub, spineOrder, type Epub} from './helpers/epub.js'
import {epubcheck, epubcheckAvailable} from './helpers/epubcheck.js'
import {matchGolden} from './helpers/golden.js'
import {copySample, fixturesDir, removeDir, tempDir} from './helpers/project.js'
import type {BuildResult} from '../src/model.js'

const epoch = '1700000000'

async function buildInto(cwd: string): Promise<{out: string; result: BuildResult; books: Map<string, Epub>}> {
  const out = await tempDir('books-')
  const result = await build({cwd, out, sourceDateEpoch: epoch})
  const books = new Map<string, Epub>()
  for (const name of (await readdir(out)).sort()) books.set(name, await readEpub(path.join(out, name)))
  return {out, result, books}
}

function get(books: Map<string, Epub>, name: string): Epub {
  const book = books.get(name)
  assert.ok(book, `${name} was built (have: ${[...books.keys()].join(', ')})`)
  return book
}

async function checkAll(t: Parameters<typeof epubcheckAvailable>[0], out: string, names: string[]): Promise<void> {
  if (!epubcheckAvailable(t)) return
  const queue = [...names]
  const failures: string[] = []
  const worker = async () => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      const result = await epubcheck(path.join(out, name))
      if (result.fatals + result.errors + result.warnings > 0) failures.push(`${name}:\n  ${result.messages.join('\n  ')}`)
    }
  }
  await Promise.all([worker(), worker()])
  assert.deepEqual(failures, [], 'EPUBCheck must report no fatals, errors or warnings')
}

describe('the sample series', () => {
  let sample: string
  let built: Awaited<ReturnType<typeof buildInto>>
  before(async () => {
    sample = await copySample()
    built = await buildInto(sample)
  })
  after(async () => {
    await removeDir(sample)
    await removeDir(built.out)
  })

  test('builds seven volumes and the collection, named from the series', () => {
    assert.deepEqual(
      built.result.files.flatMap((file) => file.messages.map((message) => `${file.path}: ${message.reason}`)),
      [],
      'the sample has no problems'
    )
    assert.deepEqual(
      [...built.books.keys()],
      ['essential-film-reviews-collection.epub', ...[1, 2, 3, 4, 5, 6, 7].map((n) => `essential-film-reviews-volume-0${n}.epub`)]
    )
    assert.equal(built.result.outputs.length, 8)
    assert.equal(built.result.outputs.at(-1)?.kind, 'collection')
    assert.equal(built.result.outputs.at(-1)?.reviews, 22)
  })

  test('every book starts with a stored mimetype and points container.xml at its OPF', async () => {
    for (const [name, book] of built.books) {
      assert.ok(mimetypeFirstAndStored(book.bytes), `${name}: mimetype first, stored, no extra field`)
      assert.match(await book.text('META-INF/container.xml'), /full-path="OEBPS\/content.opf"/)
    }
  })

  test('each volume carries its metadata and its place in the series', async () => {
    const identifiers = new Set<string>()
    for (const n of [1, 2, 3, 4, 5, 6, 7]) {
      const opf = await get(built.books, `essential-film-reviews-volume-0${n}.epub`).text('OEBPS/content.opf')
      assert.match(opf, /<dc:creator id="creator-1">Morwenna Castellan<\/dc:creator>/)
      assert.match(opf, /<meta refines="#creator-1" property="file-as">Castellan, Morwenna<\/meta>/)
      assert.match(opf, /<dc:language>en-GB<\/dc:language>/)
      assert.match(opf, /<dc:publisher>Lanternlight Press<\/dc:publisher>/)
      assert.match(opf, /<dc:rights>© 2026 Morwenna Castellan. All rights reserved.<\/dc:rights>/)
      assert.match(opf, /<dc:description>Spoiler-free reviews/)
      assert.match(opf, /<meta property="dcterms:modified">2023-11-14T22:13:20Z<\/meta>/)
      assert.match(opf, /<meta property="belongs-to-collection" id="series">Essential Film Reviews<\/meta>/)
      assert.match(opf, /<meta refines="#series" property="collection-type">series<\/meta>/)
      assert.match(opf, new RegExp(`<meta refines="#series" property="group-position">${n}</meta>`))
      assert.match(opf, new RegExp(`<meta name="calibre:series_index" content="${n}"/>`))
      const id = /<dc:identifier id="book-id">(urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})<\/dc:identifier>/.exec(opf)?.[1]
      assert.ok(id, 'a UUID v5 identifier')
      identifiers.add(id)
    }
    assert.equal(identifiers.size, 7, 'each volume has its own identifier')
  })

  test('the spine: cover, title page, copyright, contents, introduction, the reviews in manifest order, then the back matter (three reviews get no indexes)', async () => {
    const book = get(built.books, 'essential-film-reviews-volume-01.epub')
    assert.deepEqual(spineOrder(await book.text('OEBPS/content.opf')), [
      'cover.xhtml',
      'title-page.xhtml',
      'copyright.xhtml',
      'toc.xhtml',
      'volume-01-introduction.xhtml',
      'review-nosferatu-1922.xhtml',
      'review-metropolis-1927.xhtml',
      'review-m-1931.xhtml',
      'also-in-this-series.xhtml',
      'about-the-author.xhtml'
    ])
    const nav = await book.text('OEBPS/toc.xhtml')
    assert.match(nav, /<nav epub:type="toc"/)
    assert.deepEqual(
      [...nav.matchAll(/<li><a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => m[2]),
      ['Introduction', 'Nosferatu (1922)', 'Metropolis (1927)', 'M (1931)', 'Also in This Series', 'About the Author']
    )
    for (const landmark of ['cover', 'titlepage', 'toc', 'introduction', 'bodymatter', 'copyright-page'])
      assert.match(nav, new RegExp(`<a epub:type="${landmark}"`))
    assert.doesNotMatch(nav, /epub:type="index"/)
    assert.match(
      await book.text('OEBPS/volume-01-introduction.xhtml'),
      /<body epub:type="frontmatter" class="introduction">\n<section epub:type="introduction" role="doc-introduction" class="introduction">\n<h1>Introduction<\/h1>/
    )
    assert.match(await book.text('OEBPS/about-the-author.xhtml'), /<body epub:type="backmatter" class="about">/)
    const foreword = await get(built.books, 'essential-film-reviews-volume-04.epub').text('OEBPS/volume-04-foreword.xhtml')
    assert.match(foreword, /<section epub:type="foreword" role="doc-foreword" class="foreword">/)
    assert.match(foreword, /epub:type="noteref"/, 'a page keeps its footnotes')
    assert.match(await book.text('OEBPS/toc.ncx'), /<navLabel><text>Metropolis \(1927\)<\/text><\/navLabel>/)
    const title = await book.text('OEBPS/title-page.xhtml')
    for (const text of ['Essential Film Reviews', 'Volume 1', 'Shadows and Silence', 'Morwenna Castellan'])
      assert.ok(title.includes(text), `title page shows ${text}`)
  })

  test('the collection nests volume → review and opens each volume with a half-title page', async () => {
    const book = get(built.books, 'essential-film-reviews-collection.epub')
    const opf = await book.text('OEBPS/content.opf')
    assert.doesNotMatch(opf, /group-position/, 'the collection has no series position')
    const spine = spineOrder(opf)
    assert.deepEqual(spine.slice(0, 6), ['cover.xhtml', 'title-page.xhtml', 'copyright.xhtml', 'toc.xhtml', 'volume-01.xhtml', 'volume-01-introduction.xhtml'])
    assert.deepEqual(spine.slice(-7), [
      'index-title.xhtml',
      'index-director.xhtml',
      'index-genre.xhtml',
      'index-year.xhtml',
      'index-rating.xhtml',
      'about-this-collection.xhtml',
      'about-the-author.xhtml'
    ])
    assert.equal(spine.filter((file) => file === 'copyright.xhtml' || file === 'toc.xhtml').length, 2, 'one copyright page and one contents')
    assert.ok(!spine.includes('also-in-this-series.xhtml'), 'no series page in the collection')
    assert.equal(spine.filter((file) => file.startsWith('review-')).length, 22)
    assert.equal(spine.filter((file) => /^volume-\d\d\.xhtml$/.test(file)).length, 7)
    const nav = await book.text('OEBPS/toc.xhtml')
    assert.match(
      nav,
      /<li><a href="volume-04.xhtml">Volume 4: Seventies Nerve<\/a>\n\s*<ol>\n\s*<li><a href="volume-04-foreword.xhtml">Foreword<\/a><\/li>\n\s*<li><a href="review-jaws-1975.xhtml">Jaws \(1975\)<\/a><\/li>/
    )
    assert.match(await book.text('OEBPS/toc.ncx'), /<meta name="dtb:depth" content="2"\/>/)
    assert.match(nav, /<a epub:type="index" href="index-title.xhtml">/)
  })

  test('a link to a review in another volume names that volume, and is live in the collection', async () => {
    const volume = await get(built.books, 'essential-film-reviews-volume-01.epub').text('OEBPS/review-metropolis-1927.xhtml')
    assert.match(volume, /<span class="series-reference"><em>Blade Runner<\/em> \(see Volume\u00a05\)<\/span>/)
    assert.match(volume, /<a href="review-m-1931.xhtml"><em>M<\/em><\/a>/, 'same volume: a live link')
    const collection = await get(built.books, 'essential-film-reviews-collection.epub').text('OEBPS/review-metropolis-1927.xhtml')
    assert.match(collection, /<a href="review-blade-runner-1982.xhtml"><em>Blade Runner<\/em><\/a>/)
  })

  test('the sample image is embedded once with its media type', async () => {
    const book = get(built.books, 'essential-film-reviews-volume-01.epub')
    const image = book.names.find((name) => name.startsWith('OEBPS/images/metropolis-skyline'))
    assert.ok(image)
    assert.match(await book.text('OEBPS/content.opf'), new RegExp(`href="${image.replace('OEBPS/', '')}" media-type="image/png"`))
    assert.deepEqual(
      get(built.books, 'essential-film-reviews-volume-02.epub').names.filter((name) => name.startsWith('OEBPS/images/')),
      ['OEBPS/images/cover.png'],
      'volumes without images carry only their cover'
    )
  })

  test('EPUBCheck passes all eight sample books with no errors and no warnings', async (t) => {
    await checkAll(t, built.out, [...built.books.keys()])
  })
})

describe('the markdown-features fixture', () => {
  const dir = path.join(fixturesDir, 'books', 'markdown-features')
  let built: Awaited<ReturnType<typeof buildInto>>
  let chapter: string
  before(async () => {
    built = await buildInto(dir)
    chapter = await get(built.books, 'feature-test-series-volume-02.epub').text('OEBPS/review-feature-film.xhtml')
  })
  after(async () => removeDir(built.out))

  test('chapters match their goldens', async () => {
    await matchGolden(chapter, path.join(dir, 'expected', 'review-feature-film.xhtml'))
    await matchGolden(
      await get(built.books, 'feature-test-series-volume-01.epub').text('OEBPS/review-other-film.xhtml'),
      path.join(dir, 'expected', 'review-other-film.xhtml')
    )
    await matchGolden(
      await get(built.books, 'feature-test-series-volume-01.epub').text('OEBPS/review-crlf-bom.xhtml'),
      path.join(dir, 'expected', 'review-crlf-bom.xhtml')
    )
  })

  test('the review heading block names title, year, directors and a rating a screen reader can read', () => {
    assert.match(chapter, /<h1 class="review-title">The Feature Film<\/h1>/)
    assert.match(chapter, /1999 · Directed by Jo Example and Kim Sample/)
    assert.match(chapter, /<span class="stars" aria-hidden="true">★★★★½<\/span> <span class="rating-words">Rated 4.5 out of 5<\/span>/)
    assert.match(chapter, /First published 21 December 2022/)
  })

  test('footnotes become EPUB 3 noterefs and footnotes linked both ways', () => {
    assert.match(chapter, /<a href="#fn-note" id="fnref-note" epub:type="noteref" role="doc-noteref"[^>]*>1<\/a>/)
    assert.match(
      chapter,
      /<ol class="footnotes-list">\n<li><div id="fn-note" epub:type="footnote" role="doc-footnote"[^>]*><p>The first note. <a href="#fnref-note"[^>]*role="doc-backlink"/
    )
    assert.match(chapter, /<\/li>\n<li><div id="fn-second"/)
  })

  test('smart quotes, dashes and ellipses', () => {
    assert.match(chapter, /“quoted” – with ‘single’ quotes, an en dash in\n1999–2001, an em dash—like this—and an ellipsis…/)
    assert.match(chapter, /the critic’s own words/)
  })

  test('lists that start at N, scene breaks, tables with alignment and task lists', () => {
    assert.match(chapter, /<ol start="3">\n<li>third<\/li>/)
    assert.match(chapter, /<hr class="scene-break" \/>/)
    assert.match(chapter, /<th class="align-center">Year<\/th>/)
    assert.match(chapter, /<td class="align-right">4<\/td>/)
    assert.doesNotMatch(chapter, /\salign=/)
    assert.match(chapter, /<span class="task task-done" role="img" aria-label="done">☑<\/span> done/)
    assert.doesNotMatch(chapter, /<input/)
  })

  test('raw HTML ends up as valid XHTML: entities as characters, scripts and handlers removed', () => {
    assert.ok(chapter.includes('non-breaking\u00a0space'), 'a no-break space character')
    assert.match(chapter, /… and ©/)
    assert.doesNotMatch(chapter, /&(nbsp|hellip|copy);/)
    assert.doesNotMatch(chapter, /<script|alert|onclick|data-x|<center|<font/)
    assert.match(chapter, /<u>underlined<\/u>/)
    assert.match(chapter, /<br \/>/)
    const warnings = built.result.files.flatMap((file) => file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId}`))
    assert.deepEqual(warnings, ['15:12 cover-size', '38:1 unsafe-html', '40:1 unsafe-html', '46:1 remote-image'])
  })

  test('review links point inside the book, or name the volume; the web stays a link', () => {
    assert.match(chapter, /<a href="review-feature-film.xhtml">same volume<\/a>/)
    assert.match(chapter, /<span class="series-reference">another volume \(see Volume\u00a01\)<\/span>/)
    assert.match(chapter, /<a href="https:\/\/example.com">the web<\/a>/)
  })

  test('a local image with a space in its name is embedded; a remote one becomes its description', async () => {
    assert.match(chapter, /<img src="images\/still-one-[0-9a-f]{8}.png" alt="A still from the film" \/>/)
    assert.match(chapter, /<span class="image-description">\[A remote poster\]<\/span>/)
    const opf = await get(built.books, 'feature-test-series-volume-02.epub').text('OEBPS/content.opf')
    assert.match(opf, /href="images\/still-one-[0-9a-f]{8}.png" media-type="image\/png"/)
  })

  test('a titled image and a raw HTML figure both show their caption below the image, with a closing credit set apart', () => {
    assert.match(
      chapter,
      /<figure class="image"><img src="images\/still-one-[0-9a-f]{8}.png" alt="An office of cubicles seen from above" \/><figcaption>The office maze – a ‘city’ of partitions\. <span class="credit">Credit: Specta Films<\/span><\/figcaption><\/figure>/
    )
    assert.match(
      chapter,
      /<figure>\n<img src="images\/still-one-[0-9a-f]{8}.png" alt="The same still, as raw HTML" \/>\n<figcaption>A raw HTML figure, with <em>its<\/em> caption\. <span class="credit">Credit: <a href="https:\/\/example.com">A Studio<\/a><\/span><\/figcaption>\n<\/figure>/
    )
  })

  test('a manifest cover becomes its own page, marked cover-image and in the landmarks', async () => {
    const book = get(built.books, 'feature-test-series-volume-01.epub')
    const opf = await book.text('OEBPS/content.opf')
    assert.match(opf, /<item id="cover-image" href="images\/cover.png" media-type="image\/png" properties="cover-image"\/>/)
    assert.match(opf, /<meta name="cover" content="cover-image"\/>/)
    assert.equal(spineOrder(opf)[0], 'cover.xhtml')
    assert.match(await book.text('OEBPS/toc.xhtml'), /<a epub:type="cover" href="cover.xhtml">/)
    assert.match(await book.text('OEBPS/cover.xhtml'), /<img src="images\/cover.png" alt="Cover of Feature Test Series, Volume 1: The First Book"\/>/)
    assert.match(opf, /<dc:identifier id="book-id">urn:isbn:9780306406157<\/dc:identifier>/)
  })

  test('the copyright page shows an ISBN as the manifest writes it, never a urn:uuid:, and the year of the edition', async () => {
    const withIsbn = await get(built.books, 'feature-test-series-volume-01.epub').text('OEBPS/copyright.xhtml')
    assert.match(withIsbn, /<p class="identifier">ISBN 978-0-306-40615-7<\/p>/)
    assert.match(withIsbn, /<p class="edition">This edition published in 2023 by Fixture Press\.<\/p>/, 'SOURCE_DATE_EPOCH 1700000000 is in 2023')
    for (const name of ['feature-test-series-volume-02.epub', 'feature-test-series-collection.epub']) {
      const page = await get(built.books, name).text('OEBPS/copyright.xhtml')
      assert.doesNotMatch(page, /urn:|identifier/, `${name}: no identifier but an ISBN is shown`)
      assert.match(page, /This edition published in 2023/)
    }
  })

  test('front matter: a UTF-8 BOM and CRLF file, a numeric title, an empty rating, a date with an offset', async () => {
    const bom = await get(built.books, 'feature-test-series-volume-01.epub').text('OEBPS/review-crlf-bom.xhtml')
    assert.match(bom, /<h1 class="review-title">Amélie Again<\/h1>/)
    assert.doesNotMatch(bom, /\r/)
    const other = await get(built.books, 'feature-test-series-volume-01.epub').text('OEBPS/review-other-film.xhtml')
    assert.match(other, /<h1 class="review-title">1917<\/h1>/)
    assert.doesNotMatch(other, /null|Rated/)
    assert.match(other, /First published 30 October 2025/, 'the calendar day as written, whatever the offset')
  })

  test('EPUBCheck passes every book of the fixture', async (t) => {
    await checkAll(t, built.out, [...built.books.keys()])
  })
})
