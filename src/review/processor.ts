// The unified pipeline every review goes through once: Markdown + front matter → mdast →
// hast with every check applied, serialised once by compile.ts (books fill in only their links).
// Pure, given its options (the image-exists check is injected).
import type {Root as HastRoot} from 'hast'
import rehypeRaw from 'rehype-raw'
import type {Point} from 'unist'
import type {VFile} from 'vfile'
import rehypeSanitize, {defaultSchema, type Options as SanitizeSchema} from 'rehype-sanitize'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import rehypeStringify from 'rehype-stringify'
import {unified} from 'unified'
import rehypeEpubFootnotes from './plugins/rehype-epub-footnotes.js'
import rehypeFigures from './plugins/rehype-figures.js'
import rehypeIds from './plugins/rehype-ids.js'
import rehypeMarkGenerated from './plugins/rehype-mark-generated.js'
import rehypeReviewHeader from './plugins/rehype-review-header.js'
import rehypeReviewImages, {remarkMarkImages, type ImageOptions} from './plugins/rehype-review-images.js'
import rehypeReviewLinks from './plugins/rehype-review-links.js'
import rehypeSmartPunctuation from './plugins/rehype-smart-punctuation.js'
import rehypeTaskGlyphs from './plugins/rehype-task-glyphs.js'
import rehypeUnsafeHtml from './plugins/rehype-unsafe-html.js'
import rehypeXhtml from './plugins/rehype-xhtml.js'
import remarkReviewChecks from './plugins/remark-review-checks.js'
import remarkReviewFrontmatter from './plugins/remark-review-frontmatter.js'
import {report} from '../shared/diagnostics.js'
import {complexityLimits, deepestNode} from './complexity.js'
import type {FieldMap, RatingScale} from '../model.js'

export interface ProcessorOptions extends ImageOptions {
  language: string
  /** The author's site addresses (`site:` in volumes.yaml). */
  sites: readonly string[]
  fields?: FieldMap | undefined
  drafts?: boolean | undefined
  /**
   * `page`: a foreword, introduction or about page: no review front matter, no heading block.
   * `meta`: a review's front matter alone (a review in a volume this build does not make).
   */
  kind?: 'review' | 'page' | 'meta' | undefined
  quotes?: 'double' | 'single' | undefined
  ratingScale?: RatingScale | undefined
}

/** What raw HTML may keep: valid XHTML5 only, no clobber prefixes (books run no scripts). */
const schema: SanitizeSchema = {
  ...defaultSchema,
  clobber: [],
  clobberPrefix: '',
  tagNames: [
    ...(defaultSchema.tagNames ?? []).filter((name) => !['input', 'picture', 'source', 'details', 'summary', 'tt', 'strike'].includes(name)),
    'u',
    'small',
    'cite',
    'abbr',
    'mark',
    'figure',
    'figcaption',
    'aside',
    'time',
    'dfn',
    'caption',
    'span',
    'hgroup'
  ],
  attributes: {
    '*': ['className', 'id', 'lang', 'dir', 'title'],
    a: ['href', 'dataFootnoteRef', 'dataFootnoteBackref', 'ariaLabel', 'ariaDescribedBy'],
    img: ['src', 'alt', 'width', 'height'],
    ol: ['start'],
    td: ['align', 'colSpan', 'rowSpan'],
    th: ['align', 'colSpan', 'rowSpan', 'scope'],
    section: ['dataFootnotes'],
    time: ['dateTime'],
    span: ['role', 'ariaLabel']
  },
  // Every address is judged by our own plugins, which warn at its place (sanitize would drop it silently).
  protocols: {},
  required: {},
  strip: ['script', 'style']
}

/**
 * rehype-raw parses the whole tree again with an HTML parser to take in raw HTML; a review
 * without any (most of them) skips that second parse, which was a tenth of a large build.
 */
function rehypeRawWhenNeeded() {
  const parse = rehypeRaw()
  return function (tree: HastRoot, file: VFile): HastRoot {
    let found = false
    const stack: Array<HastRoot | HastRoot['children'][number]> = [tree]
    while (stack.length > 0 && !found) {
      const node = stack.pop()!
      if (node.type === 'raw') found = true
      else if ('children' in node) for (const child of node.children) stack.push(child)
    }
    if (!found) return tree
    const parsed = parse(tree, file) as HastRoot
    // The HTML parser nests what the text scan could not count (tags split over lines): the
    // plugins after it walk the tree recursively, so a tree too deep for them goes no further.
    const deepest = deepestNode(parsed)
    if (deepest.depth <= 2 * complexityLimits.nesting) return parsed
    report(file, {
      reason: `The review's HTML nests elements ${deepest.depth} levels deep (at most ${2 * complexityLimits.nesting})`,
      ruleId: 'review-too-complex',
      severity: 'error',
      place: (deepest.node as {position?: {start: Point}}).position?.start
    })
    return {type: 'root', children: []}
  }
}

export function createProcessor(options: ProcessorOptions) {
  if (options.kind === 'meta') {
    return unified()
      .use(remarkParse)
      .use(remarkFrontmatter, ['yaml'])
      .use(remarkReviewFrontmatter, {
        fields: options.fields,
        drafts: options.drafts,
        quotes: options.quotes,
        language: options.language,
        ratingScale: options.ratingScale
      })
      .use(rehypeStringify)
      .freeze()
  }
  const review = options.kind !== 'page'
  return (
    unified()
      .use(remarkParse)
      .use(remarkFrontmatter, ['yaml'])
      .use(
        review
          ? [
              [
                remarkReviewFrontmatter,
                {fields: options.fields, drafts: options.drafts, quotes: options.quotes, language: options.language, ratingScale: options.ratingScale}
              ]
            ]
          : []
      )
      .use(remarkGfm)
      .use(remarkReviewChecks)
      .use(remarkMarkImages)
      .use(remarkRehype, {
        allowDangerousHtml: true,
        clobberPrefix: '',
        footnoteLabel: 'Notes',
        footnoteBackLabel: (index) => `Back to note ${index + 1} in the text`
      })
      .use(rehypeMarkGenerated)
      .use(rehypeTaskGlyphs)
      .use(rehypeRawWhenNeeded)
      .use(rehypeUnsafeHtml)
      .use(rehypeSanitize, schema)
      .use(rehypeIds)
      .use(rehypeFigures)
      // After raw HTML is parsed and sanitised: its text gets the same typography as Markdown's.
      .use(rehypeSmartPunctuation, {quotes: options.quotes, language: options.language})
      .use(rehypeEpubFootnotes)
      .use(rehypeReviewLinks, {sites: options.sites})
      .use(rehypeReviewImages, options)
      .use(rehypeXhtml)
      .use(review ? [[rehypeReviewHeader, {language: options.language}]] : [])
      // XHTML: void elements self-close; only numeric character references are written.
      .use(rehypeStringify, {closeSelfClosing: true, characterReferences: {useNamedReferences: false}})
      .freeze()
  )
}

export type ReviewProcessor = ReturnType<typeof createProcessor>
