// The marketing cover KDP asks for as an upload of its own: the book's cover (the drawn one
// or the author's) as a baseline sRGB JPEG, 1600×2560 for the drawn cover, an author's larger
// cover scaled down to fit 1600×2560 (never enlarged: KDP asks not to upscale), with an Exif
// colour space of sRGB and nothing that varies between runs. sharp (libvips) decodes, scales
// and encodes. Also the facts KDP's cover rules need: the size, and whether the edge is so
// light the cover melts into a white page. Pure (no I/O).
import {loadSharp} from '../../shared/sharp.js'
import {imageInfo} from '../../shared/image-info.js'

/** KDP's ideal marketing cover: 2,560 × 1,600 px (height × width). */
export const kitCoverSize = {width: 1600, height: 2560}

export interface KitCover {
  bytes: Uint8Array
  width: number
  height: number
  /** The cover as given, before scaling. */
  source: {width: number; height: number}
  /** Most of the outer band is near white: KDP asks for a thin grey border on such covers. */
  lightEdge: boolean
}

/** The cover's bytes (PNG or JPEG; GIF and WebP read too) as the marketing JPEG; undefined when they are no image that can be read. */
export async function kitCover(cover: Uint8Array): Promise<KitCover | undefined> {
  const info = imageInfo(cover)
  if (!info?.width || !info.height) return undefined
  const scale = Math.min(1, kitCoverSize.width / info.width, kitCoverSize.height / info.height)
  const width = Math.max(1, Math.round(info.width * scale))
  const height = Math.max(1, Math.round(info.height * scale))
  // A book's cover is a JPEG or PNG (check/covers.ts refuses any other, by name and by bytes;
  // a drawn cover is a PNG), so an SVG never comes here; libvips would draw one with whatever
  // fonts this machine has.
  if (info.format === 'svg') return undefined
  const sharp = await loadSharp()
  let rgb: Uint8Array
  // Decoded, scaled (Lanczos) and laid on white by libvips, in sRGB.
  try {
    const out = await sharp(cover, {failOn: 'error'})
      .resize(width, height, {fit: 'fill'})
      .flatten({background: '#ffffff'})
      .toColourspace('srgb')
      .raw()
      .toBuffer({resolveWithObject: true})
    if (out.info.width !== width || out.info.height !== height || out.info.channels !== 3) return undefined
    rgb = out.data
  } catch {
    return undefined
  }
  // Baseline (not progressive) at quality 92 without chroma subsampling, so the lettering's
  // coloured edges stay sharp.
  const encoded = await sharp(rgb, {raw: {width, height, channels: 3}})
    .jpeg({quality: 92, progressive: false, chromaSubsampling: '4:4:4', mozjpeg: false})
    .toBuffer()
  return {bytes: withSrgbExif(encoded), width, height, source: {width: info.width, height: info.height}, lightEdge: lightEdge(rgb, width, height)}
}

/** Whether 90% of the pixels in a 4-pixel band round the edge are near white (luminance ≥ 235 of 255); `rgb` is 3 bytes a pixel. */
export function lightEdge(rgb: Uint8Array, width: number, height: number): boolean {
  const band = Math.min(4, Math.floor(width / 2), Math.floor(height / 2))
  let light = 0
  let all = 0
  for (let y = 0; y < height; y++) {
    const edgeRow = y < band || y >= height - band
    for (let x = 0; x < width; x++) {
      if (!edgeRow && x >= band && x < width - band) {
        x = width - band - 1
        continue
      }
      const i = (y * width + x) * 3
      const luminance = 0.2126 * (rgb[i] ?? 0) + 0.7152 * (rgb[i + 1] ?? 0) + 0.0722 * (rgb[i + 2] ?? 0)
      if (luminance >= 235) light++
      all++
    }
  }
  return all > 0 && light / all >= 0.9
}

/**
 * An Exif APP1 segment saying the colour space is sRGB (tag 0xA001 = 1), placed after the JFIF
 * header: the JPEG's colours are meant as sRGB, and now the file says so.
 */
function withSrgbExif(jpegBytes: Uint8Array): Uint8Array {
  // TIFF header (big-endian), IFD0 with one entry pointing at the Exif IFD, which holds ColorSpace.
  const tiff = Buffer.alloc(8 + 2 + 12 + 4 + 2 + 12 + 4)
  tiff.write('MM', 0, 'ascii')
  tiff.writeUInt16BE(42, 2)
  tiff.writeUInt32BE(8, 4)
  tiff.writeUInt16BE(1, 8) // IFD0: one entry
  tiff.writeUInt16BE(0x8769, 10) // ExifIFDPointer
  tiff.writeUInt16BE(4, 12) // LONG
  tiff.writeUInt32BE(1, 14)
  tiff.writeUInt32BE(26, 18) // the Exif IFD follows IFD0
  tiff.writeUInt32BE(0, 22) // no next IFD
  tiff.writeUInt16BE(1, 26) // Exif IFD: one entry
  tiff.writeUInt16BE(0xa001, 28) // ColorSpace
  tiff.writeUInt16BE(3, 30) // SHORT
  tiff.writeUInt32BE(1, 32)
  tiff.writeUInt16BE(1, 36) // sRGB
  tiff.writeUInt16BE(0, 38)
  tiff.writeUInt32BE(0, 40) // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])
  const segment = Buffer.alloc(4)
  segment.writeUInt16BE(0xffe1, 0)
  segment.writeUInt16BE(payload.length + 2, 2)
  const bytes = Buffer.from(jpegBytes)
  // After SOI and, when there, the JFIF APP0 segment.
  let at = 2
  if (bytes.readUInt16BE(2) === 0xffe0) at = 4 + bytes.readUInt16BE(4)
  return Buffer.concat([bytes.subarray(0, at), segment, payload, bytes.subarray(at)])
}
