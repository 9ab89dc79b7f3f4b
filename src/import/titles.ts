// The film a post is about, read from the post's title as critics write them: "Her (2013)",
// "Review: Her (2013)", "Her (2013) — a review", "*Her* — a review", "Review: Her". A title
// that says no more than itself ("The quietest heist I have ever loved") is not split. Pure.

export interface FilmTitle {
  title: string
  year?: number | undefined
}

const review = String.raw`(?:(?:a\s+|film\s+|movie\s+)?review(?:ed)?)`
const dash = String.raw`\s*[:—–\-|,]\s*`
const patterns: RegExp[] = [
  // Review: Her (2013)   /   Film review — Her (2013)
  new RegExp(String.raw`^${review}${dash}(.+?)\s*\((\d{4})\)\s*$`, 'i'),
  // Her (2013)   /   Her (2013) — a review   /   Her (2013): reviewed
  new RegExp(String.raw`^(.+?)\s*\((\d{4})\)(?:${dash}${review}\b.*)?$`, 'i'),
  // Her — a review   /   Her: review
  new RegExp(String.raw`^(.+?)${dash}${review}$`, 'i'),
  // Review: Her
  new RegExp(String.raw`^${review}${dash}(.+)$`, 'i')
]

/** The film in `postTitle`, or undefined when the title does not name one in a way we can read. */
export function filmFromTitle(postTitle: string): FilmTitle | undefined {
  const text = postTitle.trim().replace(/\s+/g, ' ')
  for (const pattern of patterns) {
    const match = pattern.exec(text)
    if (!match) continue
    const title = unwrap(match[1] ?? '')
    const year = match[2] === undefined ? undefined : Number(match[2])
    if (title === '' || (year !== undefined && (year < 1870 || year > 2100))) continue
    return {title, year}
  }
  return undefined
}

/** Emphasis marks and quotes a title was wrapped in: `*Her*`, `_Her_`, “Her”, 'Her'. */
function unwrap(text: string): string {
  let out = text.trim()
  for (;;) {
    const inner = /^(\*{1,2}|_{1,2}|["“”'‘’])(.+)\1$/.exec(out) ?? /^“(.+)”$/.exec(out) ?? /^‘(.+)’$/.exec(out)
    if (!inner) return out
    out = (inner[2] ?? inner[1] ?? '').trim()
  }
}
