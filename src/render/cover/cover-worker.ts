// A worker thread of draw.ts: draws each cover it is sent (resvg on the thread pool, the PNG
// encoded here) and posts the PNG back, so the thread that converts and zips never spends its
// time on a cover's ten million bytes of pixels.
import {parentPort} from 'node:worker_threads'
import {renderCoverHere, type CoverRequest} from './draw.js'

parentPort!.on('message', (request: CoverRequest) => {
  renderCoverHere(request.text, request.pixelsWide).then(
    (png) => parentPort!.postMessage({id: request.id, png}, [png.buffer as ArrayBuffer]),
    (error: unknown) => parentPort!.postMessage({id: request.id, error: error instanceof Error ? error.message : String(error)})
  )
})
