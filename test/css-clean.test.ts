// The author's CSS printed again from css-tree's tree: whatever goes in, what comes out holds no
// `<`, parses without an error, and prints the same again; url()s go where the caller says.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {parse} from 'css-tree'
import {cssUrls, parseCss, printCss, type UrlDecision} from '../src/project/assets/css-clean.js'
import {checkFontBytes, fontMediaType} from '../src/shared/fonts.js'
import {random} from './helpers/random.js'

const keep = (): UrlDecision => ({href: 'images/kept.png'})

function clean(text: string, decide: (url: string) => UrlDecision = keep) {
  return printCss(parseCss(text), decide)
}

function parseErrors(text: string): string[] {
  const errors: string[] = []
  parse(text, {onParseError: (error) => errors.push(`${error.line}:${error.column} ${error.message}`)})
  return errors
}

const pieces = [
  'p',
  'h1.x',
  ' ',
  '{',
  '}',
  ';',
  ':',
  'color',
  'red',
  '"',
  "'",
  '</style>',
  '<script>',
  'alert(1)',
  '/*',
  '*/',
  '@media screen',
  '@import',
  '@font-face',
  'url(',
  ')',
  'a.png',
  '\n',
  '--x',
  '!important',
  '\\',
  '<!--',
  '-->',
  ',',
  'rgb(1,2,3)',
  '@page',
  '#f',
  'direction',
  '[',
  ']',
  '('
]

test('whatever the author writes, the printed CSS holds no `<`, parses cleanly and prints the same again', () => {
  const next = random(11)
  const inputs = [
    'p { color: red }\n</style><script>alert(1)</script>\nq { color: blue }',
    ':root { --x: </style>; } p::before { content: "</style>" }',
    'p { color: red /* never closed',
    'p::before { content: "abc\n}',
    '}}} p { x: y }'
  ]
  for (let n = 0; n < 400; n++) inputs.push(Array.from({length: 1 + Math.floor(next() * 30)}, () => pieces[Math.floor(next() * pieces.length)]).join(''))
  for (const input of inputs) {
    const {css} = clean(input)
    assert.ok(!css.includes('<'), `no \`<\` in the output of ${JSON.stringify(input)}: ${css}`)
    assert.deepEqual(parseErrors(css), [], `the output of ${JSON.stringify(input)} parses: ${css}`)
    assert.equal(clean(css).css, css, `printing is stable for ${JSON.stringify(input)}`)
  }
})

test("a rule keeps its declarations in the author's order; one that cannot be read goes, with its place", () => {
  const {css, problems} = clean('h1 { letter-spacing: 0.05em; margin: 1px 2px !important }\np { color: </style>; margin: 0 }\nh2 { width: ; color: red }\n')
  assert.equal(css, 'h1 { letter-spacing: 0.05em; margin: 1px 2px !important; }\np { margin: 0; }\nh2 { color: red; }\n')
  assert.deepEqual(
    problems.map((problem) => [problem.ruleId, 'line' in problem.place! ? problem.place.line : problem.place!.start.line]),
    [
      ['stylesheet-syntax', 2],
      ['stylesheet-syntax', 3]
    ]
  )
})

test('url()s are decided by the caller: pointed elsewhere, or dropped with their declaration; a font source list loses only the dropped font', () => {
  const text =
    '@font-face { font-family: F; src: url(f.woff2) format("woff2"), url(gone.woff) format("woff") }\nbody { background: url(paper.png) repeat; color: #333 }\np { background: url(https://example.com/x.png) }\nq { filter: url(#blur) }\n'
  assert.deepEqual(
    cssUrls(parseCss(text)).map((url) => `${url.url}@${url.place.start.line}:${url.place.start.column}`),
    ['f.woff2@1:35', 'gone.woff@1:65', 'paper.png@2:20', 'https://example.com/x.png@3:17']
  )
  const decide = (url: string): UrlDecision =>
    url === 'f.woff2'
      ? {href: 'fonts/f-1.woff2'}
      : url === 'paper.png'
        ? {href: 'images/paper-2.png'}
        : {drop: {reason: `no ${url}`, ruleId: 'stylesheet-resource', severity: 'warning'}}
  const {css, problems} = clean(text, decide)
  assert.equal(
    css,
    '@font-face { font-family: F; src: url(fonts/f-1.woff2) format("woff2"); }\nbody { background: url(images/paper-2.png) repeat; color: #333; }\np { }\nq { filter: url(#blur); }\n'
  )
  assert.deepEqual(
    problems.map((problem) => problem.reason),
    ['no gone.woff', 'no https://example.com/x.png']
  )
  // With no source left, the @font-face goes too (EPUBCheck warns about an empty one).
  assert.equal(clean('@font-face { font-family: F; src: url(gone.woff) }', decide).css, '')
})

test('@import and @charset never reach the book; `direction` and `unicode-bidi` are left out', () => {
  const {css, problems} = clean(
    '@charset "UTF-8";\n@import "other.css";\n@import url(https://example.com/a.css);\np { direction: rtl; unicode-bidi: embed; color: red }\n'
  )
  assert.equal(css, 'p { color: red; }\n')
  assert.deepEqual(
    problems.map((problem) => problem.ruleId),
    ['stylesheet-resource', 'stylesheet-resource', 'stylesheet-property', 'stylesheet-property']
  )
})

test('fonts are known by extension and checked by their first bytes', () => {
  assert.deepEqual(['a.woff2', 'a.WOFF', 'a.otf', 'a.ttf', 'a.eot'].map(fontMediaType), ['font/woff2', 'font/woff', 'font/otf', 'font/ttf', undefined])
  const bytes = (head: string) => Uint8Array.from([...head].map((c) => c.charCodeAt(0)).concat(new Array(20).fill(0)))
  assert.equal(checkFontBytes('a.woff2', bytes('wOF2')), undefined)
  assert.equal(checkFontBytes('a.otf', bytes('OTTO')), undefined)
  assert.equal(checkFontBytes('a.ttf', bytes('\0\u0001\0\0')), undefined)
  assert.equal(checkFontBytes('a.woff2', bytes('wOFF')), '`a.woff2` is not really a WOFF2 font')
  assert.equal(checkFontBytes('a.ttf', bytes('<html>')), '`a.ttf` is not really a TrueType font')
})

test('CSS nested thousands deep (at-rules, blocks, functions) is left out with one positioned warning, in milliseconds, never a stack overflow', () => {
  for (const text of ['@media screen{'.repeat(5000), 'a{'.repeat(10_000), `p { width: ${'calc('.repeat(20_000)} }`, `p{}\n${'['.repeat(40)}`]) {
    const started = performance.now()
    const {css, problems} = clean(text)
    assert.ok(performance.now() - started < 500, 'fast')
    assert.equal(css, '')
    assert.equal(problems.length, 1)
    assert.equal(problems[0]!.ruleId, 'stylesheet-syntax')
    assert.match(problems[0]!.reason, /nested more than 32 levels deep/)
    assert.ok(problems[0]!.place && 'line' in problems[0]!.place, 'positioned')
  }
  // Ordinary nesting stays: an at-rule holding rules holding a function.
  assert.equal(clean('@media screen { @supports (display: grid) { p { width: calc(100% - (2 * 1em)) } } }').problems.length, 0)
})
