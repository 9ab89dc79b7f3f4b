// rehype plugin: resolve each local image against its review, check it exists and stays in
// the project, and point it at its place inside the book (`images/…`). Remote images are
// never fetched: a warning, and the image becomes its description. Reads only `exists`.
import path from 'node:path'
import type {Element, Root} from 'hast'
import type {Root as MdastRoot} from 'mdast'
import {SKIP, visit} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {report} from '../../shared/diagnostics.js'
import {decodeUrlPath} from '../../shared/names.js'
import {imageMediaType} from '../../shared/image-bytes.js'
import {isInside} from '../../shared/paths.js'
import type {ReviewImage} from '../../model.js'

declare module 'vfile' {
  interface DataMap {
    /** The local images a review shows, each once, in order of appearance. */
    images: ReviewImage[]
    /** Where Markdown images (`![…](…)`) start, as `line:column`, to tell them from raw `<img>`. */
    markdownImages: Set<string>
  }
}

/** remark plugin: remember where Markdown images start, before raw HTML joins the tree. */
export function remarkMarkImages() {
  return function (tree: MdastRoot, file: VFile): void {
    const places = (file.data.markdownImages = new Set<string>())
    visit(tree, 'image', (node) => {
      places.add(`${node.position?.start.line}:${node.position?.start.column}`)
    })
  }
}

export interface ImageOptions {
  /** Absolute project root: images must stay inside it. */
  root: string
  exists: (absolutePath: string) => boolean
  /** The name an image file gets inside the book (`images/<name>`). */
  assetName: (absolutePath: string) => string
}

export default function rehypeReviewImages(options: ImageOptions) {
  return function (tree: Root, file: VFile): void {
    const from = path.dirname(path.resolve(file.cwd, file.path))
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'img') return undefined
      const src = typeof node.properties.src === 'string' ? node.properties.src.trim() : ''
      const alt = typeof node.properties.alt === 'string' ? node.properties.alt : ''
      const replaceWithText = (): [typeof SKIP, number] | undefined => {
        if (!parent || typeof index !== 'number') return undefined
        parent.children.splice(
          index,
          1,
          ...(alt
            ? [
                {
                  type: 'element' as const,
                  tagName: 'span',
                  properties: {className: ['image-description']},
                  children: [{type: 'text' as const, value: `[${alt}]`}]
                }
              ]
            : [])
        )
        return [SKIP, index]
      }
      if (!src) return replaceWithText()
      if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(src)) {
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(src)?.[1]?.toLowerCase()
        report(file, {
          reason:
            scheme === undefined || scheme === 'http' || scheme === 'https'
              ? `Remote image \`${src}\` is not fetched; the book shows its description instead`
              : `Image \`${src}\` is a \`${scheme}:\` address, which a book cannot show; the book shows its description instead`,
          ruleId: 'remote-image',
          severity: 'warning',
          place: node.position,
          note: 'Download the image, put it beside the review and refer to it by its file name.'
        })
        return replaceWithText()
      }
      const target = path.resolve(from, decodeUrlPath(src.replace(/[?#].*$/, '')))
      if (!isInside(options.root, target)) {
        report(file, {
          reason: `Image \`${src}\` is outside the project; keep images inside the folder holding volumes.yaml`,
          ruleId: 'unsafe-path',
          severity: 'error',
          place: node.position
        })
        return replaceWithText()
      }
      if (!imageMediaType(target)) {
        report(file, {
          reason: `Image \`${src}\` is not a format e-readers show; use PNG, JPEG, GIF, SVG or WebP`,
          ruleId: 'image-format',
          severity: 'error',
          place: node.position
        })
        return replaceWithText()
      }
      if (!options.exists(target)) {
        report(file, {
          reason: `Image \`${src}\` does not exist (looked for \`${path.relative(options.root, target)}\`)`,
          ruleId: 'missing-image',
          severity: 'error',
          place: node.position,
          note: 'Check the file name and that the path is relative to the review file.'
        })
        return replaceWithText()
      }
      const name = options.assetName(target)
      // Markdown cannot leave alt out, so an empty one there is an oversight; raw HTML's
      // `alt=""` is how an author marks an image as decorative.
      const markdownImage = file.data.markdownImages?.has(`${node.position?.start.line}:${node.position?.start.column}`) ?? false
      if (typeof node.properties.alt !== 'string' || (markdownImage && !alt.trim())) {
        report(file, {
          reason: `Image \`${src}\` has no text alternative; readers using a screen reader (and stores checking accessibility) get nothing`,
          ruleId: 'missing-alt',
          severity: 'warning',
          place: node.position,
          note: 'Describe what the image shows: `![A city of towers at night](still.png)`. For a purely decorative image write `<img src="still.png" alt=""/>`.'
        })
      }
      node.properties.src = `images/${name}`
      node.properties.alt = alt
      const images = (file.data.images ??= [])
      if (!images.some((image) => image.path === target)) images.push({path: target, name, place: node.position})
      return undefined
    })
  }
}
