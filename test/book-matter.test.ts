// What makes the books well made, on a small series built for the purpose: front and back
// matter from the manifest, the generated indexes (filing, grouping, links), store links on
// "Also in this series", automatic title links, quote style and non-breaking spaces, and the
// accessibility metadata. Every book built here also passes EPUBCheck.
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {after, before, describe, test} from 'node:test'
import {build} from '../src/index.js'
import {filingName, filingTitle} from '../src/book/indexes.js'
import {isbnShown} from '../src/shared/names.js'
import {formatRating, roundRating, stars} from '../src/shared/ratings.js'
import {parseShortcodeArgs, parseStartTime, videoLink} from '../src/review/shortcodes.js'
import {computeStats, formatStats} from '../src/book/stats.js'
import {curlQuotes, singlePrimary} from '../src/review/quotes.js'
import {nonBreakingSpaces, smartenMarks, smartenText} from '../src/review/typography.js'
import {createProcessor} from '../src/review/processor.js'
import {renderNav, renderOpf} from '../src/render/package.js'
import {VFile} from 'vfile'
import {readFileSync, readdirSync} from 'node:fs'
import {retext} from 'retext'
import retextSmartypants from 'retext-smartypants'
import {repoRoot} from './helpers/project.js'
import {readEpub, spineOrder, type Epub} from './helpers/epub.js'
import {epubcheck, epubcheckAvailable} from './helpers/epubcheck.js'
import {makeProject, removeDir, review, tinyPng} from './helpers/project.js'

test('titles are filed without leading articles in five languages, names by surname', () => {
  const cases: Array<[string, string]> = [
    ['The Third Man', 'Third Man'],
    ['A Matter of Life and Death', 'Matter of Life and Death'],
    ['An American in Paris', 'American in Paris'],
    ["L'Atalante", 'Atalante'],
    ['L’Avventura', 'Avventura'],
    ['La Haine', 'Haine'],
    ['Les Quatre Cents Coups', 'Quatre Cents Coups'],
    ['Der Himmel über Berlin', 'Himmel über Berlin'],
    ['Das Boot', 'Boot'],
    ['El Sur', 'Sur'],
    ['Il Gattopardo', 'Gattopardo'],
    ['Gli Uccelli', 'Uccelli'],
    ['Die Hard', 'Die Hard'],
    ['I, Daniel Blake', 'I, Daniel Blake'],
    ['M', 'M'],
    ['The', 'The'],
    ['Theorem', 'Theorem'],
    ['’Salem’s Lot', 'Salem’s Lot'],
    ["'Round Midnight", 'Round Midnight']
  ]
  for (const [title, filed] of cases) assert.equal(filingTitle(title), filed, title)
  assert.equal(filingName('Akira Kurosawa'), 'Kurosawa, Akira')
  assert.equal(filingName('Lars von Trier'), 'von Trier, Lars')
  assert.equal(filingName('Agnès Varda'), 'Varda, Agnès')
  assert.equal(filingName('Madonna'), 'Madonna')
})

test('a rating is rounded once, to one decimal place, and its stars and number both show that rounding', () => {
  const cases: Array<[number, string, string]> = [
    [0, '☆☆☆☆☆', '0'],
    [0.25, '☆☆☆☆☆', '0.3'],
    [0.5, '½☆☆☆☆', '0.5'],
    [3, '★★★☆☆', '3'],
    [4.35, '★★★★☆', '4.4'],
    [4.75, '★★★★½', '4.8'],
    [4.9999, '★★★★★', '5'],
    [4.999999999, '★★★★★', '5'],
    [5, '★★★★★', '5']
  ]
  for (const [rating, glyphs, shown] of cases) {
    assert.equal(stars(rating), glyphs, String(rating))
    assert.equal(formatRating(rating), shown, String(rating))
    assert.equal(roundRating(rating), Number(shown), String(rating))
  }
})

test('a rating of 4.999999999 reads as 5 in its heading block, the rating index and stats', async () => {
  const project = await makeProject({
    'volumes.yaml':
      'series: Test Series\nauthor: Ada Critic\nlanguage: en-GB\nindexes: true\nvolumes:\n  - number: 1\n    title: First\n    reviews: [almost.md, five.md, most.md]\n',
    'reviews/almost.md': review({title: 'Almost', rating: 4.999999999}, 'Body.'),
    'reviews/five.md': review({title: 'Five', rating: 5}, 'Body.'),
    'reviews/most.md': review({title: 'Most', rating: 4.75}, 'Body.')
  })
  try {
    const result = await build({cwd: project, mode: 'preview', collection: false})
    const pages = result.prepared[0]!.pages
    const almost = pages.find((page) => page.file === 'review-almost.xhtml')!.body
    assert.match(almost, /<span class="stars" aria-hidden="true">★★★★★<\/span> <span class="rating-words">Rated 5 out of 5<\/span>/)
    const index = pages.find((page) => page.file === 'index-rating.xhtml')!.body
    assert.deepEqual(
      [...index.matchAll(/<h2>(.+?)<\/h2>/g)].map((match) => match[1]),
      ['<span class="stars" aria-hidden="true">★★★★★</span> 5 stars', '<span class="stars" aria-hidden="true">★★★★½</span> 4.8 stars']
    )
    assert.match(
      index,
      /5 stars<\/h2>\n<ul class="index-entries">\n<li><a href="review-almost.xhtml"><i>Almost<\/i><\/a><\/li>\n<li><a href="review-five.xhtml">/,
      'filed with the fives'
    )
    const [stats] = computeStats(result, 4.99)
    assert.deepEqual(stats!.ratings, {
      average: 4.93,
      rated: 3,
      spread: [
        {rating: 5, reviews: 2},
        {rating: 4.8, reviews: 1}
      ]
    })
    assert.match(formatStats([stats!], {bold: String, dim: String}), /ratings {2}★★★★★ 2 · ★★★★½ 1 {2}\(average 4.93\)/)
  } finally {
    await removeDir(project)
  }
})

test('an identifier is shown as an ISBN only when it is one, hyphenated as written', () => {
  assert.equal(isbnShown('978-0-306-40615-7'), '978-0-306-40615-7')
  assert.equal(isbnShown('978 0 306 40615 7'), '978-0-306-40615-7')
  assert.equal(isbnShown('9780306406157'), '9780306406157')
  assert.equal(isbnShown('urn:isbn:9780306406157'), '9780306406157')
  assert.equal(isbnShown('ISBN 0-306-40615-x'), '0-306-40615-X')
  assert.equal(isbnShown('urn:uuid:2e3d1378-fe96-5207-9529-d0d9371df197'), undefined)
  assert.equal(isbnShown('urn:doi:10.1000/182'), undefined)
  assert.equal(isbnShown(undefined), undefined)
})

test('non-breaking spaces and single primary quotes keep every character in its place', () => {
  assert.equal(nonBreakingSpaces('Mr. Smith in Volume 4 for 90 minutes'), 'Mr.\u00a0Smith in Volume\u00a04 for 90\u00a0minutes')
  const nbsp = (text: string) => text.replace(/_/g, '\u00a0')
  for (const [source, expected] of [
    ['H. G. Wells', 'H._G._Wells'],
    ['J. R. R. Tolkien and C. S. Lewis', 'J._R._R._Tolkien and C._S._Lewis'],
    ['The Cabinet of Dr. Caligari', 'The Cabinet of Dr._Caligari'],
    ['Mr. Smith, Mr Smith, Mrs. Miniver, Dr Who', 'Mr._Smith, Mr_Smith, Mrs._Miniver, Dr_Who'],
    ['St. Elsewhere and St Elsewhere', 'St._Elsewhere and St_Elsewhere'],
    ['M. Hulot, Mme Bovary, Martin Luther King Jr. spoke', 'M._Hulot, Mme_Bovary, Martin Luther King_Jr. spoke'],
    ['É. Rohmer', 'É._Rohmer'],
    // Not initials: a lower-case word after, a capital inside a word, no space.
    ['e.g. this, AB. Then, H.G.Wells, the plan b. After', 'e.g. this, AB. Then, H.G.Wells, the plan b. After']
  ]) {
    assert.equal(nonBreakingSpaces(source!), nbsp(expected!), source)
    assert.equal(nonBreakingSpaces(source!).length, source!.length, 'one character for one')
  }
  assert.equal(nonBreakingSpaces('Quoi ? « Oui » : non !', 'fr-FR'), 'Quoi\u202f? «\u00a0Oui\u00a0»\u00a0: non\u202f!')
  assert.equal(nonBreakingSpaces('Quoi ?', 'en-GB'), 'Quoi ?')
  const swapped = singlePrimary('“It’s ‘the best’ film,” she said; the critics’ view.')
  assert.equal(swapped, '‘It’s “the best” film,’ she said; the critics’ view.')
  assert.equal(swapped.length, '“It’s ‘the best’ film,” she said; the critics’ view.'.length)
})

test('before apostrophes are placed, quotes are curled exactly as retext-smartypants curls them, one character for one', () => {
  const reference = retext().use(retextSmartypants, {dashes: false, ellipses: false, backticks: false}).freeze()
  const tricky = [
    `"'Quoted' words," he said. 'Tis the '80s' rock 'n' roll; "Hi!" (she's "here") -- "don't" ... "A" 'B' "x's"`,
    `"1917" '1917' "", '' "..." 's a 's b «"x"» "**bold**" "(aside)" 'a' "b"`,
    `He said, "'Quoted' words in a larger quote." She didn't; the critics' view, 'twas "so".`,
    `"Zoë's 'naïve' film," said Kyō. "東京物語" — 'مرحبا' "🎬" "e\u0301" '90s`
  ]
  // And every paragraph of the sample reviews.
  const dir = path.join(repoRoot, 'reviews')
  const paragraphs = readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .flatMap((name) => readFileSync(path.join(dir, name), 'utf8').split(/\n\n+/))
  for (const text of [...tricky, ...paragraphs]) {
    const curled = curlQuotes(text)
    assert.equal(curled, String(reference.processSync(text)), text)
    assert.equal([...curled].length, [...text].length)
  }
})

test('dashes and ellipses never write to the console (retext-smartypants logs each en dash it joins with a hyphen)', () => {
  const logged: unknown[] = []
  const log = console.log
  console.log = (...args: unknown[]) => logged.push(args)
  try {
    assert.equal(smartenMarks('a–-b -- c'), 'a—b – c')
    assert.equal(smartenMarks('x –- y... z'), 'x — y… z')
  } finally {
    console.log = log
  }
  assert.deepEqual(logged, [])
})

test('a single quote that opens before a word and is never closed, an elision or a two-digit year is an apostrophe', () => {
  const cases: Array<[string, string, string]> = [
    // source, double primary (the default), single primary
    ["'Salem's Lot", '’Salem’s Lot', '’Salem’s Lot'],
    ["the summer of '63, and '76 too", 'the summer of ’63, and ’76 too', 'the summer of ’63, and ’76 too'],
    ["give 'em hell", 'give ’em hell', 'give ’em hell'],
    ["rock 'n' roll, rock 'n roll", 'rock ’n’ roll, rock ’n roll', 'rock ’n’ roll, rock ’n roll'],
    ["'Tis the season; 'twas night 'til dawn 'cause", '’Tis the season; ’twas night ’til dawn ’cause', '’Tis the season; ’twas night ’til dawn ’cause'],
    ["the '80s", 'the ’80s', 'the ’80s'],
    // Real quotations keep SmartyPants' quotes.
    ["She said 'go home' and left.", 'She said ‘go home’ and left.', 'She said “go home” and left.'],
    [`"'Quoted' words," he said.`, '“‘Quoted’ words,” he said.', '‘“Quoted” words,’ he said.'],
    ["'Summer of '63' is good", '‘Summer of ’63’ is good', '“Summer of ’63” is good'],
    [`"He said 'rock 'n' roll' twice"`, '“He said ‘rock ’n’ roll’ twice”', '‘He said “rock ’n’ roll” twice’'],
    // An elision or a year alone in quotes, with no other quote open, is quoted.
    ["the word 'cause' and the year '76'", 'the word ‘cause’ and the year ‘76’', 'the word “cause” and the year “76”'],
    // A quote the author typed curly stays as typed.
    ["‘Salem's Lot", '‘Salem’s Lot', '“Salem’s Lot']
  ]
  for (const [source, double, single] of cases) {
    assert.equal(smartenText(source), double, source)
    assert.equal(smartenText(source, {quotes: 'single'}), single, `${source} (single)`)
    assert.equal(double.length, source.length, 'one character for one')
  }
})

/** One review's chapter body, through the whole pipeline. */
function chapterOf(markdown: string, quotes?: 'single'): string {
  const processor = createProcessor({language: 'en-GB', sites: [], root: '/', exists: () => true, assetName: (file) => file, quotes})
  const file = new VFile({path: 'reviews/x.md', value: `---\ntitle: A Film\n---\n\n${markdown}\n`, cwd: '/'})
  return processor.stringify(processor.runSync(processor.parse(file), file) as never).replace(/^<header[^]*?<\/header>/, '')
}

test('the text of raw HTML gets the same quotes, dashes and ellipses as Markdown, never its attributes or code', () => {
  assert.equal(
    chapterOf(`<p title="a 'b' c">"Raw" quotes -- and 'em...</p>`),
    '<p title="a &#x27;b&#x27; c">“Raw” quotes – and ’em…</p>',
    'the attribute keeps its straight quotes'
  )
  assert.equal(
    chapterOf(`"A quote opened before <i>italics</i> closes after them," she said; 'twas <b>'Salem's</b> Lot.`),
    '<p>“A quote opened before <i>italics</i> closes after them,” she said; ’twas <b>’Salem’s</b> Lot.</p>'
  )
  assert.equal(
    chapterOf(`"Markdown *too*," and <code>"code" -- 'x'</code>, <kbd>'</kbd>, \`"inline" --\`.`),
    '<p>“Markdown <em>too</em>,” and <code>"code" -- \'x\'</code>, <kbd>\'</kbd>, <code>"inline" --</code>.</p>'
  )
  assert.equal(chapterOf(`<pre>"pre" -- 'x'</pre>`), `<pre>"pre" -- 'x'</pre>`)
  assert.equal(chapterOf(`<ul><li>"One</li><li>two"</li></ul>`), '<ul><li>“One</li><li>two”</li></ul>', 'each block is decided on its own')
  assert.equal(chapterOf(`<blockquote><p>"It's 'em," he said.</p></blockquote>`, 'single'), '<blockquote><p>‘It’s ’em,’ he said.</p></blockquote>')
})

test('initials keep their no-break spaces in prose, never in code, link addresses or attributes', () => {
  assert.equal(
    chapterOf(
      'H. G. Wells saw it; `H. G. x` and <code>J. R. x</code>, [A. B. link](https://example.com/A.%20B.) and `x`. Then <abbr title="A. B. C">it</abbr>.'
    ),
    '<p>H.\u00a0G.\u00a0Wells saw it; <code>H. G. x</code> and <code>J. R. x</code>, <a href="https://example.com/A.%20B.">A.\u00a0B. link</a> and <code>x</code>. Then <abbr title="A. B. C">it</abbr>.</p>'
  )
})

test('a caption\'s credit is found only as "Credit:" in its own text, once', () => {
  const figure = (markdown: string) => chapterOf(markdown).replace(/ src="[^"]*"/g, ' src="a.png"')
  assert.equal(
    figure('![A](a.png "Credited to nobody: no credit here")'),
    '<figure class="image"><img src="a.png" alt="A" /><figcaption>Credited to nobody: no credit here</figcaption></figure>'
  )
  assert.equal(
    figure('<figure><img src="a.png" alt="A"><figcaption>Still, Credit: the studio. <span class="credit">Photo: Lee</span></figcaption></figure>'),
    '<figure><img src="a.png" alt="A" /><figcaption>Still, Credit: the studio. <span class="credit">Photo: Lee</span></figcaption></figure>',
    'a credit the author marked is left alone'
  )
  assert.equal(
    figure('![A](a.png "Credit: Studio")'),
    '<figure class="image"><img src="a.png" alt="A" /><figcaption><span class="credit">Credit: Studio</span></figcaption></figure>'
  )
})

test("a quote left open at a paragraph's start stays a quote when the next paragraph opens with one (a long quotation)", () => {
  assert.equal(
    chapterOf("'The first paragraph of a long quotation.\n\n'And its last.'"),
    '<p>‘The first paragraph of a long quotation.</p>\n<p>‘And its last.’</p>'
  )
  assert.equal(chapterOf("'Salem's Lot opens the paragraph.\n\nThe next does not."), '<p>’Salem’s Lot opens the paragraph.</p>\n<p>The next does not.</p>')
})

test('notes are listed as a numbered list in the order of their first reference, each number matching its markers', () => {
  // Definitions written in another order than the references, and a note referred to twice.
  const chapter = chapterOf('Brief[^later] then long[^first] then brief again[^later].\n\n[^first]: The first defined.\n[^later]: Defined last, cited first.')
  const markers = [...chapter.matchAll(/<sup><a href="#([^"]+)" id="([^"]+)" epub:type="noteref" role="doc-noteref" class="noteref">(\d+)<\/a><\/sup>/g)].map(
    (match) => ({target: match[1]!, id: match[2]!, number: Number(match[3])})
  )
  assert.deepEqual(
    markers.map((marker) => marker.number),
    [1, 2, 1]
  )
  const list = /<ol class="footnotes-list">([^]*?)<\/ol>/.exec(chapter)?.[1] ?? ''
  const listed = [...list.matchAll(/<li><div id="([^"]+)" epub:type="footnote" role="doc-footnote" class="footnote"><p>([^<]+)/g)].map((match) => ({
    id: match[1]!,
    text: match[2]!
  }))
  assert.deepEqual(
    listed.map((note) => note.text.trim()),
    ['Defined last, cited first.', 'The first defined.']
  )
  // The n-th item of the list (the number a reader sees there) is the note marker "n" points at.
  for (const marker of markers) assert.equal(listed[marker.number - 1]?.id, marker.target, `marker ${marker.number} → #${marker.target}`)
  // Each reference has its way back, and the second says it is the second.
  for (const marker of markers) assert.match(chapter, new RegExp(`<a href="#${marker.id}" aria-label="Back to [^"]*note ${marker.number} in the text"`))
  assert.match(
    chapter,
    /aria-label="Back to the second reference to note 1 in the text" class="footnote-backref" role="doc-backlink">↩\uFE0E<sup>2<\/sup><\/a>/
  )
  assert.doesNotMatch(chapter, /<aside/, 'an aside would be hidden from the page by Apple Books')
})

test("a review titled 'Salem's Lot agrees with its body and is filed under S", () => {
  assert.equal(filingTitle(smartenText("'Salem's Lot")), 'Salem’s Lot')
  assert.equal(filingTitle(smartenText("'71")), '71')
  assert.match(chapterOf("I reread *'Salem's Lot* every autumn."), /<em>’Salem’s Lot<\/em>/, 'the body curls the title as the heading does')
})

describe('a series with pages, store links, indexes and autolinks', () => {
  let project: string
  let books: Map<string, Epub>
  const book = (name: string) => books.get(name)!
  before(async () => {
    project = await makeProject({
      'volumes.yaml': `series: Test Series
author: Ada Critic
language: en-GB
about: pages/about.md
stores: [kindle]
quotes: single
autolink: true
indexes:
  rating: false
  from: 2
accessibility:
  certifiedBy: Lanternlight Press
volumes:
  - number: 1
    title: First Things
    foreword: pages/foreword.md
    links:
      kindle: https://www.amazon.co.uk/dp/B000000001
      apple: https://books.apple.com/gb/book/id1
    reviews:
      - third-man.md
      - atalante.md
  - number: 2
    title: Second Sight
    links:
      kindle: https://www.amazon.co.uk/dp/B000000002
      web: https://example.com/second-sight
    reviews:
      - ran.md
      - matter.md
collection:
  title: "Test Series: Everything"
`,
      'pages/about.md': '# About the Author\n\nAda Critic has written about films for years.\n',
      'pages/foreword.md': 'A foreword without a heading, mentioning *Ran* in passing.\n',
      'reviews/third-man.md': review(
        {title: 'The Third Man', year: 1949, director: 'Carol Reed', rating: 5, tags: '[noir, thriller]'},
        'Mr. Lime is the reason to see it; compare *Ran* and "the \'zither\' score" in Volume 2.\n\n![Vienna at night](night.png)'
      ),
      'reviews/atalante.md': review(
        {title: "L'Atalante", year: 1934, director: 'Jean Vigo', rating: 4.5, tags: '[romance]'},
        'A barge, a marriage, a river. Not *The Third Man*, but *The Third Man* again.'
      ),
      'reviews/ran.md': review(
        {title: 'Ran', year: 1985, director: 'Akira Kurosawa', rating: 5, tags: '[war, Drama]'},
        'Colour as war. See [*The Third Man*](third-man.md).'
      ),
      'reviews/matter.md': review(
        {title: 'A Matter of Life and Death', year: 1946, director: '[Michael Powell, Emeric Pressburger]', tags: '[romance, drama, War]'},
        'Heaven in black and white.'
      ),
      'reviews/night.png': tinyPng
    })
    const result = await build({cwd: project, sourceDateEpoch: '1700000000'})
    assert.deepEqual(
      result.files.flatMap((file) =>
        file.messages.filter((message) => message.fatal !== undefined).map((message) => `${file.path}:${message.line} ${message.ruleId}`)
      ),
      []
    )
    books = new Map()
    for (const output of result.outputs) books.set(path.basename(output.path), await readEpub(output.path))
  })
  after(async () => removeDir(project))

  test('every book passes EPUBCheck', async (t) => {
    if (!epubcheckAvailable(t)) return
    for (const name of books.keys()) assert.deepEqual((await epubcheck(path.join(project, 'dist', name))).messages, [], name)
  })

  test('the foreword and the about page are placed with their types, and a page without a heading gets one', async () => {
    const one = book('test-series-volume-01.epub')
    const spine = spineOrder(await one.text('OEBPS/content.opf'))
    assert.deepEqual(spine.slice(0, 6), [
      'cover.xhtml',
      'title-page.xhtml',
      'copyright.xhtml',
      'toc.xhtml',
      'volume-01-foreword.xhtml',
      'review-third-man.xhtml'
    ])
    assert.equal(spine.at(-1), 'about-the-author.xhtml')
    const foreword = await one.text('OEBPS/volume-01-foreword.xhtml')
    assert.match(foreword, /<section epub:type="foreword" role="doc-foreword" class="foreword">\n<h1>Foreword<\/h1>/)
    assert.match(await one.text('OEBPS/toc.xhtml'), /<a epub:type="foreword" href="volume-01-foreword.xhtml">Foreword<\/a>/)
    const collection = spineOrder(await book('test-series-collection.epub').text('OEBPS/content.opf'))
    assert.equal(collection.filter((file) => file === 'about-the-author.xhtml').length, 1, 'the collection carries the back matter once')
    assert.ok(
      collection.indexOf('volume-01-foreword.xhtml') > collection.indexOf('volume-01.xhtml'),
      'a foreword follows its half-title page in the collection'
    )
  })

  test('with no `rights` or `publisher`, the copyright page writes its own notice with the year of the edition', async () => {
    const page = await book('test-series-volume-01.epub').text('OEBPS/copyright.xhtml')
    assert.match(page, /<p>Copyright © 2023 Ada Critic\. All rights reserved\.<\/p>\n<p class="edition">This edition published in 2023\.<\/p>\n<\/section>/)
    assert.doesNotMatch(page, /urn:/)
  })

  test('the title index files without articles, groups by letter and links every entry', async () => {
    const index = await book('test-series-collection.epub').text('OEBPS/index-title.xhtml')
    const entries = [...index.matchAll(/<li><a href="([^"]+)"><i>([^<]+)<\/i>/g)].map((match) => `${match[2]} → ${match[1]}`)
    assert.deepEqual(entries, [
      'L’Atalante → review-atalante.xhtml',
      'A Matter of Life and Death → review-matter.xhtml',
      'Ran → review-ran.xhtml',
      'The Third Man → review-third-man.xhtml'
    ])
    assert.deepEqual(
      [...index.matchAll(/<h2>([^<]+)<\/h2>/g)].map((match) => match[1]),
      ['A', 'M', 'R', 'T']
    )
    assert.match(index, /<section epub:type="index" role="doc-index"/)
    assert.match(index, /<span class="index-volume">Volume 2<\/span>/, "the collection names each entry's volume")
    const volume = await book('test-series-volume-01.epub').text('OEBPS/index-title.xhtml')
    assert.doesNotMatch(volume, /Ran|index-volume/, 'a volume indexes only its own films')
  })

  test('the director and year indexes group and order their films; the rating index is switched off', async () => {
    const collection = book('test-series-collection.epub')
    const directors = await collection.text('OEBPS/index-director.xhtml')
    assert.deepEqual(
      [...directors.matchAll(/<h2>([^<]+)<\/h2>/g)].map((match) => match[1]),
      ['Kurosawa, Akira', 'Powell, Michael', 'Pressburger, Emeric', 'Reed, Carol', 'Vigo, Jean']
    )
    const years = await collection.text('OEBPS/index-year.xhtml')
    assert.deepEqual(
      [...years.matchAll(/<h2>([^<]+)<\/h2>/g)].map((match) => match[1]),
      ['1930s', '1940s', '1980s']
    )
    assert.deepEqual(
      [...years.matchAll(/<span class="index-year">(\d+)<\/span>/g)].map((match) => match[1]),
      ['1934', '1946', '1949', '1985']
    )
    assert.ok(!collection.names.includes('OEBPS/index-rating.xhtml'))
  })

  test('a genre index files each film under its tags, and is made only where two tags are shared by two films', async () => {
    const collection = book('test-series-collection.epub')
    const genres = await collection.text('OEBPS/index-genre.xhtml')
    assert.deepEqual(
      [...genres.matchAll(/<h2>([^<]+)<\/h2>/g)].map((match) => match[1]),
      ['Drama', 'Noir', 'Romance', 'Thriller', 'War'],
      'one group per tag whatever its case, in order, a lower-case tag capitalised as a heading'
    )
    const drama = /<h2>Drama<\/h2>\n<ul class="index-entries">\n([^]*?)<\/ul>/.exec(genres)?.[1] ?? ''
    assert.deepEqual(
      [...drama.matchAll(/<a href="([^"]+)"><i>([^<]+)<\/i>/g)].map((match) => `${match[2]} → ${match[1]}`),
      ['A Matter of Life and Death → review-matter.xhtml', 'Ran → review-ran.xhtml'],
      'filed by title, each a link to its review'
    )
    assert.match(genres, /<section epub:type="index" role="doc-index" class="index index-genre"/)
    const nav = await collection.text('OEBPS/toc.xhtml')
    assert.match(nav, /Films by Director<\/a><\/li>\n\s*<li><a href="index-genre.xhtml">Films by Genre<\/a><\/li>\n\s*<li><a href="index-year.xhtml">/)
    assert.ok(book('test-series-volume-02.epub').names.includes('OEBPS/index-genre.xhtml'), 'volume 2 shares "war" and "drama"')
    const one = book('test-series-volume-01.epub')
    assert.ok(!one.names.includes('OEBPS/index-genre.xhtml'), 'volume 1 shares no tag')
    assert.ok(one.names.includes('OEBPS/index-title.xhtml'), '`from: 2` gives a volume of two reviews its other indexes')
  })

  test('"Also in this series" lists the other volumes, with links only for the book\'s store', async () => {
    const series = await book('test-series-volume-01.epub').text('OEBPS/also-in-this-series.xhtml')
    assert.match(series, /<span class="series-number">Volume 2<\/span> <cite>Second Sight<\/cite>/)
    assert.doesNotMatch(series, /First Things/, 'not the book itself')
    assert.match(series, /<a href="https:\/\/www.amazon.co.uk\/dp\/B000000002">Kindle<\/a> · <a href="https:\/\/example.com\/second-sight">the web<\/a>/)
    assert.doesNotMatch(
      await book('test-series-volume-02.epub').text('OEBPS/also-in-this-series.xhtml'),
      /apple\.com/,
      'a Kindle book never links to Apple Books'
    )
    assert.match(await book('test-series-collection.epub').text('OEBPS/about-this-collection.xhtml'), /all 2 volumes of Test Series, by Ada Critic: 4 reviews/)
  })

  test('an italic title of another review becomes a link: live in the same book, "see Volume N" in another', async () => {
    const third = await book('test-series-volume-01.epub').text('OEBPS/review-third-man.xhtml')
    assert.match(third, /<span class="series-reference"><em>Ran<\/em> \(see Volume\u00a02\)<\/span>/)
    const atalante = await book('test-series-volume-01.epub').text('OEBPS/review-atalante.xhtml')
    assert.equal([...atalante.matchAll(/<a href="review-third-man.xhtml">/g)].length, 1, 'only the first mention is linked')
    const inCollection = await book('test-series-collection.epub').text('OEBPS/review-third-man.xhtml')
    assert.match(inCollection, /<a href="review-ran.xhtml"><em>Ran<\/em><\/a>/)
    assert.match(
      await book('test-series-collection.epub').text('OEBPS/volume-01-foreword.xhtml'),
      /<a href="review-ran.xhtml"><em>Ran<\/em><\/a>/,
      'pages link too'
    )
  })

  test('quotes: single: ‘primary’ with “nested”; non-breaking spaces after Mr. and in Volume 2', async () => {
    const third = await book('test-series-volume-01.epub').text('OEBPS/review-third-man.xhtml')
    assert.match(third, /‘the “zither” score’/)
    assert.match(third, /Mr\.\u00a0Lime/)
    assert.match(third, /in Volume\u00a02\./)
    assert.match(await book('test-series-volume-01.epub').text('OEBPS/review-atalante.xhtml'), /<h1 class="review-title">L’Atalante<\/h1>/)
  })

  test('accessibility metadata says what the book has, and conformance only with a named evaluator', async () => {
    const opf = await book('test-series-volume-01.epub').text('OEBPS/content.opf')
    for (const line of [
      'schema:accessMode">textual',
      'schema:accessMode">visual',
      'schema:accessModeSufficient">textual',
      'schema:accessibilityFeature">alternativeText',
      'schema:accessibilityFeature">index',
      'schema:accessibilityFeature">tableOfContents',
      'schema:accessibilityHazard">none',
      'dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA',
      'a11y:certifiedBy">Lanternlight Press'
    ]) {
      assert.ok(opf.includes(line), line)
    }
    assert.match(opf, /<meta property="schema:accessibilitySummary">[^<]{40,}<\/meta>/)
    const two = await book('test-series-volume-02.epub').text('OEBPS/content.opf')
    assert.doesNotMatch(two, /accessMode">visual|alternativeText/, 'a book whose only image is its cover is textual')
  })

  test('with no cover given, each book gets its own drawn 1600×2560 cover, marked as the cover', async () => {
    const covers = new Set<string>()
    for (const [name, epub] of books) {
      const opf = await epub.text('OEBPS/content.opf')
      assert.match(opf, /<item id="cover-image" href="images\/cover.png" media-type="image\/png" properties="cover-image"\/>/, name)
      const png = Buffer.from(await epub.bytesOf('OEBPS/images/cover.png'))
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1600, 2560], name)
      covers.add(png.toString('base64'))
    }
    assert.equal(covers.size, books.size, 'every book has a different cover')
  })
})

test('a title and a director with initials keep them together in the heading block, the contents and the indexes', async () => {
  const project = await makeProject({
    'volumes.yaml': 'series: Test Series\nauthor: Ada Critic\nindexes: true\nvolumes:\n  - number: 1\n    title: First\n    reviews: [caligari.md]\n',
    'reviews/caligari.md': review({title: 'The Cabinet of Dr. Caligari', year: 1920, director: 'F. W. Murnau'}, 'Body.')
  })
  try {
    const result = await build({cwd: project, mode: 'preview', collection: false})
    const pages = result.prepared[0]!.pages
    const chapter = pages.find((page) => page.role === 'review')!
    assert.match(chapter.body, /<h1 class="review-title">The Cabinet of Dr\.\u00a0Caligari<\/h1>/)
    assert.match(chapter.body, /Directed by F\.\u00a0W\.\u00a0Murnau/)
    assert.equal(chapter.label, 'The Cabinet of Dr.\u00a0Caligari (1920)', 'the contents')
    assert.match(pages.find((page) => page.file === 'index-title.xhtml')!.body, /<i>The Cabinet of Dr\.\u00a0Caligari<\/i> \(1920\)/)
    assert.match(pages.find((page) => page.file === 'index-director.xhtml')!.body, /<h2>Murnau, F\.\u00a0W\.<\/h2>/)
  } finally {
    await removeDir(project)
  }
})

test('a volume has indexes only from `indexes.from` reviews (10 unless set); the collection always; `true` and `false` decide for every book', async () => {
  const reviews = Object.fromEntries(
    ['a', 'b', 'c'].map((name, n) => [
      `reviews/${name}.md`,
      review({title: `Film ${name.toUpperCase()}`, year: 1950 + n, director: 'Jo Example', rating: 4, tags: '[drama, comedy]'}, 'Body.')
    ])
  )
  const indexesOf = async (setting: string) => {
    const project = await makeProject({
      'volumes.yaml': `series: Test Series\nauthor: Ada Critic\n${setting}volumes:\n  - number: 1\n    title: First\n    reviews: [a.md, b.md, c.md]\ncollection:\n  title: All\n`,
      ...reviews
    })
    try {
      const result = await build({cwd: project, mode: 'preview'})
      return result.prepared.map(({book, pages}) => {
        const nav = renderNav({book, pages, images: []})
        const opf = renderOpf({book, pages, images: []})
        const files = pages.filter((page) => page.role === 'index').map((page) => page.file)
        assert.equal(nav.includes('epub:type="index"'), files.length > 0, `${book.kind}: an index landmark only with indexes`)
        assert.equal(opf.includes('accessibilityFeature">index'), files.length > 0, `${book.kind}: the index feature only with indexes`)
        const about = pages.find((page) => page.role === 'about-collection')?.body
        if (about) assert.equal(about.includes('one set of indexes'), files.length > 0, 'About This Collection mentions indexes only when it has them')
        return `${book.kind}: ${files.map((file) => file.replace(/^index-|\.xhtml$/g, '')).join(' ')}`
      })
    } finally {
      await removeDir(project)
    }
  }
  const all = 'title director genre year rating'
  assert.deepEqual(await indexesOf(''), ['volume: ', `collection: ${all}`], 'three reviews are too few for a volume')
  assert.deepEqual(await indexesOf('indexes:\n  from: 3\n'), [`volume: ${all}`, `collection: ${all}`])
  assert.deepEqual(await indexesOf('indexes:\n  from: 4\n  genre: false\n'), ['volume: ', 'collection: title director year rating'])
  assert.deepEqual(await indexesOf('indexes: true\n'), [`volume: ${all}`, `collection: ${all}`])
  assert.deepEqual(await indexesOf('indexes: false\n'), ['volume: ', 'collection: '])
})

test('the genre index is on where two tags are each shared by two reviews, and `genre: true` or `false` overrides that', async () => {
  const withTags = async (tags: string[], setting = '') => {
    const files: Record<string, string> = {
      'volumes.yaml': `series: Test Series\nauthor: Ada Critic\nindexes:\n  from: 1\n${setting}volumes:\n  - number: 1\n    title: First\n    reviews: [${tags.map((_, n) => `r${n}.md`).join(', ')}]\n`
    }
    tags.forEach((list, n) => (files[`reviews/r${n}.md`] = review({title: `Film ${n}`, tags: list}, 'Body.')))
    const project = await makeProject(files)
    try {
      const result = await build({cwd: project, mode: 'preview', collection: false})
      return result.prepared[0]!.pages.some((page) => page.file === 'index-genre.xhtml')
    } finally {
      await removeDir(project)
    }
  }
  assert.equal(await withTags(['[drama, comedy]', '[Drama, Comedy]']), true, 'two tags, each shared by both')
  assert.equal(await withTags(['[drama, comedy]', '[drama, war]', '[noir]']), false, 'only one tag shared')
  assert.equal(await withTags(['[drama, comedy]', '[drama, war]', '[war]']), true, 'drama and war each shared')
  assert.equal(await withTags(['[drama]', '[noir]'], '  genre: true\n'), true, 'switched on')
  assert.equal(await withTags(['[drama, comedy]', '[drama, comedy]'], '  genre: false\n'), false, 'switched off')
  assert.equal(await withTags(['[]', '[]'], '  genre: true\n'), false, 'no tags, no page')
})

test("`stylesheet:` adds the author's CSS after the default one; a missing one is an error at its line", async () => {
  const project = await makeProject({
    'volumes.yaml': 'series: Test Series\nauthor: Ada Critic\nstylesheet: style/extra.css\nvolumes:\n  - number: 1\n    title: First\n    reviews: [a.md]\n',
    'style/extra.css': '@charset "UTF-8";\nh1.review-title { letter-spacing: 0.05em; }\n',
    'reviews/a.md': review({title: 'A Film'}, 'Body.')
  })
  try {
    const result = await build({cwd: project, sourceDateEpoch: '1700000000', collection: false})
    assert.equal(result.written, true)
    const css = await (await readEpub(result.outputs[0]!.path)).text('OEBPS/style.css')
    assert.match(css, /^@charset "UTF-8";\nbody \{/)
    assert.match(css, /\/\* style\/extra.css \*\/\nh1.review-title \{ letter-spacing: 0.05em; \}\n$/)
    assert.equal(css.match(/@charset/g)?.length, 1, 'one @charset, first')
    await writeFile(
      path.join(project, 'volumes.yaml'),
      'series: Test Series\nauthor: Ada Critic\nstylesheet: style/nope.css\nvolumes:\n  - number: 1\n    title: First\n    reviews: [a.md]\n'
    )
    const missing = await build({cwd: project, sourceDateEpoch: '1700000000', out: path.join(project, 'never')})
    assert.deepEqual(
      missing.files.flatMap((file) => file.messages.map((message) => `${file.path}:${message.line}:${message.column} ${message.ruleId}`)),
      ['volumes.yaml:3:13 missing-stylesheet']
    )
    assert.equal(missing.written, false)
  } finally {
    await removeDir(project)
  }
})

test('`quotes: language` lets the series language choose the primary quotes', async () => {
  for (const [language, expected] of [
    ['en-GB', '‘Rosebud’'],
    ['en-US', '“Rosebud”']
  ] as const) {
    const project = await makeProject({
      'volumes.yaml': `series: Test Series\nauthor: Ada Critic\nlanguage: ${language}\nquotes: language\nvolumes:\n  - number: 1\n    title: First\n    reviews: [a.md]\n`,
      'reviews/a.md': review({title: 'Citizen Kane'}, 'The word is "Rosebud".')
    })
    try {
      const result = await build({cwd: project, mode: 'preview'})
      assert.ok(result.prepared[0]!.pages.find((page) => page.role === 'review')!.body.includes(expected), `${language}: ${expected}`)
    } finally {
      await removeDir(project)
    }
  }
})

test('shortcode arguments: positional and key="value", in double, single or back quotes, or bare', () => {
  const read = (text: string) => {
    const args = parseShortcodeArgs(text)
    return {positional: args.positional, named: Object.fromEntries(args.named), malformed: args.malformed}
  }
  assert.deepEqual(read(' abc123 '), {positional: ['abc123'], named: {}, malformed: false})
  assert.deepEqual(read(' "abc 123" \'x y\' `raw "z"` '), {positional: ['abc 123', 'x y', 'raw "z"'], named: {}, malformed: false})
  assert.deepEqual(read(' id="ID?start=75" title=\'A "film"\' start=90 Autoplay = "true" '), {
    positional: [],
    named: {id: 'ID?start=75', title: 'A "film"', start: '90', autoplay: 'true'},
    malformed: false
  })
  assert.deepEqual(read(' title="say \\"hi\\"" '), {positional: [], named: {title: 'say "hi"'}, malformed: false})
  assert.deepEqual(read(' id="unclosed '), {positional: [], named: {}, malformed: true})
  assert.deepEqual(
    [parseStartTime('75'), parseStartTime('75s'), parseStartTime('1m15s'), parseStartTime('1h0m5s'), parseStartTime('1:15'), parseStartTime('soon')],
    [75, 75, 75, 3605, 75, undefined]
  )
})

test('a video shortcode links to the video at its start time, never with the time inside the id', () => {
  const link = (name: string, text: string) => videoLink(name, parseShortcodeArgs(text))?.url
  assert.equal(link('youtube', ' id="dQw4w9WgXcQ?start=75" '), 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=75s')
  assert.equal(link('youtube', ' dQw4w9WgXcQ&t=1m15s '), 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=75s')
  assert.equal(link('YouTube', ' id=\'dQw4w9WgXcQ\' start="75" '), 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=75s')
  assert.equal(link('youtube', ' dQw4w9WgXcQ '), 'https://www.youtube.com/watch?v=dQw4w9WgXcQ')
  assert.equal(link('youtube', ' dQw4w9WgXcQ start=soon '), 'https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'an unreadable time is left out')
  assert.equal(link('vimeo', ' 146022717 start=75 '), 'https://vimeo.com/146022717#t=75s')
  assert.equal(link('vimeo', ' id="146022717#t=75s" '), 'https://vimeo.com/146022717#t=75s')
  assert.equal(link('youtube', ' id="unclosed '), undefined)
  assert.equal(link('youtube', ''), undefined)
  assert.equal(link('constructor', ' x '), undefined)
})

test('a YouTube shortcode becomes a link to the video; Liquid tags stay as written', async () => {
  const project = await makeProject({
    'volumes.yaml': 'series: Test Series\nauthor: Ada Critic\nvolumes:\n  - number: 1\n    title: First\n    reviews: [a.md]\n',
    'reviews/a.md': review({title: 'A Film'}, 'Trailer: {{< youtube abc123 >}} and {% include card.html %}. The scene: {{< youtube id="abc123?start=75" >}}.')
  })
  try {
    const result = await build({cwd: project, mode: 'preview'})
    const body = result.prepared[0]!.pages.find((page) => page.role === 'review')!.body
    assert.match(body, /Trailer: <a href="https:\/\/www.youtube.com\/watch\?v=abc123">Watch on YouTube<\/a> and \{% include card.html %\}\./)
    assert.match(body, /The scene: <a href="https:\/\/www.youtube.com\/watch\?v=abc123&#x26;t=75s">Watch on YouTube<\/a>\./)
  } finally {
    await removeDir(project)
  }
})

test('reviews named toString, __proto__ and constructor, with one title and body between them, are all kept', async (t) => {
  const names = ['toString', '__proto__', 'constructor', 'hasOwnProperty']
  const files: Record<string, string> = {
    'volumes.yaml': `series: Proto\nauthor: Ada Critic\nvolumes:\n  - number: 1\n    title: One\n    reviews: [${names.map((name) => `${name}.md`).join(', ')}]\n`
  }
  for (const name of names) files[`reviews/${name}.md`] = review({title: 'Same Title'}, 'Same body; see [the other](constructor.md).')
  const project = await makeProject(files)
  try {
    const result = await build({cwd: project, sourceDateEpoch: '1700000000', collection: false})
    assert.equal(result.written, true)
    const epub = await readEpub(result.outputs[0]!.path)
    assert.deepEqual(epub.names.filter((name) => name.includes('review-')).sort(), [
      'OEBPS/review-constructor.xhtml',
      'OEBPS/review-hasownproperty.xhtml',
      'OEBPS/review-proto.xhtml',
      'OEBPS/review-tostring.xhtml'
    ])
    if (epubcheckAvailable(t)) assert.deepEqual((await epubcheck(result.outputs[0]!.path)).messages, [])
  } finally {
    await removeDir(project)
  }
})
