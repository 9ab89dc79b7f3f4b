// The one module that knows epub-gen-memory. It gets finished documents (every page, the
// nav, NCX and OPF are ours, passed through one-line templates, because the library's own
// templates use random ids and the clock, and its HTML pass drops attributes we need), adds
// the images, fixes every zip entry's date, and returns the EPUB's bytes. No file I/O.
import {createRequire} from 'node:module'
import pkg from 'epub-gen-memory'
import type {Page} from '../../model.js'
import {level, type DeflateCache, type Deflated} from './deflate.js'

const {EPub} = pkg

// The library zips with JSZip, which would deflate with pako (JavaScript, on the main
// thread). Every entry is deflated instead by Node's zlib (deflate.ts) and handed to JSZip
// already compressed: it takes such an entry as it is. That means three of JSZip's own
// files (not its public API; lib/crc32 is deflate.ts's): so package.json pins jszip and epub-gen-memory to exact
// versions, the library must zip with the very copy of JSZip required here, and
// test/epub-library.test.ts fails loudly if any of their shapes changes.
const requireHere = createRequire(import.meta.url)
const theirJszip = createRequire(requireHere.resolve('epub-gen-memory')).resolve('jszip')
if (theirJszip !== requireHere.resolve('jszip')) {
  throw new Error(`epub-gen-memory zips with its own copy of JSZip (${theirJszip}), not the one build-volumes declares: run \`npm ci\` so there is one`)
}
const CompressedObject = requireHere('jszip/lib/compressedObject') as new (
  compressedSize: number,
  uncompressedSize: number,
  crc32: number,
  compression: unknown,
  data: Uint8Array
) => unknown
const {DEFLATE} = requireHere('jszip/lib/compressions') as {DEFLATE: unknown}

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
    // Every entry is deflated at once (on zlib's threads), then added in the library's order.
    const documents: Array<[string, string, string]> = [
      ['OEBPS', 'style.css', input.css],
      ...input.pages.map((page): [string, string, string] => ['OEBPS', page.file, page.xhtml]),
      ['META-INF', 'container.xml', containerXml],
      ['OEBPS', 'content.opf', input.opf],
      ['OEBPS', 'toc.ncx', input.ncx],
      ['OEBPS', 'toc.xhtml', input.nav]
    ]
    const files = [...input.images.map((image) => ({...image, folder: 'images'})), ...(input.fonts ?? []).map((font) => ({...font, folder: 'fonts'}))]
    const [deflatedDocuments, deflatedFiles] = await Promise.all([
      Promise.all(documents.map(([, , text]) => this.deflated.deflate(text))),
      Promise.all(files.map((file) => this.deflated.file(file.name, file.bytes)))
    ])
    this.files = files.map((file, n) => ({path: `OEBPS/${file.folder}/${file.name}`, deflated: deflatedFiles[n]!}))
    const folders = new Map<string, EPubZip>()
    for (const [n, [folder, name]] of documents.entries()) {
      let zip = folders.get(folder)
      if (!zip) folders.set(folder, (zip = this.zip.folder(folder)!))
      zip.file(name, compressed(deflatedDocuments[n]!), {binary: true})
    }
  }

  /** The images and fonts, compressed by generateTemplateFiles and added after the library's own entries. */
  private files: Array<{path: string; deflated: Deflated}> = []

  async toBuffer(): Promise<Buffer> {
    await this.render()
    // Only create images/ when there are images: EPUBCheck warns about an empty folder.
    // JSZip would inflate a stored entry and deflate it again unless the entry itself says STORE.
    for (const {path, deflated} of this.files)
      this.zip.file(path, deflated.stored ? deflated.data : compressed(deflated), {
        binary: true,
        createFolders: false,
        ...(deflated.stored ? {compression: 'STORE'} : {})
      })
    for (const entry of Object.values(this.zip.files) as unknown as ZipEntry[]) entry.date = this.input.modified
    // Everything but the mimetype (stored by the library) is compressed already: JSZip only lays out the zip.
    return this.generateAsync({type: 'nodebuffer', mimeType: 'application/epub+zip', compression: 'DEFLATE', compressionOptions: {level}})
  }
}

/** A deflated entry JSZip takes as it is. */
function compressed({data, size, crc32: crc}: Deflated): Uint8Array {
  return new CompressedObject(data.length, size, crc, DEFLATE, data) as unknown as Uint8Array
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
  // The pages go in through generateTemplateFiles above, the only step that read the library's
  // chapter list; given no chapters, it skips validating each one again with ow (which built an
  // error object per check: 90 ms for the 1,400 pages of a collection, on every watch rebuild).
  const content = [] as Content
  const epub = new FixedEPub(options, content, input, deflated)
  return epub.toBuffer()
}
