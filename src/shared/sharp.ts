// sharp (libvips), loaded when first needed and set up once: it encodes the drawn covers as PNG
// and the kit's marketing covers as JPEG, natively, on the thread pool.

/** sharp with no operation cache (each image is encoded once) and one libvips thread per image (the thread pool runs several). */
export async function loadSharp(): Promise<typeof import('sharp')> {
  const {default: sharp} = await import('sharp')
  sharp.cache(false)
  sharp.concurrency(1)
  return sharp
}
