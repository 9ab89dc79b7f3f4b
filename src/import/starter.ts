// A starting volumes.yaml for an imported archive: the series named after the publication,
// the reviews in the order they were published, split into volumes by year or into a given
// number of volumes of about the same size, drafts at the end of the last volume (left out of
// the books until they are finished), and a collection. When the series already has a
// volumes.yaml, the new reviews as a snippet to paste instead: the author's file is theirs.
// Pure.
import {Document, isScalar, type Scalar} from 'yaml'
import type {ImportedPost, Publication} from './types.js'

export interface StarterOptions {
  /** Split into this many volumes; otherwise one volume per year. */
  volumes?: number | undefined
  series?: string | undefined
  author?: string | undefined
  /** The reviews folder as volumes.yaml names it (relative to it). */
  reviews: string
  source: string
  archive: string
}

export interface StarterVolume {
  title: string
  reviews: string[]
}

/** The volumes: `posts` (already oldest first, drafts and undated last) with their file names. */
export function splitVolumes(posts: ReadonlyArray<{post: ImportedPost; name: string}>, count: number | undefined): StarterVolume[] {
  const dated = posts.filter(({post}) => post.published && !post.draft)
  const rest = posts.filter(({post}) => !(post.published && !post.draft))
  const groups: Array<Array<{post: ImportedPost; name: string}>> = []
  if (count === undefined) {
    for (const entry of dated) {
      const last = groups.at(-1)
      if (last && last[0]!.post.published!.year === entry.post.published!.year) last.push(entry)
      else groups.push([entry])
    }
  } else {
    const size = Math.ceil(dated.length / Math.max(1, count))
    for (let start = 0; start < dated.length; start += size) groups.push(dated.slice(start, start + size))
  }
  if (groups.length === 0) groups.push([])
  groups.at(-1)!.push(...rest)
  return groups.filter((group) => group.length > 0).map((group) => ({title: volumeTitle(group.map(({post}) => post)), reviews: group.map(({name}) => name)}))
}

function volumeTitle(posts: readonly ImportedPost[]): string {
  const years = posts.flatMap((post) => (post.published && !post.draft ? [post.published.year] : []))
  if (years.length === 0) return 'Unpublished Reviews'
  const first = Math.min(...years)
  const last = Math.max(...years)
  return first === last ? `Reviews from ${first}` : `Reviews from ${first} to ${last}`
}

/** The text of a new volumes.yaml, and where in it the author is (for a message when it is a placeholder). */
export function starterManifest(
  volumes: readonly StarterVolume[],
  publication: Publication,
  options: StarterOptions
): {text: string; authorLine: number | undefined} {
  const series = options.series ?? publication.name?.trim() ?? 'Film Reviews'
  const author = options.author ?? publication.author?.trim() ?? 'Your Name'
  const doc = new Document({
    series,
    author,
    language: publication.language ?? 'en',
    reviews: options.reviews,
    output: 'dist',
    volumes: volumes.map((volume, index) => ({number: index + 1, title: volume.title, reviews: volume.reviews})),
    collection: {title: `${series}: The Collection`}
  })
  doc.commentBefore = ` Written by \`build-volumes import ${options.source}\` from ${options.archive}; yours to edit (a later import never
 rewrites it). Every key is explained in the README ("volumes.yaml reference"). Retitle the
 volumes, move reviews between them, or split them again with \`import --volumes N\`.`
  const authorNode = doc.get('author', true) as Scalar | undefined
  if (isScalar(authorNode) && author === 'Your Name' && !options.author) authorNode.comment = ' the export does not say: put your name here'
  const text = doc.toString({lineWidth: 0})
  const authorLine = text.split('\n').findIndex((line) => line.startsWith('author:'))
  return {text, authorLine: authorLine < 0 ? undefined : authorLine + 1}
}

/** The new reviews as YAML to paste into a volume's `reviews:` list. */
export function reviewsSnippet(names: readonly string[], source: string): string {
  const heading = `# ${names.length} new ${names.length === 1 ? 'review' : 'reviews'} from build-volumes import ${source}: paste into a volume's \`reviews:\` in volumes.yaml`
  return [heading, ...names.map((name) => `      - ${name}`)].join('\n') + '\n'
}
