// A worker thread of jobs.ts: it builds the pipeline once from the build's plain
// configuration, then converts each batch of reviews it is sent and posts the results back.
import {parentPort, workerData} from 'node:worker_threads'
import {Converter, type Job, type PipelineConfig} from './jobs.js'

// Messages sent meanwhile wait in the port until the listener below is added.
const converter = await Converter.create(workerData as PipelineConfig)
parentPort!.on('message', (jobs: Job[]) => {
  parentPort!.postMessage(jobs.map((job) => converter.convert(job)))
})
