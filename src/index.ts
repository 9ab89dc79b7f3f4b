// The public API: build books from a manifest (once, or as a session that rebuilds what
// changed), preview a volume, compute statistics, scaffold a series, and the pieces a
// caller may want to reuse.
export type * from './model.js'
export {build, BuildSession, type BuildOptions} from './build/session.js'
export {checksums} from './output/checksums.js'
export {BuildError, exitCodes} from './shared/errors.js'
export {parseManifest} from './project/manifest.js'
export {formatProblems, formatSummary, toJson, exitCodeOf, type JsonReport} from './cli/report.js'
export {parseCalendarDate} from './shared/dates.js'
export {startPreview, type Preview, type PreviewOptions} from './preview/server.js'
export {computeStats, deliveryCost, type BookStats} from './book/stats.js'
export {scaffold} from './project/scaffold.js'
