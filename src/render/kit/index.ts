// The store kit of one book (`--kit`), beside the EPUB in the output folder and named after it:
// `<book>-cover.jpg` (the marketing cover KDP asks for apart from the book), `<book>-listing.md`
// and `<book>-listing.json` (the listing sheet). What it finds (a cover too light at the edge,
// a description over KDP's limit) is returned for the caller to report.
// Pure: it takes the rendered book and its EPUB's size.
import type {PreparedBook} from '../../model.js'
import {coverImageName} from '../pages.js'
import {kitCover} from './cover.js'
import {listingMarkdown, listingSheet, type ListingProblem, type ListingSheet} from './listing.js'

export interface KitProblem {
  ruleId: 'kit-cover' | 'kdp-listing'
  about: ListingProblem['about'] | 'cover'
  reason: string
  note: string
}

export interface Kit {
  files: Array<{name: string; bytes: Uint8Array}>
  sheet: ListingSheet
  problems: KitProblem[]
}

export async function renderKit(prepared: PreparedBook, epubBytes: number, sites: readonly string[]): Promise<Kit> {
  const {book} = prepared
  const base = book.fileName.replace(/\.epub$/, '')
  const problems: KitProblem[] = []
  const coverName = coverImageName(book)
  const coverBytes = coverName ? prepared.images.get(coverName) : undefined
  const cover = coverBytes ? await kitCover(coverBytes) : undefined
  const files: Kit['files'] = []
  const coverFile = `${base}-cover.jpg`
  if (cover) {
    files.push({name: coverFile, bytes: cover.bytes})
    // A cover under KDP's minimum is already a `cover-size` warning (check/covers.ts).
    if (cover.lightEdge)
      problems.push({
        ruleId: 'kit-cover',
        about: 'cover',
        reason: `The cover of ${book.kind === 'collection' ? 'the collection' : `volume ${book.position}`} is white or near white at its edges, so on Amazon's white pages it has no visible edge`,
        note: "KDP's cover guidelines ask for a thin (3–4 px) border in medium grey round such a cover; add one to the image."
      })
  } else if (coverBytes) {
    problems.push({
      ruleId: 'kit-cover',
      about: 'cover',
      reason: `The cover of ${book.fileName} could not be read to make the marketing JPEG`,
      note: 'Save the cover as a PNG or JPEG.'
    })
  }
  const listing = listingSheet({book, bytes: epubBytes, cover: cover ? {file: coverFile, width: cover.width, height: cover.height} : undefined, sites})
  problems.push(...listing.problems)
  files.push({name: `${base}-listing.md`, bytes: Buffer.from(listingMarkdown(listing.sheet))})
  files.push({name: `${base}-listing.json`, bytes: Buffer.from(`${JSON.stringify(listing.sheet, null, 2)}\n`)})
  return {files, sheet: listing.sheet, problems}
}
