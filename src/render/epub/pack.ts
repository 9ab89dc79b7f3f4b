// The one module that knows epub-gen-memory. It gets finished documents (every page, the
// nav, NCX and OPF are ours, passed through one-line templates, because the library's own
// templates use random ids and the clock, and its HTML pass drops attributes we need), adds
// the images, fixes every zip entry's date, and returns the EPUB's bytes. No file I/O.
import {createHash} from 'node:crypto'
import {createRequire} from 'node:module'
import pkg from 'epub-gen-memory'
import type {Page} from '../../model.js'

const {EPub} = pkg

// The library zips with JSZip, which deflates with pako (pure JavaScript: the same bytes on
// every machine, unlike a native zlib). A page a book shares with another (every review is
// in its volume and in the collection) or with the last build (watch, preview) is deflated
// once: JSZip takes an entry whose data is already compressed as it is. The bytes are the
// ones JSZip would have made itself. That means three of JSZip's own files (not its public
// API): so package.json pins jszip, pako and epub-gen-memory to exact versions, the library
// must zip with the very copy of JSZip required here, and test/epub-library.test.ts fails
// loudly if any of their shapes changes.
const requireHere = createRequire(import.meta.url)
const theirJszip = createRequire(requireHere.resolve('epub-gen-memory')).resolve('jszip')
if (theirJszip !== requireHere.resolve('jszip')) {
  throw new Error(`epub-gen-memory zips with its own copy of JSZip (${theirJszip}), not the one build-volumes declares: run \`npm ci\` so there is one`)
}
const pako = requireHere('pako') as {deflateRaw(data: Uint8Array, options: {level: number}): Uint8Array}
const crc32 = requireHere('jszip/lib/crc32') as (data: Uint8Array, crc: number) => number
const CompressedObject = requireHere('jszip/lib/compressedObject') as new (
  compressedSize: number,
  uncompressedSize: number,
  crc32: number,
  compression: unknown,
  data: Uint8Array
) => unknown
const {DEFLATE} = requireHere('jszip/lib/compressions') as {DEFLATE: unknown}
const level = 9

interface Deflated {
  data: Uint8Array
  size: number
  crc32: number
}

/**
 * Deflated documents by their text, kept by a session (watch and preview rebuild often, and a
 * review's chapter is in its volume and the collection). Far past any one series, it starts again.
 */
export class DeflateCache {
  private readonly entries = new Map<string, Deflated>()
  private bytes = 0

  deflate(text: string): Deflated {
    const key = createHash('sha1').update(text).digest('base64')
    let entry = this.entries.get(key)
    if (!entry) {
      const bytes = Buffer.from(text, 'utf8')
      entry = {data: pako.deflateRaw(bytes, {level}), size: bytes.length, crc32: crc32(bytes, 0)}
      if (this.bytes > 256 * 1024 * 1024) {
        this.entries.clear()
        this.bytes = 0
      }
      this.entries.set(key, entry)
      this.bytes += entry.data.length
    }
    return entry
  }
}

interface ZipEntry {
  date: Date
}

export interface EpubInput {
  title: string
  language: string
  identifier: string
  css: string
  pages: Page[]
  nav: string
  ncx: string
  opf: string
  images: Array<{name: string; bytes: Uint8Array}>
  /** Fonts the stylesheet uses, under `fonts/`. */
  fonts?: Array<{name: string; bytes: Uint8Array}>
  /** Every zip entry gets this date, so equal inputs give equal bytes. */
  modified: Date
}

type Options = ConstructorParameters<typeof EPub>[0]
type Content = ConstructorParameters<typeof EPub>[1]

class FixedEPub extends EPub {
  constructor(
    options: Options,
    content: Content,
    private readonly input: EpubInput,
    private readonly deflated: DeflateCache
  ) {
    super(options, content)
    // The library draws a random UUID; nothing of ours reads it, but keep it stable too.
    this.uuid = input.identifier
  }

  /**
   * The library's own step, with the same entries in the same order, but given our finished
   * documents already deflated: its templates are one-line pass-throughs, and running EJS
   * over every chapter (compiling the template each time) was time spent for nothing.
   */
  override async generateTemplateFiles(): Promise<void> {
    const {input} = this
    const add = (folder: EPubZip | null, name: string, text: string) => {
      const {data, size, crc32: crc} = this.deflated.deflate(text)
      folder!.file(name, new CompressedObject(data.length, size, crc, DEFLATE, data) as unknown as Uint8Array, {binary: true})
    }
    const oebps = this.zip.folder('OEBPS')
    add(oebps, 'style.css', input.css)
    for (const page of input.pages) add(oebps, page.file, page.xhtml)
    const metainf = this.zip.folder('META-INF')
    add(metainf, 'container.xml', containerXml)
    add(oebps, 'content.opf', input.opf)
    add(oebps, 'toc.ncx', input.ncx)
    add(oebps, 'toc.xhtml', input.nav)
  }

  async toBuffer(): Promise<Buffer> {
    await this.render()
    // Only create images/ when there are images: EPUBCheck warns about an empty folder.
    for (const image of this.input.images) this.zip.file(`OEBPS/images/${image.name}`, image.bytes, {binary: true, createFolders: false})
    for (const font of this.input.fonts ?? []) this.zip.file(`OEBPS/fonts/${font.name}`, font.bytes, {binary: true, createFolders: false})
    for (const entry of Object.values(this.zip.files) as unknown as ZipEntry[]) entry.date = this.input.modified
    return this.generateAsync({type: 'nodebuffer', mimeType: 'application/epub+zip', compression: 'DEFLATE', compressionOptions: {level}})
  }
}

type EPubZip = InstanceType<typeof EPub>['zip']
const containerXml =
  '<?xml version="1.0" encoding="UTF-8" ?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>'

/** Zip one book; `deflated` is the session's, `onWarning` receives anything the library complains about. */
export async function renderEpub(input: EpubInput, deflated: DeflateCache, onWarning: (text: string) => void): Promise<Buffer> {
  const options = {
    title: input.title,
    lang: input.language,
    css: input.css,
    version: 3,
    // Given explicitly so the library's default (the clock) is never read.
    date: input.modified.toISOString(),
    prependChapterTitles: false,
    tocInTOC: false,
    ignoreFailedDownloads: false,
    verbose: (type: string, ...args: unknown[]) => {
      if (type === 'warn') onWarning(args.map(String).join(' '))
    },
    chapterXHTML: '<%- document %>',
    tocXHTML: '<%- navDocument %>',
    tocNCX: '<%- ncxDocument %>',
    contentOPF: '<%- opfDocument %>',
    // Extra keys pass through to the templates above.
    navDocument: input.nav,
    ncxDocument: input.ncx,
    opfDocument: input.opf
  } as Options
  const content = input.pages.map((page) => ({title: page.title, filename: page.file, content: '', document: page.xhtml})) as Content
  const epub = new FixedEPub(options, content, input, deflated)
  return epub.toBuffer()
}
