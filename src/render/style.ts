// The default stylesheet of every book: a quiet, bookish page that Kindle, Apple Books,
// Kobo and calibre all honour. Relative units only; nothing Kindle's converter drops.

export const stylesheet = `@charset "UTF-8";
body { margin: 0 5%; font-family: serif; line-height: 1.45; text-align: justify; hyphens: auto; -webkit-hyphens: auto; }
h1, h2, h3 { font-weight: normal; text-align: center; line-height: 1.2; hyphens: none; -webkit-hyphens: none; page-break-after: avoid; break-after: avoid; }
h1 { font-size: 1.6em; margin: 1.5em 0 0.5em; }
h2 { font-size: 1.2em; margin: 1.5em 0 0.6em; font-variant: small-caps; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.5em; font-style: italic; }
p { margin: 0; text-indent: 1.2em; orphans: 2; widows: 2; }
h1 + p, h2 + p, h3 + p, hr + p, blockquote + p, ul + p, ol + p, table + p, figure + p, header + p, p.first { text-indent: 0; }
em, i, cite { font-style: italic; }
a { color: inherit; text-decoration: underline; }
img { max-width: 100%; height: auto; }
p > img:only-child { display: block; margin: 1em auto; }
figure { margin: 1.5em 0; text-align: center; text-indent: 0; page-break-inside: avoid; break-inside: avoid; }
figure img { display: block; margin: 0 auto; }
figcaption { display: block; margin: 0.6em 5% 0; font-size: 0.85em; font-style: italic; text-align: center; text-indent: 0; line-height: 1.3; hyphens: none; -webkit-hyphens: none; }
figcaption p { margin: 0; text-indent: 0; }
figcaption .credit { display: block; margin-top: 0.25em; font-size: 0.85em; font-style: normal; text-align: right; }
blockquote { margin: 1em 2em; font-style: italic; }
blockquote p { text-indent: 0; margin-bottom: 0.4em; }
header.review-header + blockquote { margin: 1.5em 10% 2em; font-size: 0.95em; }
header.review-header + blockquote p:last-child { text-align: right; font-style: normal; }
ul, ol { margin: 0.8em 0 0.8em 1.5em; padding: 0; }
li { margin: 0.2em 0; }
li p { text-indent: 0; }
hr.scene-break { border: 0; margin: 1.2em 0; text-align: center; height: 1.5em; }
hr.scene-break::after { content: "\\2042"; }
table { border-collapse: collapse; margin: 1em auto; font-size: 0.9em; }
th, td { border-bottom: 1px solid #999999; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
.align-right { text-align: right; }
.align-center { text-align: center; }
code { font-family: monospace; font-size: 0.9em; }
pre { white-space: pre-wrap; font-size: 0.85em; margin: 1em 0; }
.review-header { margin: 2em 0 1.5em; text-align: center; }
.review-header h1 { margin: 0 0 0.4em; }
.review-header p { text-indent: 0; text-align: center; margin: 0.2em 0; font-size: 0.9em; }
.review-credits { font-variant: small-caps; letter-spacing: 0.03em; }
.review-rating .stars { letter-spacing: 0.1em; }
.review-rating .rating-words { font-size: 0.85em; font-style: italic; }
.review-published { font-size: 0.8em; font-style: italic; }
.opening-words { font-variant: small-caps; letter-spacing: 0.04em; }
.drop-cap { float: left; font-size: 3.2em; line-height: 0.85; margin: 0 0.08em 0 0; padding: 0; }
sup, sub { font-size: 0.75em; line-height: 0; }
sup { vertical-align: super; }
sub { vertical-align: sub; }
.noteref { padding: 0.5em 0.8em; margin: 0 -0.8em; text-decoration: none; }
.footnotes { margin-top: 2em; font-size: 0.85em; }
.footnotes hr { width: 30%; margin: 1em 0; border: 0; border-top: 1px solid #999999; }
ol.footnotes-list { list-style-type: decimal; margin: 0 0 0 2em; padding: 0; }
.footnotes-list li { margin: 0.4em 0; }
.footnotes p { text-indent: 0; }
.footnote-backref { padding: 0 0.3em; text-decoration: none; }
.series-reference { font-style: normal; }
.image-description { font-style: italic; }
.title-page, .half-title { text-align: center; margin-top: 20%; }
.title-page p, .half-title p, .copyright-page p { text-indent: 0; text-align: center; }
.series-name { font-variant: small-caps; letter-spacing: 0.08em; }
.volume-number { margin: 0.6em 0; font-style: italic; }
.book-title, .part-title { font-size: 2em; margin: 0.6em 0; }
.book-subtitle { font-style: italic; margin-bottom: 2em; }
.book-author { margin-top: 2em; font-size: 1.2em; }
.book-publisher { margin-top: 3em; font-size: 0.85em; font-variant: small-caps; }
.copyright-page { margin-top: 30%; font-size: 0.85em; }
.copyright-heading { font-size: 1em; font-variant: small-caps; }
.copyright-page p { margin: 0.5em 0; }
.cover-image { text-align: center; margin: 0; padding: 0; }
.cover-image img { max-width: 100%; max-height: 100%; }
section.foreword h1, section.introduction h1, .about-author h1, .also-in-series h1, .about-collection h1, .index h1 { font-size: 1.4em; margin: 1.5em 0 1em; }
section.foreword > p:first-of-type, section.introduction > p:first-of-type, .about-author > p:first-of-type { text-indent: 0; }
.index-intro { text-indent: 0; font-size: 0.85em; font-style: italic; text-align: center; margin-bottom: 1em; }
.index-group h2 { font-size: 1em; font-variant: normal; text-align: left; margin: 1.2em 0 0.3em; font-weight: bold; }
.index-entries, .series-list { list-style-type: none; margin: 0; padding: 0; }
.index-entries li { margin: 0.15em 0 0.15em 1.5em; text-indent: -1.5em; text-align: left; }
.index-entries a { text-decoration: none; }
.index-year { display: inline-block; min-width: 3em; }
.index-volume { font-size: 0.8em; font-variant: small-caps; color: #555555; }
.index-rating .stars { letter-spacing: 0.1em; }
.series-intro { text-indent: 0; text-align: center; font-style: italic; margin-bottom: 1em; }
.series-list li { margin: 0.8em 0; text-align: center; }
.series-entry, .series-links { text-indent: 0; text-align: center; margin: 0; }
.series-number { display: block; font-variant: small-caps; letter-spacing: 0.05em; font-size: 0.9em; }
.series-links { font-size: 0.85em; }
.about-collection p { text-indent: 0; }
nav#toc ol { list-style-type: none; margin-left: 0; }
nav#toc ol ol { margin-left: 1.5em; }
nav#toc li { margin: 0.4em 0; }
nav#toc a { text-decoration: none; }
`
