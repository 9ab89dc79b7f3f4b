// Reading a built EPUB back for assertions: its entries in zip order, whether `mimetype`
// is first and stored, and the text of any entry.
import {readFile} from 'node:fs/promises'
import JSZip from 'jszip'

export interface Epub {
  bytes: Buffer
  names: string[]
  text(name: string): Promise<string>
  bytesOf(name: string): Promise<Uint8Array>
}

export async function readEpub(source: string | Buffer): Promise<Epub> {
  const file = typeof source === 'string' ? source : 'the EPUB'
  const bytes = typeof source === 'string' ? await readFile(source) : source
  const zip = await JSZip.loadAsync(bytes)
  return {
    bytes,
    names: Object.keys(zip.files).filter((name) => !zip.files[name]!.dir),
    async text(name) {
      const entry = zip.file(name)
      if (!entry) throw new Error(`${file} has no entry ${name}; it has ${Object.keys(zip.files).join(', ')}`)
      return entry.async('string')
    },
    async bytesOf(name) {
      const entry = zip.file(name)
      if (!entry) throw new Error(`${file} has no entry ${name}`)
      return entry.async('uint8array')
    }
  }
}

/** The first local file header must be `mimetype`, stored (method 0), with the EPUB media type. */
export function mimetypeFirstAndStored(bytes: Buffer): boolean {
  const signature = bytes.readUInt32LE(0) === 0x04034b50
  const method = bytes.readUInt16LE(8)
  const nameLength = bytes.readUInt16LE(26)
  const extraLength = bytes.readUInt16LE(28)
  const name = bytes.subarray(30, 30 + nameLength).toString('utf8')
  const content = bytes.subarray(30 + nameLength + extraLength, 30 + nameLength + extraLength + 20).toString('utf8')
  return signature && method === 0 && name === 'mimetype' && extraLength === 0 && content === 'application/epub+zip'
}

/** Attribute values of `<itemref idref>` in spine order, mapped to manifest hrefs. */
export function spineOrder(opf: string): string[] {
  const hrefs = new Map<string, string>()
  for (const match of opf.matchAll(/<item id="([^"]+)" href="([^"]+)"/g)) hrefs.set(match[1]!, match[2]!)
  return [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((match) => hrefs.get(match[1]!) ?? `?${match[1]}`)
}
