// Ace by DAISY (the EPUB accessibility checker, axe-core in Debian's Chromium through
// puppeteer) on a volume and a collection with every kind of page and every shape of review page
// the sample's books have: no violations at all, metadata included. Ace passes a book that fails
// (its CLI exits 0), so the test reads its report.
import assert from 'node:assert/strict'
import {readFile, readdir, writeFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import path from 'node:path'
import {after, before, test} from 'node:test'
import {chromiumAvailable, chromiumEndpoint, chromiumPath} from './helpers/chromium.js'
import {runCli} from './helpers/cli.js'
import {readEpub} from './helpers/epub.js'
import {copySample, removeDir, tempDir} from './helpers/project.js'
import {parseXml, XmlElement} from '@rgrove/parse-xml'
import {parse, stringify} from 'yaml'

const require = createRequire(import.meta.url)

interface AxeRunner {
  concurrency: number
  setTimeout(ms: number): void
  launch(): Promise<void>
  close(): Promise<void>
  run(...args: unknown[]): Promise<unknown>
}
type Ace = (epub: string, options: Record<string, unknown>, runner: AxeRunner) => Promise<[string, unknown]>
interface Puppeteer {
  launch(options?: unknown): Promise<unknown>
  connect(options: {browserWSEndpoint: string; protocolTimeout?: number}): Promise<{disconnect(): Promise<void>}>
}
interface Assertion {
  'earl:test'?: {'dct:title'?: string; 'earl:impact'?: string}
  'earl:result'?: {'earl:outcome'?: string; 'dct:description'?: string}
  'earl:testSubject'?: {url?: string}
  assertions?: Assertion[]
}

let sample: string
let trimmed: string
let reports: string
before(async () => {
  sample = await copySample()
  trimmed = await copySample()
  reports = await tempDir('ace-')
})
after(async () => {
  await removeDir(sample)
  await removeDir(trimmed)
  await removeDir(reports)
})

/**
 * What a page is made of, whatever it says: each element as its name, its classes, its
 * `epub:type` and `role`, and the names of its other attributes (`a[epub:type=noteref,href,id]`).
 * axe's rules look at exactly this (headings, landmarks, names, alt text, tables, colours by
 * class); the words and the addresses are what differ between two reviews.
 */
function shapes(xhtml: string): Set<string> {
  const found = new Set<string>()
  const visit = (element: XmlElement) => {
    const attributes = Object.entries(element.attributes)
      .map(([name, value]) =>
        name === 'class' ? `.${value.split(' ').sort().join('.')}` : name === 'epub:type' || name === 'role' ? `${name}=${value}` : name
      )
      .sort()
    found.add(`${element.name}[${attributes.join(',')}]`)
    for (const child of element.children) if (child instanceof XmlElement) visit(child)
  }
  const html = parseXml(xhtml).root!
  const body = html.children.find((child): child is XmlElement => child instanceof XmlElement && child.name === 'body')!
  for (const child of body.children) if (child instanceof XmlElement) visit(child)
  return found
}

/** The shapes in each page of a book, by the page's file name. */
async function pageShapes(file: string): Promise<Map<string, Set<string>>> {
  const epub = await readEpub(file)
  const pages = new Map<string, Set<string>>()
  for (const name of epub.names.filter((entry) => entry.endsWith('.xhtml'))) pages.set(path.basename(name), shapes(await epub.text(name)))
  return pages
}

const union = (pages: Map<string, Set<string>>) => [...new Set([...pages.values()].flatMap((found) => [...found]))].sort()
/** The pages that are not one review's or one volume's part page: front and back matter, introductions, forewords. */
const kinds = (pages: Map<string, Set<string>>) => [...pages.keys()].filter((page) => !page.startsWith('review-') && !/^volume-\d+\.xhtml$/.test(page))

interface Volume {
  number: number
  introduction?: string
  foreword?: string
  reviews: string[]
}

/**
 * The sample with fewer reviews whose books still have every kind of page and every shape of
 * review page: the fewest reviews whose pages show every shape in the collection (chosen
 * greedily), in the volumes that hold them or an introduction or a foreword (each keeping its
 * number, so its cover is the one already drawn; a volume with neither keeps its first review).
 */
async function trimSample(collection: Map<string, Set<string>>): Promise<void> {
  const manifestFile = path.join(trimmed, 'volumes.yaml')
  const manifest = parse(await readFile(manifestFile, 'utf8')) as {volumes: Volume[]}
  const pageOf = (review: string) => `review-${path.basename(review, '.md')}.xhtml`
  const reviews = manifest.volumes.flatMap((volume) => volume.reviews)
  for (const review of reviews) assert.ok(collection.has(pageOf(review)), `${review} has its page ${pageOf(review)} in the collection`)
  const left = new Set(reviews.flatMap((review) => [...collection.get(pageOf(review))!]))
  const chosen = new Set<string>()
  while (left.size > 0) {
    const gain = (review: string) => [...collection.get(pageOf(review))!].filter((shape) => left.has(shape)).length
    const best = reviews.reduce((a, b) => (gain(b) > gain(a) ? b : a))
    chosen.add(best)
    for (const shape of collection.get(pageOf(best))!) left.delete(shape)
  }
  manifest.volumes = manifest.volumes
    .filter((volume) => volume.introduction || volume.foreword || volume.reviews.some((review) => chosen.has(review)))
    .map((volume) => {
      const kept = volume.reviews.filter((review) => chosen.has(review))
      return {...volume, reviews: kept.length > 0 ? kept : volume.reviews.slice(0, 1)}
    })
  await writeFile(manifestFile, stringify(manifest))
}

test(
  'Ace by DAISY finds no accessibility violations in a volume and a collection with every kind and shape of page in the sample',
  {timeout: 300_000},
  async (t) => {
    if (!chromiumAvailable(t)) return
    const built = await runCli(['-q'], sample)
    assert.equal(built.code, 0, built.stderr)
    const books = (await readdir(path.join(sample, 'dist'))).filter((name) => name.endsWith('.epub')).sort()
    assert.equal(books.length, 8)
    // Ace itself, in this process, with its own puppeteer runner; the runner launches a browser
    // for each book and closes it after, so it is lent the run's one browser instead, and its
    // launch and close do nothing.
    process.env.PUPPETEER_EXECUTABLE_PATH = chromiumPath
    const puppeteer = require('puppeteer') as Puppeteer
    const runner = require('@daisy/ace-axe-runner-puppeteer') as AxeRunner
    const ace = require('@daisy/ace-core') as Ace
    const browser = await puppeteer.connect({browserWSEndpoint: await chromiumEndpoint(), protocolTimeout: 240_000})
    const launch = puppeteer.launch
    puppeteer.launch = () => Promise.resolve(browser)
    try {
      await runner.launch()
    } finally {
      puppeteer.launch = launch
    }
    const lent: AxeRunner = {
      ...runner,
      setTimeout: (ms) => runner.setTimeout(ms),
      run: (...args) => runner.run(...args),
      launch: async () => {},
      close: async () => {}
    }
    // The seven volumes are the same templates over the collection's pages, and the collection's
    // twenty-two review pages are a few shapes of page with different words; Ace took seven
    // seconds a volume and sixteen for the collection. It reads volume 1 (what only a volume has:
    // its number, the series list) and the collection of a copy of the sample that holds the
    // reviews showing every shape, checked here to have every shape and kind of page of the full
    // books.
    const bookOf = (folder: string, ending: string) =>
      path.join(
        folder,
        'dist',
        books.find((book) => book.endsWith(ending))!
      )
    const full = {collection: await pageShapes(bookOf(sample, '-collection.epub')), volume: await pageShapes(bookOf(sample, '-volume-01.epub'))}
    await trimSample(full.collection)
    const trimmedBuild = await runCli(['-q'], trimmed)
    assert.equal(trimmedBuild.code, 0, trimmedBuild.stderr)
    const checked = [bookOf(trimmed, '-volume-01.epub'), bookOf(trimmed, '-collection.epub')]
    const kept = {volume: await pageShapes(checked[0]!), collection: await pageShapes(checked[1]!)}
    // A review page's shapes are its section, headings, paragraphs, links …: dozens, never none.
    assert.ok(union(full.collection).length > 20, `the full collection's shapes: ${union(full.collection).join(' ')}`)
    assert.deepEqual(union(kept.collection), union(full.collection), 'the collection Ace reads has every shape of the full one')
    assert.deepEqual(kinds(kept.collection), kinds(full.collection), 'and every kind of page')
    assert.deepEqual(kinds(kept.volume), kinds(full.volume), 'the volume Ace reads has every kind of page of the full one')
    assert.ok(kept.collection.size < full.collection.size, `the collection Ace reads has ${kept.collection.size} pages, not ${full.collection.size}`)
    try {
      for (const book of checked) {
        const out = path.join(reports, path.basename(book))
        await ace(book, {cwd: trimmed, outdir: out, silent: true, jobId: ''}, lent)
        const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as Assertion & {'earl:result': {'earl:outcome': string}}
        const violations = (report.assertions ?? []).flatMap((document) =>
          (document.assertions ?? []).map(
            (finding) =>
              `${document['earl:testSubject']?.url ?? '?'}: ${finding['earl:test']?.['dct:title']} (${finding['earl:test']?.['earl:impact']}) ${finding['earl:result']?.['dct:description'] ?? ''}`
          )
        )
        assert.deepEqual(violations, [], `${path.basename(book)}: Ace violations`)
        assert.equal(report['earl:result']['earl:outcome'], 'pass', `${path.basename(book)}: Ace's verdict`)
      }
    } finally {
      await browser.disconnect()
    }
  }
)
