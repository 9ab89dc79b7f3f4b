// The one module that knows the Typst compiler (@myriaddreamin/typst-ts-node-compiler, a native
// module): sources and images in a virtual workspace, only the bundled EB Garamond (system
// fonts are shut out through fontconfig, so every machine sets the same pages), compile, count
// pages, write the PDF. Reads the font files and writes a two-line fontconfig file under the
// temporary folder; the compile itself reads nothing from disk.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'

type TypstModule = typeof import('@myriaddreamin/typst-ts-node-compiler')
type Compiler = import('@myriaddreamin/typst-ts-node-compiler').NodeCompiler

/** The virtual project root: nothing under it exists on disk, so Typst reads no file of ours. */
const workspace = '/book'

const fontFiles = [
  '400Regular/EBGaramond_400Regular.ttf',
  '400Regular_Italic/EBGaramond_400Regular_Italic.ttf',
  '600SemiBold/EBGaramond_600SemiBold.ttf',
  '600SemiBold_Italic/EBGaramond_600SemiBold_Italic.ttf',
  '700Bold/EBGaramond_700Bold.ttf',
  '700Bold_Italic/EBGaramond_700Bold_Italic.ttf'
]

let compiler: Compiler | undefined

async function loadCompiler(): Promise<Compiler> {
  if (compiler) return compiler
  const require = createRequire(import.meta.url)
  const typst = require('@myriaddreamin/typst-ts-node-compiler') as TypstModule
  const fontBlobs = fontFiles.map((file) => readFileSync(require.resolve(`@expo-google-fonts/eb-garamond/${file}`)))
  // The compiler always searches the system's fonts (it has no switch to stop it) and honours
  // FONTCONFIG_FILE: a config whose only folder is empty leaves it the bundled fonts alone.
  const dir = path.join(os.tmpdir(), `build-volumes-typst-${process.getuid?.() ?? 'user'}`)
  const empty = path.join(dir, 'no-fonts')
  const config = path.join(dir, 'fonts.conf')
  mkdirSync(empty, {recursive: true})
  writeFileSync(config, `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${empty.replace(/[<&>]/g, '')}</dir></fontconfig>\n`)
  const before = process.env.FONTCONFIG_FILE
  process.env.FONTCONFIG_FILE = config
  try {
    compiler = typst.NodeCompiler.create({workspace, fontArgs: [{fontBlobs}]})
  } finally {
    if (before === undefined) delete process.env.FONTCONFIG_FILE
    else process.env.FONTCONFIG_FILE = before
  }
  return compiler
}

export interface TypstJob {
  /** The main file's Typst source. */
  source: string
  /** Files it uses (images), by their absolute path in the workspace (`/img/x.png`). */
  files: Map<string, Uint8Array>
}

export interface TypstDocument {
  pages: number
  /** Writes the PDF; `date` pins the dates inside it (seconds since the epoch). */
  pdf(): Uint8Array
}

/** A Typst error in markup the tool generated: a fault of ours, with Typst's words and where. */
export class TypstError extends Error {}

/** Lays out one document. Synchronous work under an async face (the compiler is loaded lazily). */
export async function layOut(job: TypstJob): Promise<TypstDocument> {
  const typst = await loadCompiler()
  typst.resetShadow()
  for (const [file, bytes] of job.files) typst.mapShadow(`${workspace}${file}`, Buffer.from(bytes))
  const main = `${workspace}/main.typ`
  typst.addSource(main, job.source)
  const result = typst.compile({mainFilePath: main})
  const document = result.result
  if (result.hasError() || !document) {
    const error = result.takeDiagnostics() ?? result.takeError()
    const diagnostics = error ? (typst.fetchDiagnostics(error) as Array<{message: string; range?: {start: {line: number; character: number}} | null}>) : []
    const lines = job.source.split('\n')
    const where = diagnostics
      .slice(0, 3)
      .map(
        (d) =>
          `${d.message}${d.range ? ` at ${d.range.start.line + 1}:${d.range.start.character + 1} (${(lines[d.range.start.line] ?? '').slice(0, 120)})` : ''}`
      )
    throw new TypstError(`Typst could not set the book: ${where.join('; ') || 'unknown error'}`)
  }
  return {
    pages: document.numOfPages,
    pdf: () => {
      const bytes = typst.pdf(document, {pdfTags: true})
      // The book is done: layouts memoised for it and not reused since the last book go (keeping
      // them, seven 220-page volumes grew the process to 1.2 GB; evicting them, 0.6 GB).
      typst.evictCache(1)
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    }
  }
}
