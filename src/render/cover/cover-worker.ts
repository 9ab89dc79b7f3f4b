// A worker thread of draw.ts: draws each cover it is sent (resvg here, then sharp's PNG
// encoder on libvips' thread) and posts the PNG back, so the thread that converts and zips
// never spends its time on a cover's ten million bytes of pixels. draw.ts ends the thread
// when no cover is left to draw.
import {parentPort} from 'node:worker_threads'
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'
import {renderCoverHere, type CoverRequest} from './draw.js'
import {BuildError} from '../../shared/errors.js'

// A cover leaves some 45 MB behind it (resvg's pixels and what sharp made of them) that
// only a collection frees, and this thread's own heap is too small to need one: eight covers
// held a quarter of a gigabyte. So each cover ends with a collection (a millisecond or two).
setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void

parentPort!.on('message', (request: CoverRequest) => {
  renderCoverHere(request.text, request.pixelsWide).then(
    (png) => {
      parentPort!.postMessage({id: request.id, png}, [png.buffer as ArrayBuffer])
      collect()
    },
    (error: unknown) =>
      parentPort!.postMessage({
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
        // A setup problem (sharp missing) stays one on the other side, with its exit code.
        exitCode: error instanceof BuildError ? error.exitCode : undefined
      })
  )
})
