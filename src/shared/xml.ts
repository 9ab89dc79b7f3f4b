// Small XML helpers shared by the page and package renderers, and what XML can hold. Pure.

/** Characters XML (so EPUB) cannot hold at all, besides the surrogates a JavaScript string keeps apart (DEL and U+FFFE/F too). */
export const forbiddenCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/

/** A character as `U+0007`. */
export function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
}

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
