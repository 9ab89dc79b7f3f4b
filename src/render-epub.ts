// The one module that knows epub-gen-memory. It gets finished documents (every page, the
// nav, NCX and OPF are ours, passed through one-line templates, because the library's own
// templates use random ids and the clock, and its HTML pass drops attributes we need), adds
// the images, fixes every zip entry's date, and returns the EPUB's bytes. No file I/O.
import pkg from 'epub-gen-memory'
import type {Page} from './render-pages.js'

const {EPub} = pkg

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
  /** Every zip entry gets this date, so equal inputs give equal bytes. */
  modified: Date
}

type Options = ConstructorParameters<typeof EPub>[0]
type Content = ConstructorParameters<typeof EPub>[1]

class FixedEPub extends EPub {
  constructor(options: Options, content: Content, identifier: string) {
    super(options, content)
    // The library draws a random UUID; nothing of ours reads it, but keep it stable too.
    this.uuid = identifier
  }

  async toBuffer(images: EpubInput['images'], modified: Date): Promise<Buffer> {
    await this.render()
    // Only create images/ when there are images: EPUBCheck warns about an empty folder.
    for (const image of images) this.zip.file(`OEBPS/images/${image.name}`, image.bytes, {binary: true, createFolders: false})
    for (const entry of Object.values(this.zip.files)) entry.date = modified
    return this.generateAsync({type: 'nodebuffer', mimeType: 'application/epub+zip', compression: 'DEFLATE', compressionOptions: {level: 9}})
  }
}

/** Zip one book. `onWarning` receives anything the library complains about. */
export async function renderEpub(input: EpubInput, onWarning: (text: string) => void = () => {}): Promise<Buffer> {
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
  const epub = new FixedEPub(options, content, input.identifier)
  return epub.toBuffer(input.images, input.modified)
}
