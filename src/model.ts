// The book model: the types every stage shares, from the manifest through converted reviews
// and assembled books to rendered pages and a build's result. Types only; it imports nothing
// of ours, so any stage may use it and it never pulls a stage in. (The stages' own working
// types stay with them.)
import type {Position} from 'unist'
import type {VFile} from 'vfile'

/** Which kind of run: `build` writes books; `check` writes nothing; `preview` and `stats` keep the rendered books. */
export type Mode = 'build' | 'check' | 'preview' | 'stats'

/** Our front-matter keys, which `fields:` may map to an archive's own. */
export type FrontmatterKey =
  'title' | 'year' | 'director' | 'rating' | 'published' | 'tags' | 'draft' | 'sort' | 'slug' | 'permalink' | 'url' | 'aliases' | 'source'
/** Our key → the key the archive uses for it. */
export type FieldMap = Partial<Record<FrontmatterKey, string>>

/** The scale an archive's plain-number ratings use (`ratings:` in volumes.yaml): out of 5 (ours), 10 or 100. */
export type RatingScale = 5 | 10 | 100

export interface CalendarDate {
  year: number
  month: number
  day: number
}

export interface ReviewEntry {
  /** As written in the manifest, relative to the reviews folder. */
  name: string
  /** Absolute path. */
  path: string
  volume: number
  place: Position | undefined
}

export interface BookSpec {
  title: string
  subtitle: string | undefined
  description: string | undefined
  /** Absolute path of the cover image, when given. */
  cover: string | undefined
  coverPlace: Position | undefined
  identifier: string | undefined
  /** `published:`: the day the book is published (its `dc:date`); else the newest review's. */
  published: CalendarDate | undefined
  /** `keywords:` for the store listing, when the book names its own. */
  keywords: string[] | undefined
  keywordsPlace: Position | undefined
  /** BISAC subject codes (`subjects:`), when the book names its own. */
  subjects: string[] | undefined
  /** This book's own list prices, per store and marketplace (`prices:`), over the series'. */
  prices: StorePrices
}

/** A marketplace whose royalty rules the tool knows (`UK: 4.99` under a store's `prices`). */
export type Marketplace = 'US' | 'UK' | 'CA' | 'DE' | 'FR' | 'ES' | 'IT' | 'NL'
/** List prices, per store, per marketplace. */
export type StorePrices = Partial<Record<Store, Partial<Record<Marketplace, number>>>>

/** A Markdown page the manifest names (foreword, introduction, about the author). */
export interface PageSpec {
  role: 'foreword' | 'introduction' | 'about'
  /** As written in the manifest. */
  name: string
  /** Absolute path. */
  path: string
  place: Position | undefined
}

export type Store = 'kindle' | 'apple' | 'kobo'

export interface StoreLinks {
  kindle?: string | undefined
  apple?: string | undefined
  kobo?: string | undefined
  web?: string | undefined
}

export interface VolumeSpec extends BookSpec {
  number: number
  reviews: ReviewEntry[]
  numberPlace: Position | undefined
  foreword: PageSpec | undefined
  introduction: PageSpec | undefined
  links: StoreLinks
  linksPlace: Position | undefined
}

export type Opening = 'plain' | 'small-caps' | 'drop-cap'

export interface IndexSwitches {
  title: boolean
  director: boolean
  year: boolean
  rating: boolean
  /** Films by genre, from the reviews' tags; undefined: on when two or more tags are each shared by two or more of the book's reviews. */
  genre: boolean | undefined
  /** How many reviews a volume needs to have indexes (`indexes.from`); the collection always has them. */
  from: number
}

/** A trim size KDP Print offers, width × height in inches, as `print: {trim: …}` names it. */
export type TrimSize = '5x8' | '5.06x7.81' | '5.25x8' | '5.5x8.5' | '6x9' | '6.14x9.21'
export type PaperColour = 'white' | 'cream'

/** How the paperback is made (`print:`), for `--print`. */
export interface PrintSpec {
  trim: TrimSize
  paper: PaperColour
  /** Each review opens on a right-hand page (a blank left-hand page before it when needed). */
  recto: boolean
  /** The `print` key, for messages about the paperback as a whole. */
  place: Position | undefined
}

export interface Manifest {
  file: VFile
  /** Absolute path of the folder holding volumes.yaml: the project root. */
  root: string
  series: string
  authors: string[]
  language: string
  publisher: string | undefined
  rights: string | undefined
  description: string | undefined
  reviewsDir: string
  reviewsPlace: Position | undefined
  /** The `volumes` key, for messages about the manifest's volumes as a whole. */
  volumesPlace: Position | undefined
  outputDir: string
  outputPlace: Position | undefined
  /** Our front-matter keys → the archive's keys (`fields:`). */
  fields: FieldMap
  /** What a plain-number rating is out of (`ratings:`); letter grades, stars and fractions say their own scale. */
  ratingScale: RatingScale
  /** Globs, relative to the reviews folder, of reviews left out of every book and never called unlisted (`exclude:`). */
  exclude: string[]
  excludePlace: Position | undefined
  /** The reviews volumes list that `exclude` leaves out (not in `volumes[].reviews`). */
  excluded: ReviewEntry[]
  /** "About the author", at the back of every book. */
  about: PageSpec | undefined
  /** The addresses of the author's own site (`site:`), under which its links to reviews are resolved. */
  sites: string[]
  /** A stylesheet added after the default one. */
  stylesheet: {path: string; place: Position | undefined} | undefined
  indexes: IndexSwitches
  /** Which quotes come first: “double” (the default) or ‘single’ (British book style). */
  quotes: 'double' | 'single'
  /** How a review's first paragraph opens (`opening:`): plain (the default), its first words in small capitals, or a drop capital. */
  opening: Opening
  /** Link mentions of other reviews' film titles. */
  autolink: boolean
  /** The stores the books go to (store rules are checked for these). */
  stores: Store[]
  storesPlace: Position | undefined
  /** The series' list prices (`stores: {kindle: {prices: …}}`), which a book's own `prices` override. */
  prices: StorePrices
  /** `stores: {kindle: {select: …}}`: whether the books go into KDP Select; undefined when not said. */
  kdpSelect: boolean | undefined
  /** Series-wide `keywords:` and BISAC `subjects:` for the listings (a book may name its own). */
  keywords: string[] | undefined
  keywordsPlace: Position | undefined
  subjects: string[]
  accessibility: {summary: string | undefined; certifiedBy: string | undefined}
  /** In manifest order. */
  /** The paperback's trim, paper and openings (`print:`); the defaults when the manifest says nothing. */
  print: PrintSpec
  volumes: VolumeSpec[]
  collection: BookSpec | undefined
  collectionPlace: Position | undefined
}

export interface ReviewMeta {
  title: string
  year: number | undefined
  directors: string[]
  rating: number | undefined
  published: CalendarDate | undefined
  tags: string[]
  /** `draft: true` (Hugo, Eleventy) or `published: false` (Jekyll). */
  draft: boolean
  /** `sort: Hard, Die`: how the title is filed in the index, when the article rule gets it wrong. */
  sortTitle?: string | undefined
  /**
   * Where the review was published on the author's site (`slug`, `permalink`, `url`,
   * `aliases`): a link from another review to one of these is a link to this review.
   */
  addresses?: string[] | undefined
  draftPlace?: Position | undefined
  /** Where the review was first published (`source:`, written by the importer): the store kit warns that KDP Select needs it taken down. */
  source?: string | undefined
}

export interface ReviewImage {
  /** Absolute path on disk. */
  path: string
  /** Its name inside a book's `images/` folder. */
  name: string
  place: Position | undefined
}

export type Slot =
  /**
   * A link that may name another review, as written (`[Alien](alien-1979.md)`, a blog's
   * permalink): the book stage resolves it, or shows its text.
   */
  | {kind: 'link'; href: string; place: Position | undefined; open: string; inner: string; text: string; emphasised: boolean}
  /** Italic text outside links and headings: an autolink may make it a link to a review of that title. */
  | {kind: 'emphasis'; html: string; text: string}

export interface CompiledBody {
  html: string
  slots: Slot[]
  /** Every `href` in it, where it is written (the store rules look at them). */
  links: Array<{href: string; place: Position | undefined}>
}

/** Where a link may land: the chosen review's path, or an address outside the book. */
export type LinkTarget = {review: string} | {external: string}

export interface CoverText {
  series: string
  /** undefined: the collection */
  volume: number | undefined
  title: string
  subtitle?: string | undefined
  author: string
}

export interface Review {
  entry: ReviewEntry
  file: VFile
  meta: ReviewMeta
  /** Its XHTML, serialised once for every book, with the choices a book makes marked. */
  body: CompiledBody
  /** Where its link slots (and the emphasis slots an autolink chose) lead, by slot number. */
  linked?: ReadonlyMap<number, LinkTarget> | undefined
  /** The chapter file this review becomes in any book. */
  chapterFile: string
  /** The local images it shows, each once. */
  images: ReviewImage[]
  /** Words in the body and notes. */
  words: number
}

export interface Part {
  volume: VolumeSpec
  /** The volume's half-title page in the collection. */
  pageFile: string
  reviews: Review[]
  foreword: LoadedPage | undefined
  introduction: LoadedPage | undefined
}

/** Another volume of the series, for "Also in this series". */
export interface SeriesEntry {
  number: number
  title: string
  subtitle: string | undefined
  links: StoreLinks
}

export interface Book {
  kind: 'volume' | 'collection'
  fileName: string
  identifier: string
  /** The identifier as the copyright page shows it after "ISBN", when it is one. */
  isbn: string | undefined
  title: string
  subtitle: string | undefined
  description: string | undefined
  series: string
  /** The volume number (series position); undefined for the collection. */
  position: number | undefined
  authors: string[]
  language: string
  publisher: string | undefined
  rights: string | undefined
  cover: string | undefined
  coverPlace: Position | undefined
  /** With no cover given, the text of the typographic cover the tool draws. */
  coverText: CoverText | undefined
  /** ISO 8601 UTC, seconds precision: `dcterms:modified`. */
  modified: string
  /** Every file it is made from: the manifest, its cover, the stylesheet and what that brings in, its pages and reviews and their images. */
  inputs: string[]
  parts: Part[]
  /** Which volume each review of the whole series is in, for links that leave this book. */
  volumeOf: ReadonlyMap<string, VolumeSpec>
  /** Every review of the series by path, for link text that names another volume's film. */
  reviewOf: ReadonlyMap<string, Review>
  /** "About the author", at the back. */
  about: LoadedPage | undefined
  /** The other volumes, in order (for a volume's "Also in this series"; empty for the collection). */
  otherVolumes: SeriesEntry[]
  /** The indexes to generate. */
  indexes: IndexSwitches
  /** How each review's first paragraph opens. */
  opening: Opening
  stores: Store[]
  accessibility: Manifest['accessibility']
  /** The publication day (`dc:date`): the manifest's `published`, else the newest review's; undefined when none is dated. */
  published: CalendarDate | undefined
  /** BISAC codes for `dc:subject` (the book's, else the series'), beside its reviews' tags. */
  subjects: string[]
  /** Keywords the author named for the listing (the book's, else the series'); undefined: derived from the reviews. */
  keywords: string[] | undefined
  prices: StorePrices
  kdpSelect: boolean | undefined
}

/** Which books a run makes, decided once where the options come in. */
export interface Selection {
  /** The volume numbers to build: every volume's, unless `--volume` picked some. */
  volumes: ReadonlySet<number>
  /** Whether `--volume` picked them (the other volumes' reviews are then read for their front matter only). */
  some: boolean
  collection: boolean
}

/** A foreword, introduction or about page: its own Markdown, through the page pipeline. */
export interface LoadedPage {
  spec: PageSpec
  file: VFile
  body: CompiledBody
  title: string
  images: Review['images']
  /** Where its link slots (and autolinked emphasis slots) lead, by slot number. */
  linked?: ReadonlyMap<number, LinkTarget> | undefined
}

export type PageRole =
  'cover' | 'titlepage' | 'copyright-page' | 'foreword' | 'introduction' | 'part' | 'review' | 'index' | 'series' | 'about-collection' | 'about'

export interface Page {
  file: string
  title: string
  role: PageRole
  xhtml: string
  /** The `<body>` content alone (the preview wraps it in its own page). */
  body: string
  /** The label in the table of contents (a review's title with its year, and what sets a rewatch apart). */
  label: string
  /** For reviews: the part (volume) it belongs to. */
  part?: Part
}

/** A book rendered to its documents and image bytes: what the EPUB packer and the preview share. */
export interface PreparedBook {
  book: Book
  pages: Page[]
  /** Images by their name in the book (`images/<name>`), the cover included. */
  images: Map<string, Uint8Array>
  /** The images reviews show, sorted (the cover is listed apart). */
  contentImages: string[]
  /** The book's stylesheet: the default one plus the manifest's. */
  css: string
  /** Fonts the stylesheet brings in, by their name in the book (`fonts/<name>`). */
  fonts: Map<string, Uint8Array>
  /** What only the stylesheet brings in (`images/…`, `fonts/…`), sorted: listed apart from the reviews' images. */
  styleFiles: string[]
}

export interface BuildOutput {
  kind: 'volume' | 'collection'
  volume: number | undefined
  title: string
  path: string
  /** Null when the book was not packed (`check`). */
  bytes: number | null
  sha256: string | null
  reviews: number
  words: number
  /** Rendering and packing time, in milliseconds; 0 when reused. */
  ms: number
  /** False when an earlier run of this session wrote the same book and it is unchanged. */
  rebuilt: boolean
  /** The store kit written beside it (`--kit`): marketing cover and listing sheets. */
  kit: KitFile[]
  /** The paperback written beside it (`--print`): interior and cover PDFs. */
  print?: PrintOutput | undefined
}

export interface PrintOutput {
  interior: KitFile
  cover: KitFile
  pages: number
  /** The inside margin it was laid out with, in inches. */
  gutter: number
  /** The cover's size and spine, in inches. */
  coverWidth: number
  coverHeight: number
  spine: number
  /** Laying out, counting and writing both PDFs, in milliseconds. */
  ms: number
}

export interface KitFile {
  path: string
  bytes: number
  sha256: string
}

export type ProgressEvent =
  {type: 'reviews'; count: number; converted: number; ms: number} | {type: 'book-start'; title: string; path: string} | {type: 'book-done'; output: BuildOutput}

export interface BuildResult {
  files: VFile[]
  outputs: BuildOutput[]
  written: boolean
  outDir: string | undefined
  /** The books rendered in this run, with their pages and images. */
  prepared: PreparedBook[]
  /** The parsed manifest, when it could be read. */
  manifest: Manifest | undefined
  /** Every input file the books were made from (for watching). */
  inputs: string[]
}
