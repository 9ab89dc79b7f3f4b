// The interior's design in Typst: page, type, running heads and folios, openings, contents
// lines, notes, quotes, tables, stars and scene breaks. Static text; interior.ts puts the
// book's settings (trim, margins, titles) before it as `#let` lines and the book after it.
// Pure.

export const interiorTemplate = String.raw`
#let tracking(body) = text(tracking: 0.06em, body)
/// Whether a page opens something (a title, a review): no running head or folio there.
#let opening-on(p) = query(<opening>).any(m => m.location().page() == p)
/// A new page for an opening: the next recto when the book asks for it, else the next page.
#let new-page(recto: openings-on-recto) = if recto { pagebreak(to: "odd", weak: true) } else { pagebreak(weak: true) }
/// Marks the start of something on this page; head: the running head of its pages.
#let opening(head, recto: openings-on-recto) = {
  new-page(recto: recto)
  [#metadata(head) <opening>]
  counter(footnote).update(0)
}
/// The page number of a label, as the page shows it (roman in the front matter).
#let page-of(target) = context {
  let at = locate(target)
  numbering(at.page-numbering(), ..counter(page).at(at))
}
#let leaders = box(width: 1fr, repeat(gap: 0.15em)[.])
#let toc-line(target, body, level: 1) = block(above: if level == 1 { 0.75em } else { 0.45em }, below: 0em,
  pad(left: if level == 1 { 0em } else { 1.2em }, par(justify: false, first-line-indent: 0em, hanging-indent: 1.2em)[#body #leaders #page-of(target)]))
#let index-line(target, body) = par(justify: false, first-line-indent: 0em, hanging-indent: 1.5em)[#body #leaders #page-of(target)]
#let star(filled) = box(width: 0.78em, height: 0.7em, baseline: 0.02em, {
  let points = range(10).map(i => {
    let r = if calc.even(i) { 0.36em } else { 0.15em }
    let a = -90deg + i * 36deg
    (0.39em + r * calc.cos(a), 0.38em + r * calc.sin(a))
  })
  place(polygon(fill: if filled { black } else { none }, stroke: 0.45pt + black, ..points))
})
#let half-star() = box(width: 0.78em, height: 0.7em, baseline: 0.02em, {
  place(star(false))
  place(box(width: 0.39em, height: 0.7em, clip: true, star(true)))
})
#let stars(filled, half, empty) = box((range(filled).map(_ => star(true)) + if half { (half-star(),) } else { () } + range(empty).map(_ => star(false))).join(h(0.06em)))
#let scene-break() = block(width: 100%, above: 1em, below: 1em, sticky: true, align(center)[\* #h(1.2em) \* #h(1.2em) \*])
#let epigraph(body) = block(width: 100%, above: 0.6em, below: 1.8em, pad(left: 22%, text(size: 0.92em, style: "italic", body)))
#let review-header(body) = block(width: 100%, below: 1.6em, {
  set par(justify: false, first-line-indent: 0em)
  set align(center)
  body
})
#let credits(body) = block(above: 0.2em, below: 0.5em, smallcaps(text(tracking: 0.03em, body)))
#let small-line(body) = block(above: 0.3em, below: 0.3em, text(size: 0.85em, body))
#let print-image(file, width) = block(width: 100%, above: 1em, below: 1em, breakable: false, align(center, image(file, width: width)))
#let caption(body) = block(width: 100%, above: 0.3em, below: 1em, align(center, par(justify: false, first-line-indent: 0em, text(size: 0.85em, style: "italic", body))))
#let print-table(columns, ..cells) = block(width: 100%, above: 1em, below: 1em, align(center, text(size: 0.88em, {
  set par(justify: false, first-line-indent: 0em)
  table(columns: columns, stroke: none, inset: (x: 0.4em, y: 0.3em), table.hline(stroke: 0.5pt), ..cells, table.hline(stroke: 0.5pt))
})))
#let centred(body) = block(width: 100%, {
  set par(justify: false, first-line-indent: 0em)
  set align(center)
  body
})
#let front-title(body) = block(width: 100%, above: 0.9in, below: 1.6em, align(center, text(size: 1.65em, body)))
#let main-matter(body) = {
  pagebreak(to: "odd", weak: true)
  set page(numbering: "1")
  counter(page).update(1)
  body
}
#set document(title: doc-title, author: doc-authors, description: doc-subject, keywords: doc-keywords, date: doc-date)
#set page(
  width: trim-width, height: trim-height, binding: left,
  margin: (inside: margin-inside, outside: margin-outside, top: margin-top, bottom: margin-bottom),
  numbering: "i",
  header-ascent: 40%, footer-descent: 40%,
  header: context {
    let p = here().page()
    if not opening-on(p) {
      let marks = query(<opening>).filter(m => m.location().page() <= p)
      set text(size: 0.8em, number-type: "lining")
      if calc.even(p) {
        align(left, smallcaps(all: true, tracking(verso-head)))
      } else if marks.len() > 0 and marks.last().value != none {
        align(right, emph(marks.last().value))
      }
    }
  },
  footer: context {
    if not opening-on(here().page()) {
      set text(size: 0.85em)
      align(center, counter(page).display())
    }
  },
)
#set text(font: "EB Garamond", size: body-size, lang: doc-lang, region: doc-region, hyphenate: true, fallback: false, number-type: "old-style", costs: (widow: 100%, orphan: 100%))
#set par(justify: true, leading: 0.62em, spacing: 0.62em, first-line-indent: (amount: 1.2em, all: false))
#set footnote.entry(separator: line(length: 30%, stroke: 0.4pt), gap: 0.5em, clearance: 1em, indent: 0em)
#show footnote.entry: set text(size: 0.82em)
#show footnote.entry: set par(first-line-indent: 0em, leading: 0.5em)
#show pagebreak.where(to: "odd"): set page(header: none, footer: none)
#show heading: set text(weight: "regular")
#show heading: set par(justify: false)
#show heading.where(level: 1): it => block(width: 100%, above: 0.9in, below: 1.6em, align(center, text(size: 1.65em, hyphenate: false, it.body)))
#show heading.where(level: 2): it => block(width: 100%, above: 1.5em, below: 0.8em, sticky: true, align(center, smallcaps(text(size: 1.1em, hyphenate: false, it.body))))
#show heading.where(level: 3): it => block(width: 100%, above: 1.2em, below: 0.6em, sticky: true, align(center, emph(it.body)))
#show heading.where(level: 4): it => block(above: 1em, below: 0.5em, sticky: true, emph(it.body))
#show quote.where(block: true): it => pad(left: 1.5em, right: 1.5em, block(above: 1em, below: 1em, text(size: 0.95em, style: "italic", it.body)))
#show raw: set text(size: 0.85em)
#show link: it => it.body

`
