// rehype plugin: open each review with its heading block (film title, year, directors,
// rating as glyphs plus words a screen reader reads sensibly, first publication date),
// built from `file.data.meta`. Pure.
import type {Element, ElementContent, Root} from 'hast'
import type {VFile} from 'vfile'
import {formatLongDate} from '../../shared/dates.js'
import {joinNames} from '../../shared/names.js'
import {formatRating, stars} from '../../shared/ratings.js'

export interface HeaderOptions {
  language: string
}

export default function rehypeReviewHeader(options: HeaderOptions) {
  return function (tree: Root, file: VFile): void {
    const meta = file.data.meta
    if (!meta) return
    const lines: ElementContent[] = [element('h1', {className: ['review-title']}, [text(meta.title)])]
    const credits = [
      meta.year === undefined ? '' : String(meta.year),
      meta.directors.length ? `Directed by ${joinNames(meta.directors, options.language)}` : ''
    ].filter(Boolean)
    if (credits.length) lines.push(element('p', {className: ['review-credits']}, [text(credits.join(' · '))]))
    if (meta.rating !== undefined) {
      lines.push(
        element('p', {className: ['review-rating']}, [
          element('span', {className: ['stars'], ariaHidden: 'true'}, [text(stars(meta.rating))]),
          text(' '),
          element('span', {className: ['rating-words']}, [text(`Rated ${formatRating(meta.rating)} out of 5`)])
        ])
      )
    }
    if (meta.published) {
      lines.push(element('p', {className: ['review-published']}, [text(`First published ${formatLongDate(meta.published, options.language)}`)]))
    }
    tree.children.unshift(element('header', {className: ['review-header']}, lines))
  }
}

function element(tagName: string, properties: Element['properties'], children: ElementContent[]): Element {
  return {type: 'element', tagName, properties, children}
}

function text(value: string): ElementContent {
  return {type: 'text', value}
}
