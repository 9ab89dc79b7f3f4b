// The preview renderer: one volume's pages (the same rendered chapters as its EPUB, with the
// book's stylesheet) as web pages with a contents sidebar, a page-like reading column and a
// script that reloads on rebuild; or, when the input has errors, a page listing them with
// file:line:column. Pure.
import {fontMediaType} from '../shared/fonts.js'
import type {Diagnostic} from '../shared/diagnostics.js'
import {fullTitle} from '../render/pages.js'
import {escapeXml} from '../shared/xml.js'
import type {Page, PreparedBook} from '../model.js'
import {imageMediaType} from '../shared/image-bytes.js'

export const previewPrefix = '/__preview/'

export interface SitePage {
  status: number
  type: string
  body: string | Uint8Array
}

/** Answers one request path from the latest build: a page, an image, a stylesheet or 404. */
export function sitePage(pathname: string, state: {prepared: PreparedBook | undefined; problems: Diagnostic[]; stylesheet: string; builtAt: string}): SitePage {
  if (pathname === `${previewPrefix}preview.css`) return {status: 200, type: 'text/css; charset=utf-8', body: previewCss}
  if (pathname === `${previewPrefix}reload.js`) return {status: 200, type: 'text/javascript; charset=utf-8', body: reloadScript}
  if (pathname === '/style.css') return {status: 200, type: 'text/css; charset=utf-8', body: state.stylesheet}
  const errors = state.problems.filter((problem) => problem.severity === 'error')
  if (errors.length > 0 || !state.prepared) return html(200, errorPage(state.problems, state.prepared?.book.title))
  const {pages, images} = state.prepared
  if (pathname.startsWith('/images/')) {
    const name = decodeURIComponent(pathname.slice('/images/'.length))
    const bytes = images.get(name)
    const extension = name.split('.').pop()?.toLowerCase() ?? ''
    return bytes ? {status: 200, type: imageMediaType(`x.${extension}`) ?? 'application/octet-stream', body: bytes} : notFound(state.prepared)
  }
  if (pathname.startsWith('/fonts/')) {
    const name = decodeURIComponent(pathname.slice('/fonts/'.length))
    const bytes = state.prepared.fonts.get(name)
    return bytes ? {status: 200, type: fontMediaType(name) ?? 'application/octet-stream', body: bytes} : notFound(state.prepared)
  }
  const shown = pages.filter((page) => page.role !== 'cover')
  const file = pathname === '/' ? shown[0]?.file : decodeURIComponent(pathname.slice(1))
  const index = shown.findIndex((page) => page.file === file)
  if (index === -1) return notFound(state.prepared)
  return html(200, readingPage(state.prepared, shown, index, state.problems, state.builtAt))
}

function html(status: number, body: string): SitePage {
  return {status, type: 'text/html; charset=utf-8', body}
}

function notFound(prepared: PreparedBook): SitePage {
  return html(
    404,
    shell(
      prepared.book.language,
      'Not found',
      '',
      `<article class="preview-page preview-message"><h1>No such page</h1><p><a href="/">Back to the start of the book</a></p></article>`
    )
  )
}

function shell(language: string, title: string, sidebar: string, main: string): string {
  return `<!DOCTYPE html>
<html lang="${escapeXml(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<link rel="stylesheet" href="/style.css">
<link rel="stylesheet" href="${previewPrefix}preview.css">
</head>
<body class="preview">
${sidebar}<main class="preview-main">
${main}
</main>
<script src="${previewPrefix}reload.js"></script>
</body>
</html>
`
}

function readingPage(prepared: PreparedBook, shown: Page[], index: number, problems: Diagnostic[], builtAt: string): string {
  const {book} = prepared
  const page = shown[index]!
  const items: string[] = []
  let part: Page['part']
  for (const entry of shown) {
    if (entry.part && entry.part !== part && book.kind === 'collection')
      items.push(`<li class="preview-part">${escapeXml(`Volume ${entry.part.volume.number}`)}</li>`)
    part = entry.part
    const current = entry === page ? ' aria-current="page"' : ''
    items.push(`<li class="preview-${entry.role}"><a href="/${encodeURI(entry.file)}"${current}>${escapeXml(entry.label)}</a></li>`)
  }
  const warnings = problems.filter((problem) => problem.severity === 'warning')
  const sidebar = `<aside class="preview-sidebar">
<p class="preview-series-name">${escapeXml(book.kind === 'volume' ? `${book.series} · Volume ${book.position}` : book.series)}</p>
<p class="preview-title">${escapeXml(book.title)}</p>
<nav aria-label="Contents"><ol>
${items.join('\n')}
</ol></nav>
<p class="preview-status">Preview · built ${escapeXml(builtAt)}${warnings.length ? ` · <a href="#preview-warnings">${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}</a>` : ''}</p>
</aside>
`
  const previous = shown[index - 1]
  const next = shown[index + 1]
  const pager = `<nav class="preview-pager" aria-label="Pages">${previous ? `<a rel="prev" href="/${encodeURI(previous.file)}">← ${escapeXml(previous.label)}</a>` : '<span></span>'}${next ? `<a rel="next" href="/${encodeURI(next.file)}">${escapeXml(next.label)} →</a>` : '<span></span>'}</nav>`
  const warningList = warnings.length
    ? `<section id="preview-warnings" class="preview-problems preview-warnings"><h2>Warnings</h2>${problemList(warnings)}</section>`
    : ''
  const main = `<article class="preview-page ${page.role}">
${page.body}
</article>
${pager}
${warningList}`
  return shell(book.language, `${page.title} · ${fullTitle(book)} (preview)`, sidebar, main)
}

function errorPage(problems: Diagnostic[], title: string | undefined): string {
  const errors = problems.filter((problem) => problem.severity === 'error')
  const main = `<article class="preview-page preview-message preview-problems" role="alert">
<h1>The book cannot be built yet</h1>
<p>${errors.length} ${errors.length === 1 ? 'problem needs' : 'problems need'} fixing${title ? ` in <i>${escapeXml(title)}</i>` : ''}. This page reloads by itself when you save.</p>
${problemList(problems.filter((problem) => problem.severity !== 'info'))}
</article>`
  return shell('en', 'Problems · build-volumes preview', '', main)
}

function problemList(problems: Diagnostic[]): string {
  const items = problems.map((problem) => {
    const where = `${problem.file}${problem.line === null ? '' : `:${problem.line}:${problem.column ?? 1}`}`
    return `<li class="preview-${problem.severity}"><code class="preview-where">${escapeXml(where)}</code> <span class="preview-severity">${problem.severity}</span> ${escapeXml(problem.message)}${problem.ruleId ? ` <code class="preview-rule">${escapeXml(problem.ruleId)}</code>` : ''}${problem.note ? `<p class="preview-note">${escapeXml(problem.note)}</p>` : ''}</li>`
  })
  return `<ul class="preview-problem-list">\n${items.join('\n')}\n</ul>`
}

const reloadScript = `// build-volumes preview: reload when the book is rebuilt.
(() => {
  const events = new EventSource('${previewPrefix}events')
  events.addEventListener('reload', () => location.reload())
})()
`

const previewCss = `/* build-volumes preview: the book's own stylesheet styles the page; this lays out the screen. */
html { background: #e9e5dc; }
body.preview { margin: 0; display: flex; min-height: 100vh; text-align: left; font-family: Georgia, "Times New Roman", serif; color: #222; }
.preview-sidebar { box-sizing: border-box; width: 18rem; flex: none; position: sticky; top: 0; height: 100vh; overflow-y: auto; padding: 1.5rem 1.25rem; background: #2b2a33; color: #ebe8e1; font-family: system-ui, sans-serif; font-size: 0.9rem; line-height: 1.4; }
.preview-sidebar a { color: inherit; text-decoration: none; }
.preview-sidebar a:hover { text-decoration: underline; }
.preview-series-name { margin: 0; text-indent: 0; font-size: 0.75rem; letter-spacing: 0.08em; text-transform: uppercase; opacity: 0.7; }
.preview-title { margin: 0.3rem 0 1.2rem; text-indent: 0; font-family: Georgia, serif; font-size: 1.3rem; }
.preview-sidebar ol { list-style: none; margin: 0; padding: 0; }
.preview-sidebar li { margin: 0; }
.preview-sidebar li a { display: block; padding: 0.3rem 0.5rem; border-radius: 0.3rem; }
.preview-sidebar li a[aria-current="page"] { background: #f3efe6; color: #2b2a33; }
.preview-part { margin-top: 0.8rem !important; font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.06em; opacity: 0.7; }
.preview-status { margin-top: 1.5rem; text-indent: 0; font-size: 0.75rem; opacity: 0.7; }
.preview-main { flex: 1; min-width: 0; padding: 2.5rem 1.5rem 4rem; }
.preview-page { box-sizing: border-box; max-width: 36em; min-height: 70vh; margin: 0 auto; padding: 3em 3.5em; background: #fffdf8; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.12), 0 8px 24px rgba(0, 0, 0, 0.08); font-size: 1.1rem; line-height: 1.5; text-align: justify; }
.preview-pager { display: flex; justify-content: space-between; gap: 1rem; max-width: 36em; margin: 1.2rem auto 0; font-family: system-ui, sans-serif; font-size: 0.9rem; }
.preview-pager a { color: #4a4656; }
.preview-problems { max-width: 36em; margin: 1.5rem auto 0; font-family: system-ui, sans-serif; text-align: left; }
.preview-message h1 { text-align: left; }
.preview-problem-list { list-style: none; padding: 0; margin: 1em 0 0; }
.preview-problem-list li { margin: 0 0 0.9em; padding: 0.6em 0.8em; border-left: 4px solid #b3261e; background: #fbeeee; font-size: 0.95rem; }
.preview-problem-list li.preview-warning { border-color: #a86b00; background: #fff6e0; }
.preview-where { font-weight: bold; }
.preview-severity { text-transform: uppercase; font-size: 0.75em; letter-spacing: 0.05em; }
.preview-rule { opacity: 0.7; }
.preview-note { margin: 0.4em 0 0; text-indent: 0; white-space: pre-wrap; font-size: 0.9em; opacity: 0.85; }
@media (max-width: 50rem) {
  body.preview { display: block; }
  .preview-sidebar { position: static; width: auto; height: auto; }
  .preview-page { padding: 2em 1.5em; }
}
`
