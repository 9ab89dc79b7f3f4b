// The public API: build books from a manifest, and the pieces a caller may want to reuse.
export {build, BuildError, type BuildOptions, type BuildOutput, type BuildResult} from './build.js'
export {parseManifest, type Manifest, type VolumeSpec, type BookSpec, type ReviewEntry} from './manifest.js'
export {formatProblems, formatSummary, toJson, exitCodeOf, exitCodes, type JsonReport} from './report.js'
export {parseCalendarDate, type CalendarDate} from './dates.js'
