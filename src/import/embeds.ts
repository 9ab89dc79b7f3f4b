// An embedded video or post as a link a book can hold: the address of its page (YouTube's and
// Vimeo's watch pages, keeping a start time), from the many forms exports store (an iframe's
// player address, youtu.be, embed.ly's wrapper, an oEmbed URL alone), and the words to show. Pure.
import {parseStartTime} from '../review/shortcodes.js'

export interface EmbedLink {
  url: string
  label: string
}

export function embedLink(address: string): EmbedLink | undefined {
  let url: URL
  try {
    url = new URL(address.trim().replace(/^\/\//, 'https://'))
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  const host = url.hostname.replace(/^www\.|^m\./, '').toLowerCase()
  // embed.ly wraps the real address in its own.
  // embed.ly wraps the real address in its own: `url` is the page, `src` the player, which may
  // carry a start time the page address lacks.
  if (host === 'cdn.embedly.com' || host === 'embedly.com') {
    const page = url.searchParams.get('url')
    const player = url.searchParams.get('src')
    const fromPage = page ? embedLink(page) : undefined
    const fromPlayer = player ? embedLink(player) : undefined
    if (fromPage && fromPlayer && fromPage.label === fromPlayer.label && !/[?&#]t=/.test(fromPage.url) && /[?&#]t=/.test(fromPlayer.url)) return fromPlayer
    return fromPage ?? fromPlayer
  }
  const start = seconds(url)
  const youtube =
    host === 'youtube.com' || host === 'youtube-nocookie.com'
      ? (url.pathname.match(/^\/(?:embed|shorts|live|v)\/([\w-]{6,})/)?.[1] ?? url.searchParams.get('v') ?? undefined)
      : host === 'youtu.be'
        ? url.pathname.slice(1).split('/')[0]
        : undefined
  if (youtube) return {url: `https://www.youtube.com/watch?v=${encodeURIComponent(youtube)}${start ? `&t=${start}s` : ''}`, label: 'Watch on YouTube'}
  const vimeo =
    host === 'player.vimeo.com' ? url.pathname.match(/^\/video\/(\d+)/)?.[1] : host === 'vimeo.com' ? url.pathname.match(/^\/(\d+)/)?.[1] : undefined
  if (vimeo) return {url: `https://vimeo.com/${vimeo}${start ? `#t=${start}s` : ''}`, label: 'Watch on Vimeo'}
  url.hash = url.hash.startsWith('#t=') ? url.hash : ''
  return {url: url.href, label: `See it on ${host}`}
}

function seconds(url: URL): number | undefined {
  const written = url.searchParams.get('start') ?? url.searchParams.get('t') ?? (url.hash.startsWith('#t=') ? url.hash.slice(3) : undefined)
  return written === undefined || written === null ? undefined : parseStartTime(written)
}
