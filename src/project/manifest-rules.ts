// Cross-reference rules over a shaped manifest, one small function each (changesets'
// rules.ts): numbering, membership, paths. Given the review files that exist; pure.
import path from 'node:path'
import {bookSpecs, pageSpecs} from './manifest.js'
import {excludeMatcher} from './exclude.js'
import {report} from '../shared/diagnostics.js'
import {describeOsError} from '../shared/diagnostics.js'
import {isInside, realPath} from '../shared/paths.js'
import type {ReviewFolder} from './review-files.js'
import {nearest, nearestMany} from '../shared/suggest.js'
import type {Manifest, ReviewEntry} from '../model.js'

export type {ReviewFolder}

type Rule = (manifest: Manifest, folder: ReviewFolder) => void

export const rules: Rule[] = [
  uniqueVolumeNumbers,
  safeReviewPaths,
  readableReviewFolder,
  reviewsInOneVolume,
  listedReviewsExist,
  unlistedReviews,
  excludedReviews,
  outputOutsideReviews
]

export function checkManifest(manifest: Manifest, folder: ReviewFolder): void {
  for (const rule of rules) rule(manifest, folder)
}

function uniqueVolumeNumbers(manifest: Manifest): void {
  const seen = new Map<number, number | undefined>()
  for (const volume of manifest.volumes) {
    if (seen.has(volume.number)) {
      const line = seen.get(volume.number)
      report(manifest.file, {
        reason: `Volume number ${volume.number} is used twice${line ? ` (first at line ${line})` : ''}; each volume needs its own place in the series`,
        ruleId: 'duplicate-volume-number',
        severity: 'error',
        place: volume.numberPlace
      })
    } else {
      seen.set(volume.number, volume.numberPlace?.start.line)
    }
  }
}

/** A review entry that stays inside the reviews folder, however it is spelt. */
export function isSafeEntry(manifest: Manifest, entry: ReviewEntry): boolean {
  return !path.isAbsolute(entry.name) && !/%2e|%2f|%5c/i.test(entry.name) && isInside(manifest.reviewsDir, entry.path)
}

function safeReviewPaths(manifest: Manifest): void {
  for (const [key, dir, place] of [['reviews', manifest.reviewsDir, manifest.reviewsPlace]] as const) {
    if (!isInside(manifest.root, dir)) {
      report(manifest.file, {
        reason: `\`${key}\` points outside the project (${dir}); keep the reviews folder inside the folder holding volumes.yaml`,
        ruleId: 'unsafe-path',
        severity: 'error',
        place
      })
    }
  }
  for (const volume of manifest.volumes) {
    for (const entry of volume.reviews) {
      if (!isSafeEntry(manifest, entry)) {
        report(manifest.file, {
          reason: `Review \`${entry.name}\` is outside the reviews folder; list reviews by their path inside \`${path.relative(manifest.root, manifest.reviewsDir) || '.'}\``,
          ruleId: 'unsafe-path',
          severity: 'error',
          place: entry.place
        })
      }
    }
  }
  for (const spec of bookSpecs(manifest)) {
    if (spec.cover && !isInside(manifest.root, spec.cover)) {
      report(manifest.file, {
        reason: `The cover of \`${spec.title}\` is outside the project; keep covers inside the folder holding volumes.yaml`,
        ruleId: 'unsafe-path',
        severity: 'error',
        place: spec.coverPlace
      })
    }
  }
  for (const page of pageSpecs(manifest)) {
    if (!isInside(manifest.root, page.path) || /%2e|%2f|%5c/i.test(page.name)) {
      report(manifest.file, {
        reason: `The ${page.role} page \`${page.name}\` is outside the project; keep pages inside the folder holding volumes.yaml`,
        ruleId: 'unsafe-path',
        severity: 'error',
        place: page.place
      })
    }
  }
  if (manifest.stylesheet && !isInside(manifest.root, manifest.stylesheet.path)) {
    report(manifest.file, {
      reason: 'The stylesheet is outside the project; keep it inside the folder holding volumes.yaml',
      ruleId: 'unsafe-path',
      severity: 'error',
      place: manifest.stylesheet.place
    })
  }
}

/** A reviews folder that exists but could not be listed (permissions), or that leads out of the project. */
function readableReviewFolder(manifest: Manifest, folder: ReviewFolder): void {
  const name = path.relative(manifest.root, manifest.reviewsDir) || '.'
  if (folder.state === 'linked-outside') {
    report(manifest.file, {
      reason: `The reviews folder \`${name}\` is a symbolic link to a folder outside the project; it is not read`,
      ruleId: 'unsafe-path',
      severity: 'error',
      place: manifest.reviewsPlace,
      note: 'Keep the reviews in a real folder beside volumes.yaml.'
    })
  } else if (folder.state === 'unreadable') {
    report(manifest.file, {
      reason: `The reviews folder \`${name}\` cannot be read: ${describeOsError(folder.error)}`,
      ruleId: 'unreadable-review',
      severity: 'error',
      place: manifest.reviewsPlace ?? manifest.volumesPlace,
      note: `Give yourself permission to read it and the folders in it (for example \`chmod -R u+rX ${name}\`).`
    })
  }
}

function reviewsInOneVolume(manifest: Manifest): void {
  const seen = new Map<string, {volume: number; line: number | undefined}>()
  for (const volume of manifest.volumes) {
    for (const entry of volume.reviews) {
      const first = seen.get(entry.path)
      if (first) {
        const where = first.volume === volume.number ? `twice in volume ${volume.number}` : `in volume ${first.volume} and volume ${volume.number}`
        report(manifest.file, {
          reason: `Review \`${entry.name}\` is listed ${where}${first.line ? ` (first at line ${first.line})` : ''}; a review belongs to one volume`,
          ruleId: 'duplicate-review',
          severity: 'error',
          place: entry.place
        })
      } else {
        seen.set(entry.path, {volume: volume.number, line: entry.place?.start.line})
      }
    }
  }
}

/** Missing reviews reported one by one; past this, one message counts the rest (a report of 100,000 lines helps no one). */
const missingShown = 100
/** Past this many files, "did you mean" is not worth comparing every name with every other. */
const suggestFrom = 5000

function listedReviewsExist(manifest: Manifest, folder: ReviewFolder): void {
  if (folder.state !== 'listed' && folder.state !== 'missing') return
  const existing = new Set(folder.files)
  const ignoringCase = new Map(folder.files.map((name) => [name.toLowerCase(), name]))
  const candidates = folder.files.length <= suggestFrom ? folder.files : []
  let missing = 0
  for (const volume of manifest.volumes) {
    for (const entry of volume.reviews) {
      if (!isSafeEntry(manifest, entry)) continue
      const relative = path.relative(manifest.reviewsDir, entry.path).split(path.sep).join('/')
      if (existing.has(relative)) continue
      if (++missing > missingShown) continue
      if (!/\.(md|markdown)$/i.test(relative)) {
        report(manifest.file, {
          reason: `Review \`${entry.name}\` is not a Markdown file; only \`.md\` and \`.markdown\` files are read as reviews`,
          ruleId: 'missing-review',
          severity: 'error',
          place: entry.place,
          note: 'Convert it to Markdown with front matter (`build-volumes import` reads blog exports), then list the `.md` file.'
        })
        continue
      }
      const sameIgnoringCase = ignoringCase.get(relative.toLowerCase())
      const shown = path.relative(manifest.root, entry.path) || entry.path
      if (sameIgnoringCase) {
        report(manifest.file, {
          reason: `Review \`${entry.name}\` does not exist, but \`${sameIgnoringCase}\` does; file names are case-sensitive, so write \`${sameIgnoringCase}\``,
          ruleId: 'missing-review',
          severity: 'error',
          place: entry.place
        })
        continue
      }
      const guess = nearest(relative, candidates)
      const close = guess ? [guess] : nearestMany(relative, candidates, 3)
      report(manifest.file, {
        reason: `Review \`${entry.name}\` does not exist (looked for \`${shown}\`)${guess ? `; did you mean \`${guess}\`?` : close.length ? `; the nearest names are ${close.map((n) => `\`${n}\``).join(', ')}` : folder.state === 'missing' ? `; the reviews folder \`${path.relative(manifest.root, manifest.reviewsDir) || '.'}\` does not exist` : '; the reviews folder has no Markdown files'}`,
        ruleId: 'missing-review',
        severity: 'error',
        place: entry.place
      })
    }
  }
  if (missing > missingShown) {
    report(manifest.file, {
      reason: `${(missing - missingShown).toLocaleString('en-GB')} more listed reviews do not exist (${missing.toLocaleString('en-GB')} in all; the reviews folder holds ${folder.files.length.toLocaleString('en-GB')} Markdown files)`,
      ruleId: 'missing-review',
      severity: 'error',
      place: manifest.reviewsPlace ?? manifest.volumesPlace,
      note: 'Check that `reviews:` names the folder that holds them, and that the names are spelt as on disk.'
    })
  }
}

function unlistedReviews(manifest: Manifest, folder: ReviewFolder): void {
  const listed = new Set(manifest.volumes.flatMap((volume) => volume.reviews.map((entry) => entry.path)))
  // A file listed with the wrong case is already reported as missing; do not call it unlisted too.
  const listedIgnoringCase = new Set([...listed].map((file) => file.toLowerCase()))
  // Pages (foreword, introduction, about) may live in the reviews folder too.
  for (const page of pageSpecs(manifest)) listed.add(page.path)
  // Hidden files (an editor's `.#lock.md`) are never reported as left out, nor those `exclude` names.
  const isExcluded = excludeMatcher(manifest.exclude)
  for (const entry of manifest.excluded) listed.add(entry.path)
  const unlisted = folder.files.filter(
    (name) =>
      !path.posix.basename(name).startsWith('.') &&
      !isExcluded(name) &&
      !listed.has(path.resolve(manifest.reviewsDir, name)) &&
      !listedIgnoringCase.has(path.resolve(manifest.reviewsDir, name).toLowerCase())
  )
  if (unlisted.length === 0) return
  const shown =
    unlisted
      .slice(0, 5)
      .map((n) => `\`${n}\``)
      .join(', ') + (unlisted.length > 5 ? `, and ${unlisted.length - 5} more` : '')
  report(manifest.file, {
    reason: `${unlisted.length} review ${unlisted.length === 1 ? 'file is' : 'files are'} in no volume: ${shown}; add ${unlisted.length === 1 ? 'it' : 'them'} to a volume's \`reviews\` or move ${unlisted.length === 1 ? 'it' : 'them'} out of the reviews folder`,
    ruleId: 'unlisted-review',
    severity: 'warning',
    place: manifest.reviewsPlace ?? manifest.volumesPlace
  })
}

/** Listed reviews `exclude` leaves out: one notice; a volume it empties is an error (a book of no reviews). */
function excludedReviews(manifest: Manifest): void {
  if (manifest.excluded.length === 0) return
  const names = manifest.excluded.map((entry) => `\`${entry.name}\``)
  report(manifest.file, {
    reason: `${manifest.excluded.length} listed ${manifest.excluded.length === 1 ? 'review is' : 'reviews are'} left out by \`exclude\`: ${names.slice(0, 5).join(', ')}${names.length > 5 ? `, and ${names.length - 5} more` : ''}`,
    ruleId: 'excluded-review',
    severity: 'info',
    place: manifest.excludePlace
  })
  for (const volume of manifest.volumes) {
    if (volume.reviews.length > 0) continue
    report(manifest.file, {
      reason: `Volume ${volume.number} has no reviews left: \`exclude\` matches every review it lists`,
      ruleId: 'empty-volume',
      severity: 'error',
      place: volume.numberPlace,
      note: 'Narrow the `exclude` patterns, add reviews to the volume, or remove the volume.'
    })
  }
}

function outputOutsideReviews(manifest: Manifest): void {
  // By real paths: an output folder that is a symbolic link into the reviews is inside them too.
  // A reviews folder outside the project is refused already; everything would be "inside" `/`.
  if (!isInside(manifest.root, manifest.reviewsDir)) return
  const output = realPath(manifest.outputDir)
  const reviews = realPath(manifest.reviewsDir)
  if (isInside(reviews, output)) {
    report(manifest.file, {
      reason: `The output folder ${output === reviews ? 'is' : 'is inside'} the reviews folder, where books would mix with reviews; choose an \`output\` folder elsewhere, such as \`dist\``,
      ruleId: 'unsafe-path',
      severity: 'error',
      place: manifest.outputPlace ?? manifest.reviewsPlace
    })
  }
}
