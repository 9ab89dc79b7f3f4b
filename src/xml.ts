// Small XML helpers shared by the page and package renderers. Pure.

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

export interface XhtmlDocument {
  title: string
  language: string
  body: string
  bodyType?: string | undefined
  bodyClass?: string | undefined
}

/** A complete EPUB 3 content document around `body`. */
export function xhtmlDocument(doc: XhtmlDocument): string {
  const language = escapeXml(doc.language)
  const bodyAttributes = [doc.bodyType ? ` epub:type="${escapeXml(doc.bodyType)}"` : '', doc.bodyClass ? ` class="${escapeXml(doc.bodyClass)}"` : ''].join('')
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="${language}" xml:lang="${language}">
<head>
<meta charset="UTF-8"/>
<title>${escapeXml(doc.title)}</title>
<link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body${bodyAttributes}>
${doc.body}
</body>
</html>
`
}
