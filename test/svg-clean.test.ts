// SVG images made safe: scripts, handlers, embedded HTML and outside references go, the drawing
// stays; doctype entities are expanded only when plain and bounded; what cannot be made safe is
// refused. Every cleaned SVG is parsed again by a strict XML parser.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {parseXml} from '@rgrove/parse-xml'
import {cleanSvg, entityTextLimit, type CleanedSvg} from '../src/project/assets/svg-clean.js'
import {checkImageBytes} from '../src/shared/image-bytes.js'

const svgNs = 'xmlns="http://www.w3.org/2000/svg"'
const encode = (text: string) => new TextEncoder().encode(text)

function cleaned(text: string): {xml: string; reasons: string[]} {
  const result: CleanedSvg = cleanSvg(encode(text), 'drawing.svg')
  assert.ok(!('refused' in result), `not refused: ${'refused' in result ? result.refused.reason : ''}`)
  const xml = new TextDecoder().decode(result.bytes)
  parseXml(xml)
  return {xml, reasons: result.problems.map((problem) => problem.reason)}
}

function refused(text: string): string {
  const result = cleanSvg(encode(text), 'drawing.svg')
  assert.ok('refused' in result, 'refused')
  assert.equal(result.refused.ruleId, 'image-format')
  return result.refused.reason
}

test('scripts, handlers, embedded HTML, links and references outside the file are removed; the drawing stays', () => {
  const {xml, reasons} = cleaned(
    `<?xml version="1.0"?>\n<?xml-stylesheet href="http://example.com/s.css"?>\n<svg ${svgNs} xmlns:x="http://www.w3.org/1999/xlink" width="10" height="10" onload="alert(1)">\n` +
      `<script>alert(1)</script><circle r="4" onclick="x()" fill="url(#g)"/>\n` +
      `<image x:href="http://example.com/a.png"/><use href="other.svg#a"/><image href="data:image/png;base64,iVBORw0KGgo="/>\n` +
      `<a x:href="javascript:alert(1)"><rect width="1" height="1"/></a><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>\n` +
      `<style><![CDATA[@import url(http://example.com/x.css); rect { fill: url(http://example.com/p.svg#g); stroke: red }]]></style><path d="M0 0" style="fill: url(file:///etc/passwd); stroke: blue"/>\n` +
      `<set attributeName="x:href" to="javascript:alert(1)"/><linearGradient id="g" x:href="http://example.com/g.svg#h"/></svg>`
  )
  assert.equal(
    xml,
    `<?xml version="1.0" encoding="UTF-8"?>\n<svg ${svgNs} xmlns:x="http://www.w3.org/1999/xlink" width="10" height="10">\n<circle r="4" fill="url(#g)" />\n<image href="data:image/png;base64,iVBORw0KGgo=" />\n<rect width="1" height="1" />\n<style>rect { stroke: red; }</style><path d="M0 0" style="stroke: blue" />\n<linearGradient id="g" /></svg>\n`
  )
  assert.deepEqual(reasons, [
    "SVG image `drawing.svg`, line 2: A stylesheet link was removed: a book's images cannot load anything",
    'SVG image `drawing.svg`, line 3: Event handler `onload` on `<svg>` was removed: e-books do not run scripts',
    'SVG image `drawing.svg`, line 4: `<script>` was removed: e-books cannot run scripts',
    'SVG image `drawing.svg`, line 4: Event handler `onclick` on `<circle>` was removed: e-books do not run scripts',
    'SVG image `drawing.svg`, line 5: The reference to `http://example.com/a.png` was removed: a book cannot load anything from the web',
    'SVG image `drawing.svg`, line 5: The reference to `other.svg#a` was removed: only what is inside the SVG file itself goes into the book',
    'SVG image `drawing.svg`, line 6: A `javascript:` URL was removed: e-books do not run scripts',
    'SVG image `drawing.svg`, line 6: A link was removed: links inside an image cannot be followed in a book; what it draws is kept',
    "SVG image `drawing.svg`, line 6: `<foreignObject>` was removed: a book's images hold drawing only, not embedded pages or media",
    'SVG image `drawing.svg`, line 7: `@import` of `http://example.com/x.css` is left out of the books: a book cannot load anything from the web',
    'SVG image `drawing.svg`, line 7: The reference to `http://example.com/p.svg#g` was removed: a book cannot load anything from the web',
    'SVG image `drawing.svg`, line 7: The reference to `file:///etc/passwd` was removed: a `file:` address names a file on the computer that made the drawing',
    'SVG image `drawing.svg`, line 8: `<set>` changing a link was removed: it could turn a link into a script',
    'SVG image `drawing.svg`, line 8: The reference to `http://example.com/g.svg#h` was removed: a book cannot load anything from the web'
  ])
})

test('the same removal many times is one message with a count', () => {
  const {reasons} = cleaned(`<svg ${svgNs}>${'<circle r="1" onclick="x()"/>'.repeat(5)}</svg>`)
  assert.deepEqual(reasons, [
    'SVG image `drawing.svg`, line 1: Event handler `onclick` on `<circle>` was removed (and 4 more like it): e-books do not run scripts'
  ])
})

test('a doctype with an internal subset is valid SVG: plain entities are expanded and the doctype goes', () => {
  const text = `<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [\n  <!ENTITY ns_svg "http://www.w3.org/2000/svg">\n  <!ENTITY ns_xlink "http://www.w3.org/1999/xlink">\n  <!ENTITY nbsp "&#160;">\n  <!ENTITY arrow "->">\n  <!ENTITY % unused SYSTEM "x.dtd">\n]>\n<svg xmlns="&ns_svg;" xmlns:xlink="&ns_xlink;" width="10" height="10"><text>a&nbsp;b &arrow; c ]]&gt;</text></svg>`
  assert.equal(checkImageBytes('drawing.svg', encode(text)), undefined, 'the signature check reads past the subset')
  const {xml, reasons} = cleaned(text)
  assert.equal(
    xml,
    '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><text>a\u00a0b -> c ]]&gt;</text></svg>\n'
  )
  assert.deepEqual(reasons, [])
})

test('an SVG 1.1 file relying on its doctype for the namespaces gets them on its root', () => {
  const {xml} = cleaned(
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg width="1" height="1"><use xlink:href="#a"/></svg>'
  )
  assert.equal(
    xml,
    `<?xml version="1.0" encoding="UTF-8"?>\n<svg width="1" height="1" ${svgNs} xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="#a" /></svg>\n`
  )
})

test('entities that nest, come from outside or expand past the bound are refused, quickly', () => {
  const laughs = `<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><svg ${svgNs}><text>&c;</text></svg>`
  const started = performance.now()
  assert.match(refused(laughs), /uses the entity `&c;`, whose text refers to other entities/)
  assert.match(
    refused(`<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg ${svgNs}><text>&x;</text></svg>`),
    /uses the entity `&x;`, which is defined outside the file/
  )
  const big = 'x'.repeat(10_000)
  const references = '&big;'.repeat(Math.ceil(entityTextLimit / big.length) + 1)
  assert.match(
    refused(`<!DOCTYPE svg [<!ENTITY big "${big}">]><svg ${svgNs}><text>${references}</text></svg>`),
    /expands its entities to more than 1 million characters/
  )
  assert.ok(performance.now() - started < 2000, 'refusing takes no time')
  // A plain entity used within the bound is fine.
  cleaned(`<!DOCTYPE svg [<!ENTITY big "${big}">]><svg ${svgNs}><text>${'&big;'.repeat(10)}</text></svg>`)
})

test('what is not well-formed XML, or not an SVG drawing, is refused with its line', () => {
  assert.match(
    refused(`<svg ${svgNs}>\n<g><circle r="1"></svg>`),
    /^`drawing.svg` is not well-formed XML \(line 2, column \d+: .+\); e-readers cannot show it safely$/
  )
  assert.match(refused(`<svg ${svgNs}><text>&undefined;</text></svg>`), /not well-formed XML \(line 1, column \d+: Named entity isn't defined: &undefined;\)/)
  assert.match(refused('<svg xmlns="http://example.com/not-svg"/>'), /is not an SVG drawing/)
  assert.match(refused('<svg xmlns="http://www.w3.org/2000/svg"><p:x/></svg>'), /uses the undeclared prefix `p:`/)
})

test('an SVG in the encoding its XML declaration names is read, and written as UTF-8; the same bytes give the same bytes', () => {
  const latin1 = Uint8Array.from([...`<?xml version="1.0" encoding="ISO-8859-1"?><svg ${svgNs}><text>caf\xe9</text></svg>`].map((c) => c.charCodeAt(0)))
  const once = cleanSvg(latin1, 'drawing.svg')
  assert.ok(!('refused' in once))
  assert.match(new TextDecoder().decode(once.bytes), /<text>café<\/text>/)
  const twice = cleanSvg(latin1, 'drawing.svg')
  assert.ok(!('refused' in twice) && Buffer.from(twice.bytes).equals(Buffer.from(once.bytes)))
})
