// Counting how deep HTML nests without building a tree, for the linear checks that run before
// a parser does (reviews' raw HTML, imported posts): which tags open a level, and the pattern
// of a start or end tag. Pure.

/** Elements whose end tag may be left out, and void ones: they do not nest the way open tags suggest. */
export const notNesting: ReadonlySet<string> = new Set([
  'p',
  'li',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'tfoot',
  'option',
  'optgroup',
  'colgroup',
  'caption',
  'rt',
  'rp',
  'html',
  'head',
  'body',
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
  'param',
  'keygen'
])

/** A start or end tag: 1 the slash of an end tag, 2 the name, 3 the slash of a self-closing one. */
export const tagSource = '<(\\/?)([A-Za-z][A-Za-z0-9-]*)\\b[^<>]*?(\\/?)>'
