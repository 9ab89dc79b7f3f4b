// The BISAC subject headings a film-review book may carry (BISG's Performing Arts → Film
// list, 2025 edition), and which review tags point to which genre heading. There is no
// "Film / Reviews" heading: reviews are Guides & Reviews (PER004020) and, for essays, History
// & Criticism (PER004030). Drama, romance, thriller and war films have no genre heading of
// their own. Pure.

export const bisacHeadings: Readonly<Record<string, string>> = {
  PER004020: 'PERFORMING ARTS / Film / Guides & Reviews',
  PER004030: 'PERFORMING ARTS / Film / History & Criticism',
  PER004000: 'PERFORMING ARTS / Film / General',
  PER004010: 'PERFORMING ARTS / Film / Direction & Production',
  PER004040: 'PERFORMING ARTS / Film / Reference',
  PER004050: 'PERFORMING ARTS / Film / Screenwriting',
  PER004160: 'PERFORMING ARTS / Film / Regional & National',
  PER004060: 'PERFORMING ARTS / Film / Genres / General',
  PER004070: 'PERFORMING ARTS / Film / Genres / Action & Adventure',
  PER004080: 'PERFORMING ARTS / Film / Genres / Animated',
  PER004090: 'PERFORMING ARTS / Film / Genres / Comedy',
  PER004100: 'PERFORMING ARTS / Film / Genres / Crime',
  PER004110: 'PERFORMING ARTS / Film / Genres / Documentary',
  PER004120: 'PERFORMING ARTS / Film / Genres / Historical',
  PER004130: 'PERFORMING ARTS / Film / Genres / Horror',
  PER004170: 'PERFORMING ARTS / Film / Genres / Musicals',
  PER004140: 'PERFORMING ARTS / Film / Genres / Science Fiction & Fantasy',
  PER004180: 'PERFORMING ARTS / Film / Genres / Superheroes',
  PER004150: 'PERFORMING ARTS / Film / Genres / Westerns',
  PER018000: 'PERFORMING ARTS / Individual Director',
  PER017000: 'PERFORMING ARTS / Animation'
}

/** Review tags (lower case, as words) that name a genre heading. */
const genreTags: ReadonlyArray<[RegExp, string]> = [
  [/\b(science[ -]?fiction|sci-?fi|fantasy|space opera|dystopia)\b/, 'PER004140'],
  [/\b(horror|slasher|ghost)\b/, 'PER004130'],
  [/\b(comedy|comedies|comic|screwball|farce|satire)\b/, 'PER004090'],
  [/\b(crime|noir|gangster|heist|detective|mystery)\b/, 'PER004100'],
  [/\b(documentar(y|ies))\b/, 'PER004110'],
  [/\b(animat(ion|ed)|anime|cartoon)\b/, 'PER004080'],
  [/\b(westerns?)\b/, 'PER004150'],
  [/\b(musicals?)\b/, 'PER004170'],
  [/\b(action|adventure|martial arts|wuxia)\b/, 'PER004070'],
  [/\b(historical|period drama|epic|biopic)\b/, 'PER004120'],
  [/\b(superheroe?s?)\b/, 'PER004180']
]

/** The genre heading a tag points to, if any. */
export function genreSubject(tag: string): string | undefined {
  const text = tag.toLowerCase()
  return genreTags.find(([pattern]) => pattern.test(text))?.[1]
}
