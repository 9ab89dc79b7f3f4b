// Stages 4 and 5, the books rendered and checked: each book's pages and images prepared (the
// EPUB and the preview share them), zipped when this run zips, then held to the store rules,
// the last guard on its links and ids, and EPUBCheck when asked. A book this session already
// wrote with the same signature is not made again. Reads images and runs EPUBCheck; writes
// nothing.
import {createHash} from 'node:crypto'
import {existsSync} from 'node:fs'
import path from 'node:path'
import {bookSources} from '../book/assemble.js'
import {checkBook} from '../check/book-check.js'
import {findEpubcheck, startEpubcheck} from '../check/epubcheck.js'
import {preflight} from '../check/preflight.js'
import type {Book, BuildOutput, PreparedBook} from '../model.js'
import {navFile, renderNav} from '../render/package.js'
import {coverImageName} from '../render/pages.js'
import {drawCovers, packEpub, prepareBook, readBookImages} from '../render/prepare.js'
import type {VFile} from 'vfile'
import {report} from '../shared/diagnostics.js'
import type {Assembled} from './assemble-books.js'
import type {SessionCaches} from './caches.js'
import type {Converted} from './convert-reviews.js'
import type {Project} from './load-project.js'
import type {ResolvedOptions} from './options.js'
import {bookSignature} from './signature.js'
import {findCandidate, imagesOf, makeRecord, markMessages, recordName, reuseBook, type Candidate, type ReuseStore} from './reuse.js'
import {printBook} from './print-books.js'

export interface Rendered {
  outputs: BuildOutput[]
  /** The zipped books to write, by file name. */
  epubs: Map<string, Uint8Array>
  /** The store kits' files to write beside them (`--kit`), by file name. */
  kit: Map<string, Uint8Array>
  /** The paperbacks' PDFs to write beside them (`--print`), by file name. */
  print: Map<string, Uint8Array>
  /** The rendered books, when the run keeps them (check, preview, stats). */
  prepared: PreparedBook[]
  signatures: Map<string, string>
  /** What to keep in the disk cache once the books are written, for the next build to reuse (reuse.ts). */
  records: Array<{name: string; bytes: Uint8Array}>
}

export async function renderBooks(
  project: Project,
  options: ResolvedOptions,
  {style}: Converted,
  {books, times, seriesKey}: Assembled,
  caches: SessionCaches,
  store: ReuseStore | undefined,
  files: readonly VFile[]
): Promise<Rendered> {
  const {manifest} = project
  const signatures = new Map(
    books.map((book) => [book.fileName, bookSignature(book, {manifestText: project.text, times, seriesKey, style, digests: caches.digests})])
  )
  // A session's first build of plain books takes each book the last build wrote, unchanged, from
  // the output folder (later builds of a session skip unchanged books by its own memory, below).
  const reusing = store && caches.runs === 0 && options.mode === 'build' && !options.keep && !options.kit && !options.print && !options.epubcheck
  const names = new Map(books.map((book) => [book.fileName, recordName(book, signatures.get(book.fileName)!)]))
  const candidates = new Map<string, Candidate>()
  if (reusing) {
    const found = await Promise.all(books.map((book) => findCandidate(names.get(book.fileName)!, path.join(manifest.outputDir, book.fileName), store)))
    for (const [index, book] of books.entries()) if (found[index]) candidates.set(book.fileName, found[index]!)
  }
  if (options.pack)
    void drawCovers(
      books.filter((book) => !caches.written.has(book.fileName) && !candidates.has(book.fileName) && !book.cover).map((book) => book.coverText),
      caches.covers,
      store
    )
  const epubcheck = options.epubcheck ? startEpubcheck(findEpubcheck()) : undefined
  try {
    // A session that renders again (watch, preview) keeps each page's scan for the last guard.
    const scans = caches.runs++ > 0 ? caches.scans : undefined
    scans?.nextRun()
    const checks: Array<Promise<void>> = []
    const rendered: Rendered = {outputs: [], epubs: new Map(), kit: new Map(), print: new Map(), prepared: [], signatures, records: []}
    const checkedImages = new Set<string>()
    const warn = (text: string) =>
      report(manifest.file, {
        reason: `epub-gen-memory: ${text}`,
        ruleId: 'epub-library',
        severity: 'warning',
        note: 'This is about the library that zips the books; please report it with the command you ran.'
      })
    for (const book of books) {
      const outPath = path.join(manifest.outputDir, book.fileName)
      const signature = signatures.get(book.fileName)!
      const previous = caches.written.get(book.fileName)
      if (options.mode === 'build' && previous?.signature === signature && existsSync(outPath)) {
        rendered.outputs.push({...previous.output, ms: 0, rebuilt: false})
        continue
      }
      const images = imagesOf(book)
      const checkedBefore = images.filter((name) => checkedImages.has(name))
      const candidate = candidates.get(book.fileName)
      // A book's image files are read first, taken or made: the reader's problems (reported once at
      // each place, whichever book shows it first) are then outside what a record holds; a book
      // that is made uses what was read.
      const read = reusing ? await readBookImages(book, project.bytesOf, manifest.file) : undefined
      if (candidate && reuseBook(book, candidate, checkedBefore, files, store!)) {
        for (const name of images) checkedImages.add(name)
        rendered.epubs.set(book.fileName, candidate.bytes)
        const output: BuildOutput = {...bookOutput(book, outPath, candidate.bytes, candidate.record.sha256), ms: 0, rebuilt: false, kit: []}
        rendered.outputs.push(output)
        options.onProgress({type: 'book-done', output})
        continue
      }
      const marks = reusing ? markMessages(files) : undefined
      options.onProgress({type: 'book-start', title: book.title, path: outPath})
      const started = performance.now()
      const ready = await prepareBook(book, {
        bytesOf: project.bytesOf,
        manifestFile: manifest.file,
        style,
        drawCover: options.pack,
        covers: caches.covers,
        store,
        indexes: caches.indexes,
        read
      })
      if (options.keep) rendered.prepared.push(ready)
      const epub = options.pack ? await packEpub(ready, new Date(book.modified), caches.deflated, warn) : undefined
      if (epub) rendered.epubs.set(book.fileName, epub)
      const declared = book.kind === 'volume' ? manifest.volumes.find((volume) => volume.number === book.position)?.numberPlace : manifest.collectionPlace
      preflight({
        prepared: ready,
        bytes: epub?.byteLength,
        manifestFile: manifest.file,
        place: declared,
        checkedImages,
        notes: caches.notes,
        sites: manifest.sites,
        storesPlace: manifest.storesPlace
      })
      checkBook(
        book,
        ready.pages,
        [{file: navFile, xhtml: renderNav({book, pages: ready.pages, images: ready.contentImages})}],
        resourcesOf(book, ready),
        manifest.file,
        declared,
        scans
      )
      // EPUBCheck's one JVM checks this book while the next ones render.
      if (epubcheck && epub) {
        const checking = epubcheck.check(epub, book.fileName, manifest.file, declared)
        // Awaited below; the handler only stops Node calling it unhandled in the meantime.
        checking.catch(() => {})
        checks.push(checking)
      }
      const kit: BuildOutput['kit'] = []
      if (options.kit && epub) {
        // Loaded only for --kit: the JPEG encoder and the listing sheets are no other build's business.
        const {renderKit} = await import('../render/kit/index.js')
        const made = await renderKit(ready, epub.byteLength, manifest.sites)
        for (const problem of made.problems) {
          report(manifest.file, {
            reason: problem.reason,
            ruleId: problem.ruleId,
            severity: 'warning',
            place:
              problem.about === 'keywords'
                ? ((book.kind === 'collection'
                    ? manifest.collection?.keywordsPlace
                    : manifest.volumes.find((v) => v.number === book.position)?.keywordsPlace) ??
                  manifest.keywordsPlace ??
                  declared)
                : declared,
            note: problem.note
          })
        }
        for (const file of made.files) {
          rendered.kit.set(file.name, file.bytes)
          kit.push({
            path: path.join(manifest.outputDir, file.name),
            bytes: file.bytes.byteLength,
            sha256: createHash('sha256').update(file.bytes).digest('hex')
          })
        }
      }
      const print = options.print && epub ? await printBook(ready, manifest, declared, rendered.print) : undefined
      const output: BuildOutput = {
        ...bookOutput(book, outPath, epub),
        ms: performance.now() - started,
        rebuilt: true,
        kit,
        ...(print ? {print} : {})
      }
      rendered.outputs.push(output)
      if (marks && output.sha256) rendered.records.push({name: names.get(book.fileName)!, bytes: makeRecord(output.sha256, checkedBefore, marks)})
      options.onProgress({type: 'book-done', output})
    }
    await Promise.all(checks)
    return rendered
  } finally {
    await epubcheck?.close()
  }
}

/** What a run says of a book it made or took: where it is, its size and digest (none when not zipped), its reviews and words. */
function bookOutput(book: Book, outPath: string, epub: Uint8Array | undefined, sha256?: string): Omit<BuildOutput, 'ms' | 'rebuilt' | 'kit'> {
  const reviews = book.parts.flatMap((part) => part.reviews)
  return {
    kind: book.kind,
    volume: book.position,
    title: book.title,
    path: outPath,
    bytes: epub ? epub.byteLength : null,
    sha256: epub ? (sha256 ?? createHash('sha256').update(epub).digest('hex')) : null,
    reviews: reviews.length,
    words: reviews.reduce((sum, review) => sum + review.words, 0)
  }
}

/** The files inside a book besides its documents: its stylesheet and images (an image that could not be read, and a cover check and preview never draw, count: the guard looks for the tool's own mistakes). */
function resourcesOf(book: Book, prepared: PreparedBook): Set<string> {
  const cover = coverImageName(book)
  const named = bookSources(book).flatMap((source) => source.images.map((image) => image.name))
  return new Set([
    'style.css',
    ...[...prepared.images.keys(), ...named, ...(cover ? [cover] : [])].map((name) => `images/${name}`),
    ...[...prepared.fonts.keys()].map((name) => `fonts/${name}`)
  ])
}
