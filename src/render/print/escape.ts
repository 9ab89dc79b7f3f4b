// Text into Typst: markup with every character Typst treats as markup escaped, and string
// literals. Typst's `\X` gives X for any character that is not a space, so the escaper can be
// wide (it also takes the characters that only mean something after an embedded expression:
// `(`, `[`, `.`, `;`). Pure.

const markup = /[\\#*_`$<>@[\]();~/=\-+.:'"]/g
// Control characters have no glyph; a tab or line break inside inline text is a space.
const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

/** Inline text as Typst markup that shows exactly these characters (runs of white space become one space). */
export function escapeMarkup(text: string): string {
  return text
    .replace(controls, '')
    .replace(/[\t\n\r ]+/g, ' ')
    .replace(markup, '\\$&')
}

/** A Typst string literal. (JSON's `\uXXXX` is not Typst's escape, so this is not JSON.stringify.) */
export function typstString(text: string): string {
  return `"${text
    .replace(/[\\"]/g, '\\$&')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(controls, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`)}"`
}

/** A Typst label name for a file name: letters, digits and hyphens. */
export function labelFor(file: string): string {
  return `p-${file.replace(/\.xhtml$/, '').replace(/[^A-Za-z0-9-]/g, '-')}`
}
