// A new series in a minute: `init` writes a volumes.yaml with every key explained, two
// example reviews and a .gitignore into a folder, and never overwrites a file that is
// already there (it writes nothing at all then). I/O.
import {constants} from 'node:fs'
import {access, mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {exampleReviews} from './scaffold-reviews.js'

export const exampleManifest = `# The series: one EPUB per volume, plus the collection. See the README for every key.
series: My Film Reviews
author: Your Name
language: en-GB
publisher: Your Imprint        # optional
description: Spoiler-free reviews of films worth your evening.
reviews: reviews               # the folder holding the review files
output: dist                   # where the books go

# Does your archive (Jekyll, Hugo, Letterboxd export) use other front-matter keys?
# Map ours to yours instead of editing every file:
# fields:
#   title: name
#   published: date
#   director: directors

volumes:
  - number: 1
    title: Love and Ambition
    subtitle: Two Films from the 1940s   # optional
    reviews:                             # in reading order
      - ${exampleReviews[0]!.name}
      - ${exampleReviews[1]!.name}

collection:
  title: "My Film Reviews: The Complete Collection"
`

export const exampleGitignore = `# The books build-volumes writes, and its cache (safe to delete)
dist/
.build-volumes-cache/
node_modules/
`

export interface ScaffoldFile {
  path: string
  text: string
}

export function scaffoldFiles(dir: string): ScaffoldFile[] {
  return [
    {path: path.join(dir, 'volumes.yaml'), text: exampleManifest},
    ...exampleReviews.map((review) => ({path: path.join(dir, 'reviews', review.name), text: review.text})),
    {path: path.join(dir, '.gitignore'), text: exampleGitignore}
  ]
}

export type ScaffoldResult = {written: string[]; existing: []} | {written: []; existing: string[]}

/** Writes every scaffold file, or none when any of them exists already. */
export async function scaffold(dir: string): Promise<ScaffoldResult> {
  const files = scaffoldFiles(dir)
  const existing: string[] = []
  for (const file of files) {
    const there = await access(file.path, constants.F_OK).then(
      () => true,
      (error: NodeJS.ErrnoException) => error.code !== 'ENOENT'
    )
    if (there) existing.push(file.path)
  }
  if (existing.length > 0) return {written: [], existing}
  for (const file of files) {
    await mkdir(path.dirname(file.path), {recursive: true})
    // `wx` fails rather than overwrite a file that appeared since the check.
    await writeFile(file.path, file.text, {flag: 'wx'})
  }
  return {written: files.map((file) => file.path), existing: []}
}
