// The store kit (`--kit`) and the publication metadata: the royalty rules at the edges of
// KDP's bands, the sample series' kit (every marketing cover a 1600×2560 sRGB JPEG, every
// listing sheet the same as the book beside it), an author's own covers, KDP Select,
// `dc:date` and `dc:subject`, and the listing's checks.
import assert from 'node:assert/strict'
import {readFile, readdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {test} from 'node:test'
import {royalty} from '../src/book/royalties.js'
import type {ListingSheet} from '../src/render/kit/listing.js'
import {runCli} from './helpers/cli.js'
import {readEpub} from './helpers/epub.js'
import {epubcheck, epubcheckAvailable} from './helpers/epubcheck.js'
import {copySample, makeProject, manifest, removeDir, review} from './helpers/project.js'

const size = 150_000

test('royalties: 70% only inside KDP’s band for the marketplace, less delivery; 35% outside; the reason given', () => {
  const cases: Array<[Parameters<typeof royalty>[1], number, number, number, RegExp]> = [
    ['UK', 0.99, 0.35, 0.35, /£0\.99 is below KDP's 70% band on Amazon\.co\.uk \(£1\.77–£9\.99\), so 35% applies/],
    ['UK', 1.77, 0.7, 1.23, /£1\.77 is inside KDP's 70% band on Amazon\.co\.uk \(£1\.77–£9\.99\): 70% less £0\.01 delivery for 0\.14 MB/],
    ['UK', 4.99, 0.7, 3.49, /inside/],
    ['UK', 9.99, 0.7, 6.99, /inside/],
    ['UK', 12.99, 0.35, 4.55, /£12\.99 is above KDP's 70% band/],
    ['US', 2.98, 0.35, 1.04, /\$2\.98 is below KDP's 70% band on Amazon\.com \(\$2\.99–\$9\.99\)/],
    ['US', 2.99, 0.7, 2.08, /\$2\.99 is inside KDP's 70% band on Amazon\.com/],
    // Euro prices include VAT (7% on e-books in Germany), which comes off first.
    ['DE', 4.99, 0.7, 3.25, /70% less 7% VAT less €0\.02 delivery/],
    ['DE', 12.99, 0.35, 4.25, /35% less 7% VAT applies/]
  ]
  for (const [marketplace, price, rate, amount, why] of cases) {
    const result = royalty('kindle', marketplace, price, size)
    assert.equal(result.rate, rate, `${marketplace} ${price}`)
    assert.equal(result.amount, amount, `${marketplace} ${price}: ${result.why}`)
    assert.match(result.why, why)
  }
  // Inside the band the 35% option is shown beside the 70% one; outside, 70% is not on offer.
  assert.deepEqual(royalty('kindle', 'UK', 4.99, size).alternative, {rate: 0.35, amount: 1.75})
  assert.equal(royalty('kindle', 'UK', 12.99, size).alternative, undefined)
  // A book so large that delivery eats the 70%: the reason says the 35% option pays more.
  assert.match(royalty('kindle', 'UK', 1.99, 30_000_000).why, /the 35% option, with no delivery charge, would pay more/)
  // Apple: 70% at any price; Kobo: 70% from 2.99, 45% below.
  assert.equal(royalty('apple', 'UK', 12.99, size).amount, 9.09)
  assert.equal(royalty('kobo', 'UK', 2.98, size).rate, 0.45)
  assert.equal(royalty('kobo', 'UK', 2.99, size).rate, 0.7)
})

/** A JPEG's width, height and components (from its SOF marker), and whether it says sRGB in Exif. */
function jpegFacts(bytes: Buffer): {width: number; height: number; components: number; progressive: boolean; srgb: boolean} {
  assert.equal(bytes.readUInt16BE(0), 0xffd8, 'a JPEG')
  let at = 2
  let srgb = false
  while (at < bytes.length) {
    const marker = bytes.readUInt16BE(at)
    const length = bytes.readUInt16BE(at + 2)
    if (marker === 0xffe1 && bytes.subarray(at + 4, at + 10).toString('latin1') === 'Exif\0\0') {
      // ColorSpace (0xA001), SHORT 1, anywhere in this small segment.
      srgb = bytes.subarray(at, at + 2 + length).includes(Buffer.from([0xa0, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]))
    }
    if (marker === 0xffc0 || marker === 0xffc2)
      return {height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7), components: bytes[at + 9]!, progressive: marker === 0xffc2, srgb}
    at += 2 + length
  }
  throw new Error('no SOF marker')
}

test('the kit for the sample series: a 1600×2560 sRGB JPEG and a listing sheet beside every book, each true to it', {timeout: 180_000}, async (t) => {
  const dir = await copySample()
  try {
    // The sample's own prices (£4.99 a volume), a BISAC subject, and the collection put above KDP's band.
    const yaml = await readFile(path.join(dir, 'volumes.yaml'), 'utf8')
    assert.match(yaml, /^ {2}kindle: \{prices: \{UK: 4\.99, US: 5\.99\}, select: false\}$/m)
    const changed = yaml
      .replace(/^stores:/m, 'subjects: [PER004020]\nstores:')
      .replace(/^ {2}prices: \{kindle: \{UK: 9\.99, US: 12\.99\}\}$/m, '  prices: {kindle: {UK: 12.99, US: 14.99}}')
    assert.match(changed, /UK: 12\.99/)
    await writeFile(path.join(dir, 'volumes.yaml'), changed)
    const run = await runCli(['--kit', '--json', '--checksums', '-o', 'out'], dir)
    assert.equal(run.code, 0, run.stderr)
    const report = JSON.parse(run.stdout) as {outputs: Array<{path: string; kit: Array<{path: string; bytes: number; sha256: string}>}>}
    const files = (await readdir(path.join(dir, 'out'))).sort()
    assert.equal(files.filter((name) => name.endsWith('.epub')).length, 8)
    for (const output of report.outputs) {
      const base = path.basename(output.path, '.epub')
      assert.deepEqual(
        output.kit.map((file) => path.basename(file.path)),
        [`${base}-cover.jpg`, `${base}-listing.md`, `${base}-listing.json`]
      )
      const cover = await readFile(path.join(dir, 'out', `${base}-cover.jpg`))
      assert.deepEqual(jpegFacts(cover), {width: 1600, height: 2560, components: 3, progressive: false, srgb: true}, `${base}-cover.jpg`)

      // The sheet says what the book says.
      const sheet = JSON.parse(await readFile(path.join(dir, 'out', `${base}-listing.json`), 'utf8')) as ListingSheet
      const epub = await readEpub(path.join(dir, 'out', `${base}.epub`))
      const opf = await epub.text('OEBPS/content.opf')
      const tag = (name: string) => new RegExp(`<${name}[^>]*>([^<]*)</${name}>`).exec(opf)?.[1]
      const unescape = (text: string | undefined) =>
        text
          ?.replace(/&amp;/g, '&')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
      assert.equal(sheet.title, unescape(tag('dc:title')))
      assert.equal(sheet.identifier.value, unescape(tag('dc:identifier')))
      assert.equal(sheet.publicationDate, tag('dc:date'))
      assert.equal(sheet.description.text.split('\n')[0], unescape(tag('dc:description')))
      assert.equal(String(sheet.series.number ?? ''), /<meta refines="#series" property="group-position">(\d+)</.exec(opf)?.[1] ?? '')
      assert.equal(sheet.series.name, 'Essential Film Reviews')
      assert.ok(sheet.description.html.length <= 4000 && /^<p>.*<\/p><p><b>.*<\/b><\/p><[ou]l><li>/.test(sheet.description.html), sheet.description.html)
      assert.ok(sheet.keywords.length > 0 && sheet.keywords.length <= 7 && sheet.keywords.every((keyword) => keyword.length <= 50))
      assert.equal(sheet.categories[0]!.code, 'PER004020')
      assert.ok(sheet.categories.length <= 3)
      assert.equal(sheet.reviews.length, (await epub.names.filter((name) => /review-.*\.xhtml$/.test(name))).length)
      const uk = sheet.royalties.find((row) => row.marketplace === 'UK')!
      if (sheet.kind === 'collection') {
        assert.equal(sheet.bundle?.volumes.length, 7)
        assert.deepEqual([uk.price, uk.rate], [12.99, 0.35], 'the collection at £12.99 is above the band: 35%')
      } else {
        assert.equal(sheet.bundle, null)
        assert.deepEqual([uk.price, uk.rate], [4.99, 0.7])
      }
      const markdown = await readFile(path.join(dir, 'out', `${base}-listing.md`), 'utf8')
      assert.ok(markdown.startsWith(`# ${sheet.title}\n`))
      assert.match(
        markdown,
        new RegExp(`\\| Kindle \\(KDP\\) \\| Amazon\\.co\\.uk \\| £${uk.price.toFixed(2).replace('.', '\\.')} \\| ${Math.round(uk.rate * 100)}% \\|`)
      )
      // The OPF carries the date and the BISAC subject with its authority and code.
      assert.match(
        opf,
        /<dc:subject id="subject-1">PERFORMING ARTS \/ Film \/ Guides &amp; Reviews<\/dc:subject>\s*<meta refines="#subject-1" property="authority">BISAC<\/meta>\s*<meta refines="#subject-1" property="term">PER004020<\/meta>/
      )
      assert.match(opf, /<dc:date>\d{4}-\d{2}-\d{2}<\/dc:date>/)
      if (epubcheckAvailable(t)) assert.deepEqual((await epubcheck(path.join(dir, 'out', `${base}.epub`))).messages, [], `EPUBCheck on ${base}.epub`)
    }
    // SHA256SUMS covers the kit too.
    const sums = await readFile(path.join(dir, 'out', 'SHA256SUMS'), 'utf8')
    assert.equal(sums.trim().split('\n').length, 8 * 4)
  } finally {
    await removeDir(dir)
  }
})

/** A PNG of `width`×`height`, filled with one colour (RGB), made without a library. */
async function flatPng(width: number, height: number, rgb: [number, number, number]): Promise<Buffer> {
  const {deflateSync} = await import('node:zlib')
  const row = Buffer.alloc(1 + width * 3)
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3)
  const raw = Buffer.concat(Array.from({length: height}, () => row))
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length)
    out.writeUInt32BE(data.length, 0)
    out.write(type, 4, 'latin1')
    data.copy(out, 8)
    let crc = 0xffffffff
    for (const byte of out.subarray(4, 8 + data.length)) {
      crc ^= byte
      for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1
    }
    out.writeUInt32BE((crc ^ 0xffffffff) >>> 0, 8 + data.length)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8
  header[9] = 2
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

test("an author's own covers: a large one scaled to fit 1600×2560, never enlarged; a small or white-edged one warned about", {timeout: 120_000}, async () => {
  const dir = await makeProject({
    'volumes.yaml': `series: Test Series\nauthor: Ada Critic\nstores: [kindle]\nvolumes:\n  - number: 1\n    title: Big\n    cover: big.png\n    reviews: [a.md]\n  - number: 2\n    title: Small\n    cover: small.png\n    reviews: [b.md]\n  - number: 3\n    title: Pale\n    cover: pale.png\n    reviews: [c.md]\n`,
    'big.png': await flatPng(2000, 3200, [40, 60, 90]),
    'small.png': await flatPng(500, 800, [40, 60, 90]),
    'pale.png': await flatPng(1600, 2560, [252, 252, 250]),
    'reviews/a.md': review({title: 'A'}, 'Words about a film.'),
    'reviews/b.md': review({title: 'B'}, 'Words about a film.'),
    'reviews/c.md': review({title: 'C'}, 'Words about a film.')
  })
  try {
    const run = await runCli(['--kit', '-o', 'out'], dir)
    assert.equal(run.code, 0, run.stderr)
    const facts = async (n: number) => jpegFacts(await readFile(path.join(dir, 'out', `test-series-volume-0${n}-cover.jpg`)))
    assert.deepEqual([(await facts(1)).width, (await facts(1)).height], [1600, 2560])
    assert.deepEqual([(await facts(2)).width, (await facts(2)).height], [500, 800])
    assert.match(run.stderr, /warning +Cover `small\.png`: is 500×800; KDP needs at least 625×1000 pixels \(ideally 1600×2560\) +cover-size/)
    assert.match(run.stderr, /warning +The cover of volume 3 is white or near white at its edges, so on Amazon's white pages it has no visible edge +kit-cover/)
    assert.doesNotMatch(run.stderr, /volume 1 is|volume 1 is white/)
  } finally {
    await removeDir(dir)
  }
})

test('KDP Select: reviews first published on the web are counted and warned about, unless the books will not be enrolled', {timeout: 60_000}, async () => {
  const files = {
    'reviews/a.md': review({title: 'Her', source: 'https://medium.com/@ada/her-2013-1a2b3c4d5e6f'}, 'Words about a film.'),
    'reviews/b.md': review({title: 'Alien', published: '2019-10-31'}, 'Words about a film.'),
    'reviews/c.md': review({title: 'Ran'}, 'Words about a film.')
  }
  const withSite = await makeProject({'volumes.yaml': manifest(['a.md', 'b.md', 'c.md'], 'stores: [kindle]\nsite: https://ada.example\n'), ...files})
  const noSite = await makeProject({'volumes.yaml': manifest(['a.md', 'b.md', 'c.md'], 'stores: [kindle]\n'), ...files})
  const optedOut = await makeProject({'volumes.yaml': manifest(['a.md', 'b.md', 'c.md'], 'stores:\n  kindle: {select: false}\n'), ...files})
  try {
    const warned = await runCli(['check'], withSite)
    assert.equal(warned.code, 0, warned.stderr)
    assert.match(
      warned.stderr,
      /warning +Volume 1: 2 of its 3 reviews were first published on the web \(`https:\/\/medium\.com\/@ada\/her-2013-1a2b3c4d5e6f`, …\); KDP Select requires an enrolled book's digital content to be exclusive to Amazon +kdp-select/
    )
    assert.match((await runCli(['check'], noSite)).stderr, /Volume 1: 1 of its 3 reviews were first published/)
    assert.doesNotMatch((await runCli(['check'], optedOut)).stderr, /kdp-select/)
  } finally {
    for (const dir of [withSite, noSite, optedOut]) await removeDir(dir)
  }
})

test('the listing checks: a description over 4,000 characters, too many keywords, a collection that does not say it is one', {timeout: 60_000}, async () => {
  const long = 'A sentence about films that goes on a little. '.repeat(100)
  const dir = await makeProject({
    'volumes.yaml': `series: Test Series\nauthor: Ada Critic\ndescription: ${long}\nkeywords: [one, two, three, four, five, six, seven, eight]\nvolumes:\n  - number: 1\n    title: First\n    reviews: [a.md]\ncollection:\n  title: Everything I Wrote\n`,
    'reviews/a.md': review({title: 'Her', year: 2013, tags: '[drama]'}, 'Words about a film.')
  })
  try {
    const run = await runCli(['--kit', '-o', 'out'], dir)
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stderr, /warning +Volume 1's description is 4,[\d]{3} characters in KDP's HTML, over its limit of 4,000 +kdp-listing/)
    assert.match(run.stderr, /warning +Volume 1 names 8 keywords; KDP takes 7 +kdp-listing/)
    assert.match(
      run.stderr,
      /warning +The collection's title “Everything I Wrote” does not say it holds several books, which KDP requires of a bundle +kdp-listing/
    )
    const sheet = JSON.parse(await readFile(path.join(dir, 'out', 'test-series-volume-01-listing.json'), 'utf8')) as ListingSheet
    assert.deepEqual(sheet.keywords, ['one', 'two', 'three', 'four', 'five', 'six', 'seven'])
  } finally {
    await removeDir(dir)
  }
})

test("an author's cover in another colour space becomes an 8-bit sRGB JPEG on white: CMYK, 16 bits a channel, a transparent ground, a GIF", async () => {
  const {default: sharp} = await import('sharp')
  const {kitCover} = await import('../src/render/kit/cover.js')
  const blue = {r: 32, g: 96, b: 192}
  const covers: Array<[string, Buffer, [number, number, number], number]> = [
    // CMYK and back through libvips' profiles is not exact (this blue lies outside the CMYK gamut).
    [
      'a CMYK JPEG',
      await sharp({create: {width: 400, height: 640, channels: 3, background: blue}})
        .toColourspace('cmyk')
        .jpeg()
        .toBuffer(),
      [32, 96, 192],
      40
    ],
    [
      'a 16-bit PNG, half transparent',
      await sharp({create: {width: 3200, height: 5120, channels: 4, background: {r: 200, g: 10, b: 10, alpha: 0.5}}})
        .toColourspace('rgb16')
        .png()
        .toBuffer(),
      [227, 132, 132],
      3
    ],
    [
      'a GIF',
      await sharp({create: {width: 400, height: 640, channels: 3, background: blue}})
        .gif()
        .toBuffer(),
      [32, 96, 192],
      3
    ]
  ]
  for (const [what, bytes, expected, tolerance] of covers) {
    const cover = await kitCover(new Uint8Array(bytes))
    assert.ok(cover, what)
    const facts = jpegFacts(Buffer.from(cover.bytes))
    assert.deepEqual({components: facts.components, progressive: facts.progressive, srgb: facts.srgb}, {components: 3, progressive: false, srgb: true}, what)
    const scaled = (await sharp(bytes).metadata()).width! > 1600
    assert.deepEqual([facts.width, facts.height], scaled ? [1600, 2560] : [400, 640], what)
    const {data, info} = await sharp(Buffer.from(cover.bytes)).raw().toBuffer({resolveWithObject: true})
    assert.deepEqual([info.channels, data.length], [3, info.width * info.height * 3], `${what}: three channels of 8 bits`)
    const middle = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * 3
    const pixel = [data[middle]!, data[middle + 1]!, data[middle + 2]!]
    assert.ok(
      pixel.every((value, i) => Math.abs(value - expected[i]!) <= tolerance),
      `${what}: the middle pixel is ${pixel.join(',')}, expected about ${expected.join(',')}`
    )
  }
  assert.equal(await kitCover(new TextEncoder().encode('\u0089PNG\r\n\u001a\n not really')), undefined, 'bytes that are no image give no cover')
})
