// What an importer reads an export into, whatever the platform: posts with their metadata and
// a body in plain HTML semantics (hast), the platform's own markup already mapped onto it. The
// common steps after (convert.ts: HTML → Markdown; files.ts: names, links, front matter;
// images.ts: downloads) know no platform. Types only.
import type {ElementContent, Root} from 'hast'
import type {VFile} from 'vfile'
import type {CalendarDate} from '../model.js'

export type SourceName = 'medium' | 'substack' | 'letterboxd' | 'wordpress'

/**
 * A post's body, platform-free:
 * - blocks: `p`, `h2`–`h4`, `ul`/`ol`/`li`, `blockquote` (pull quotes too), `hr` (a section or
 *   scene break), `pre > code`, `table`; inline `em`, `strong`, `a[href]`, `code`, `br`, `del`;
 * - an image: `figure > img[src][alt]` with an optional `figcaption`, or a bare `img`; `src` is the
 *   address the export gives (remote, or a path inside the archive);
 * - a video or other embed: a paragraph holding one link to its page (`embedLink` in embeds.ts
 *   turns iframe and oEmbed addresses into the watch address, keeping a start time);
 * - a footnote reference: `sup` with the property `dataFootnote` (the note's id) and no children;
 *   the notes themselves go in `ImportedPost.notes`, in their order;
 * - no platform chrome (share buttons, subscribe forms, paywall markers, drop caps, the title
 *   repeated at the top).
 */
export type PostBody = Root

export interface PostNote {
  id: string
  children: ElementContent[]
}

/** Where in the archive something is, for messages: the entry and, when known, its line and column. */
export interface Origin {
  entry: string
  line?: number | undefined
  column?: number | undefined
}

export type PostKind = 'post' | 'response' | 'page' | 'podcast' | 'thread' | 'other'

export interface ImportedPost {
  source: SourceName
  /** Stable across exports of the same account (a re-import recognises the post by it). */
  key: string
  origin: Origin
  /** The post's title as the platform shows it, plain text ('' when it has none). */
  title: string
  subtitle?: string | undefined
  /** The day it was first published (undefined for drafts and undated posts). */
  published?: CalendarDate | undefined
  /** Its public address. */
  url?: string | undefined
  /** Other addresses other posts may link to it by (a short link, an old permalink). */
  aliases: string[]
  /** The platform's slug, when it has one (for the file name). */
  slug?: string | undefined
  tags: string[]
  kind: PostKind
  draft: boolean
  /** Only for paying subscribers on the platform (the export holds the whole text). */
  paid: boolean
  /** The film, when the platform says which (Letterboxd); otherwise read from the title. */
  film?: {title: string; year?: number | undefined} | undefined
  rating?: number | undefined
  rewatch?: boolean | undefined
  watched?: CalendarDate | undefined
  body: PostBody
  notes: PostNote[]
}

/** What the export says of the publication, for a starting volumes.yaml. */
export interface Publication {
  name?: string | undefined
  author?: string | undefined
  /** The site's address (its own links to posts start with it). */
  site?: string | undefined
  /** The publication's language, as a BCP 47 tag (`en-GB`), when the export says. */
  language?: string | undefined
}

/** An export, unpacked or zipped, as a set of entries. Only regular files inside it are listed. */
export interface Archive {
  /** The zip or folder as the author named it. */
  name: string
  /** Every entry's path, `/`-separated, relative to the archive's root, sorted. */
  paths: readonly string[]
  /** An entry's bytes (size-capped); undefined when it cannot be read (reported). */
  bytes(path: string): Promise<Uint8Array | undefined>
  /** An entry's text (UTF-8, BOM dropped, CRLF → LF) on a VFile named `<archive>:<entry>`, so messages carry its lines; undefined when it cannot be read (reported). */
  text(path: string): Promise<VFile | undefined>
  /** Where messages about the archive itself go. */
  file: VFile
  /** Every entry file a reader opened (their messages are part of the report). */
  opened: VFile[]
}

export interface SourceReader {
  name: SourceName
  /** Whether this archive looks like this platform's export (its telltale files are there). */
  recognises(archive: Archive): boolean
  read(archive: Archive): Promise<{posts: ImportedPost[]; publication: Publication}>
}
