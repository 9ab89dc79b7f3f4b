// sharp (libvips), loaded when first needed and set up once: it encodes the drawn covers as PNG
// and the kit's marketing covers as JPEG, natively, on the thread pool. Where it cannot load
// (its prebuilt binary missing: an install without optional packages, or a platform sharp has
// no binary for), that is said as the setup problem it is, not as a bug.
import {BuildError, exitCodes} from './errors.js'

type Sharp = typeof import('sharp')

const importSharp = () => import('sharp')
let loaded: Promise<Sharp> | undefined

/**
 * sharp with no operation cache (each image is encoded once) and one libvips thread per image
 * (the thread pool runs several); loaded once. `load` stands in for the import (tests).
 */
export function loadSharp(load: () => Promise<{default: Sharp}> = importSharp): Promise<Sharp> {
  if (load !== importSharp) return setUp(load())
  loaded ??= setUp(load()).catch((error: unknown) => {
    loaded = undefined
    throw error
  })
  return loaded
}

function setUp(importing: Promise<{default: Sharp}>): Promise<Sharp> {
  return importing.then(
    ({default: sharp}) => {
      sharp.cache(false)
      sharp.concurrency(1)
      return sharp
    },
    (error: unknown) => {
      const why = (error instanceof Error ? error.message : String(error)).split('\n')[0]
      throw new BuildError(
        `The covers are drawn and encoded with sharp (libvips), which could not be loaded here (${why}); run \`npm ci\` again, with optional packages (sharp's binary for this platform is one), then build again. Nothing was written`,
        exitCodes.output,
        {cause: error}
      )
    }
  )
}
