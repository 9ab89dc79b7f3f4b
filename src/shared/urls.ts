// Which link targets a book may hold as they are: absolute web (`http:`, `https:`) and
// `mailto:` addresses that are valid URLs through and through (no spaces, no characters a URL
// must escape, a real host). Anything else in a book is a link EPUBCheck rejects. Pure.

/** Characters a URL may never hold unescaped, and controls: one of these and the link is broken. */
const unsafe = /[\u0000-\u0020\u007F-\u009F"<>\\^`{|}]/

/** An absolute `http(s):` URL with a host, as written (no repair). */
export function isWebUrl(text: string): boolean {
  if (unsafe.test(text) || !/^https?:\/\//i.test(text)) return false
  try {
    const url = new URL(text)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && !/%(?![0-9a-f]{2})/i.test(text)
  } catch {
    return false
  }
}

/** `mailto:` with at least one address. */
export function isMailto(text: string): boolean {
  return !unsafe.test(text) && /^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/i.test(text.split('?')[0]!) && !/%(?![0-9a-f]{2})/i.test(text)
}

/** A link a book may keep as it is. */
export function isExternalLink(text: string): boolean {
  return isWebUrl(text) || isMailto(text)
}
