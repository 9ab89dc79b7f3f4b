// The safety net under the message catalogue: fast-check writes random reviews (Markdown,
// raw HTML good and hostile, shortcodes, entities, any Unicode, odd front matter) and the
// build must either write books that EPUBCheck passes or report positioned problems, never
// crash and never write an invalid book. CI runs a bounded number of cases with a fixed
// seed; `FUZZ_RUNS=2000 npm run fuzz` runs more (FUZZ_SEED picks another seed). A failure
// saves the shrunk case under test/fixtures/fuzz/, where a test runs every case ever found.
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {existsSync, readdirSync} from 'node:fs'
import {cp, mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {test} from 'node:test'
import fc from 'fast-check'
import {build} from '../src/index.js'
import {epubcheck, epubcheckAvailable} from './helpers/epubcheck.js'
import {fixturesDir, makeProject, removeDir, tempDir, tinyPng} from './helpers/project.js'

const runs = Number(process.env.FUZZ_RUNS ?? 200)
const seed = Number(process.env.FUZZ_SEED ?? 20261125)

const words = fc.constantFrom(
  'film',
  'Kurosawa',
  'Amélie',
  'Kyō',
  'naïve',
  'Zoë',
  '東京物語',
  'مرحبا',
  'שלום',
  '🎬',
  'e\u0301',
  'x\u200by',
  '"quoted"',
  "it's",
  '--',
  '...',
  '&',
  '<',
  '>',
  '*',
  '_',
  '`',
  '|',
  '\\',
  '[',
  ']',
  '#'
)
const sentence = fc
  .array(
    fc.oneof(
      {weight: 4, arbitrary: words},
      {weight: 1, arbitrary: fc.string({maxLength: 12})},
      {weight: 1, arbitrary: fc.string({unit: 'grapheme', maxLength: 6})}
    ),
    {minLength: 1, maxLength: 12}
  )
  .map((parts) => parts.join(' '))

const rawHtml = fc.constantFrom(
  '<script>alert(1)</script>',
  '<iframe src="https://example.com"></iframe>',
  '<form action="/x"><input name="q"></form>',
  '<style>body{color:red}</style>',
  '<a href="javascript:alert(1)">x</a>',
  '<img src="x.png" onerror="alert(1)">',
  '<a href="data:text/html,hi">d</a>',
  '<span data-x="1">span</span>',
  '<!-- a comment -->',
  '<center>centred</center>',
  '<font color="red">font</font>',
  '<u>under</u>',
  '<p>unclosed',
  'a<br>b',
  '&nbsp;&hellip;&copy;&mdash;&bogus;',
  '<div><p>nested</div>',
  '<table><tr><td>cell</table>',
  '<svg><circle r="1"/></svg>',
  '<math><mi>x</mi></math>',
  '<details><summary>s</summary>d</details>',
  '</p></div>',
  '<b><i>misnested</b></i>'
)

const shortcodes = fc.constantFrom(
  '{{< youtube abc >}}',
  '{{< youtube id="abc?start=75" >}}',
  '{{% note %}}hi{{% /note %}}',
  '{% include x.html %}',
  '{{ page.title }}',
  '[her]({{< relref "b.md" >}})',
  '[post]({% post_url 2019-03-14-b %})'
)

// Links and ids as real blog archives and careless pastes have them (issue 11).
const idsAndLinks = fc.constantFrom(
  '<span id="top">a</span> <span id="top">b</span> [up](#top)',
  '<a id="fn-1">clash</a> with a note[^1]\n\n[^1]: The note.',
  '<p id="fnref-1">x</p><p id="footnote-label">y</p><p id="">z</p><p id=" spaced id ">w</p>',
  '[top](#top) [nowhere](#nowhere) [empty](#) [fn](#fn-1)',
  '[site](/film/reviews/some-film) [dated](/2019/03/14/her/) [proto](//host/x) [site url](https://myblog.example/reviews/b/)',
  '[notes](notes.html) [up](../volumes.yaml) [img](still.png) [sp](some%20file.txt) [q](?x=1)',
  '[bad](%zz) <a href="https://example.com/a b">sp</a> <a href="\\\\server\\share">unc</a> [js](javascript:alert(1)) [file](file:///etc/passwd)',
  '[mail](mailto:a@example.com) [bad mail](mailto:x) [b](b.md) [b escaped](%62.md) [B](B.md) [b frag](b.md#frag)',
  'text ](y) after a bracket, and [x](y z) with a space',
  '<a href="#x" id="x">self</a> <a name="n">named</a> <img src="file:///x.png" alt="x">',
  '<b>&#1;&#x1F;&#xFFFF;&#0;</b> character references to controls'
)

const block = fc.oneof(
  {weight: 3, arbitrary: sentence},
  sentence.map((text) => `# ${text}`),
  sentence.map((text) => `### ${text}`),
  sentence.map((text) => `> ${text}`),
  fc.array(sentence, {minLength: 1, maxLength: 4}).map((items) => items.map((item) => `- ${item}`).join('\n')),
  fc.array(sentence, {minLength: 1, maxLength: 3}).map((items) => items.map((item, index) => `${index + 3}. ${item}`).join('\n')),
  sentence.map((text) => `| a | b |\n|:--|--:|\n| ${text.replace(/\|/g, '')} | 2 |`),
  sentence.map((text) => `${text}[^n]\n\n[^n]: ${text}`),
  sentence.map((text) => `*${text}* **${text}** ~~${text}~~ \`${text}\``),
  sentence.map((text) => `[${text}](https://example.com/${encodeURIComponent(text)}) and [a review](b.md)`),
  fc.constant('![A still](still.png)'),
  fc.constant('![A drawing](pic.svg)'),
  fc.constant('***'),
  fc.constant('---'),
  fc.constant('- [ ] todo\n- [x] done'),
  fc.constant('```\ncode <b>\n```'),
  rawHtml,
  shortcodes,
  idsAndLinks,
  // Any code points at all: control characters are an error with their place.
  fc.string({unit: 'binary', maxLength: 40})
)

const body = fc.array(block, {minLength: 0, maxLength: 8}).map((blocks) => blocks.join('\n\n'))

// Mostly good front matter, sometimes bad: a case with an error stops before EPUBCheck.
const rarely = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({weight: 9, arbitrary: good}, {weight: 1, arbitrary: bad})
const frontMatter = fc.record({
  title: rarely(
    sentence.map((text) => JSON.stringify(text)),
    fc.constantFrom('1917', 'true', '"Star Wars: A New Hope"', "'It''s'", 'null', '[a, b]', '')
  ),
  year: rarely(fc.integer({min: 1890, max: 2030}).map(String), fc.constantFrom('', 'soon', '1800', '1999')),
  rating: rarely(
    fc.integer({min: 0, max: 10}).map((n) => String(n / 2)),
    fc.constantFrom('', 'five', '-1', '7')
  ),
  published: rarely(
    fc.constantFrom('2021-03-14', '2025-10-30 00:37:58+09:00', '14th March 2021', 'March 14, 2021', ''),
    fc.constantFrom('2023-02-30', 'yesterday')
  ),
  extra: fc.constantFrom(
    '',
    'draft: false',
    'rewatch: Yes',
    'layout: post',
    'directer: X',
    'tags: [a, b]',
    'director: [Jane Doe, 黒澤 明]',
    'director: "Ann\\0Example"',
    'tags: ["a\\fb"]',
    'slug: b',
    'permalink: /2019/03/14/b/',
    'aliases: [/old/b/, b-old]',
    'sort: "\\x07"',
    'title_alt: !!binary SGVsbG8='
  )
})

const reviewText = fc
  .tuple(frontMatter, body)
  .map(([meta, text]) => `---\ntitle: ${meta.title}\nyear: ${meta.year}\nrating: ${meta.rating}\npublished: ${meta.published}\n${meta.extra}\n---\n\n${text}\n`)

// SVG images and the author's stylesheet, clean and hostile (issue 11): scripts, handlers,
// remote references, entities, doctypes, CSS that cannot be read or loads from the web.
const svgPart = fc.constantFrom(
  '<circle r="4" fill="red"/>',
  '<script>alert(1)</script>',
  '<rect onload="x()" width="2" height="2"/>',
  '<image href="https://example.com/x.png" width="1" height="1"/>',
  '<use xlink:href="http://example.com/s.svg#a"/>',
  '<foreignObject><iframe src="https://example.com"/></foreignObject>',
  '<style>@import url(https://example.com/a.css); circle { fill: url(http://x/y) }</style>',
  '<a href="javascript:alert(1)"><text>t</text></a>',
  '<text>&ent;</text>',
  '<set attributeName="href" to="javascript:x"/>'
)
const svgText = fc
  .tuple(
    fc.constantFrom(
      '',
      '<?xml version="1.0"?>\n',
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n',
      '<!DOCTYPE svg [<!ENTITY ent "an entity"> ]>\n'
    ),
    fc.array(svgPart, {maxLength: 4})
  )
  .map(
    ([head, parts]) =>
      `${head}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10" viewBox="0 0 10 10">${parts.join('')}</svg>\n`
  )
const cssPart = fc.constantFrom(
  'p { color: red }',
  '@import url(https://example.com/x.css);',
  'body { background: url(file:///etc/hosts) }',
  'h1 { background: url(missing.png) }',
  'h1 { background: url(../reviews/still.png) }',
  '</style><script>alert(1)</script>',
  'p { direction: rtl }',
  '@media screen { p { margin: calc(1em + (2px * 3)) } }',
  'p { color: red /* unclosed',
  '}}}',
  '@font-face { font-family: X; src: url(x.woff2) }',
  '{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{'
)
const cssText = fc.array(cssPart, {maxLength: 5}).map((parts) => parts.join('\n'))

const manifestText =
  'series: Fuzz Series\nauthor: Ada Critic\nlanguage: en-GB\nsite: https://myblog.example\nstylesheet: style/extra.css\nvolumes:\n  - number: 1\n    title: Fuzzed\n    reviews: [a.md, b.md]\n'
const foundDir = path.join(fixturesDir, 'fuzz')

/** The property: the build writes a book EPUBCheck passes, or reports positioned errors and writes nothing. */
async function holds(project: string, check: boolean, cache?: string): Promise<'clean' | 'reported'> {
  const result = await build({cwd: project, sourceDateEpoch: '1700000000', collection: false, ...(cache ? {cache} : {})})
  const messages = result.files.flatMap((file) => file.messages.map((message) => ({file: file.path, message})))
  for (const {file, message} of messages) {
    if (file.startsWith('reviews/')) assert.ok(message.line !== undefined, `${file}: "${message.reason}" (${message.ruleId}) has a line`)
  }
  if (!result.written) {
    assert.ok(
      messages.some(({message}) => message.fatal === true),
      'nothing written means an error was reported'
    )
    return 'reported'
  }
  if (check) {
    const report = await epubcheck(path.join(project, 'dist', 'fuzz-series-volume-01.epub'))
    assert.deepEqual(report.messages, [], 'EPUBCheck finds nothing')
  }
  return 'clean'
}

const projectFiles = (first: string, second: string, svg: string, css: string) => ({
  'volumes.yaml': manifestText,
  'reviews/a.md': first,
  'reviews/b.md': second,
  'reviews/still.png': tinyPng,
  'reviews/pic.svg': svg,
  'style/extra.css': css
})

test(
  `random reviews (${runs} cases, seed ${seed}) never crash: books pass EPUBCheck, or every problem is positioned`,
  {timeout: Math.max(900_000, runs * 3000)},
  async (t) => {
    const check = epubcheckAvailable(t)
    let clean = 0
    let reported = 0
    // One content-hash cache for every case: each has the same cover, drawn once (a quarter of
    // a case's time otherwise); the random reviews miss it, and are converted as without it.
    const cache = await tempDir('fuzz-cache-')
    t.after(() => removeDir(cache))
    const details = await fc.check(
      fc.asyncProperty(reviewText, reviewText, svgText, cssText, async (first, second, svg, css) => {
        const project = await makeProject(projectFiles(first, second, svg, css))
        try {
          if ((await holds(project, check, cache)) === 'clean') clean++
          else reported++
        } finally {
          await removeDir(project)
        }
      }),
      {numRuns: runs, seed, endOnFailure: true}
    )
    if (details.failed && details.counterexample) {
      // Every failure becomes a fixture: the shrunk case is saved where the regression test below runs it.
      const [first, second, svg, css] = details.counterexample
      const name = `seed-${seed}-${createHash('sha256').update(first).update(second).update(svg).update(css).digest('hex').slice(0, 8)}`
      for (const [file, content] of Object.entries(projectFiles(first, second, svg, css))) {
        await mkdir(path.dirname(path.join(foundDir, name, file)), {recursive: true})
        await writeFile(path.join(foundDir, name, file), content)
      }
      assert.fail(
        `fuzz found a failure (seed ${seed}, path ${details.counterexamplePath}), saved as test/fixtures/fuzz/${name}: fix it and commit the fixture.\n${String(details.errorInstance)}`
      )
    }
    assert.ok(!details.failed, `fast-check failed without a counterexample: ${String(details.errorInstance)}`)
    process.stderr.write(`fuzz: ${runs} cases, seed ${seed}: ${clean} built books that EPUBCheck passed, ${reported} reported positioned errors\n`)
    assert.equal(clean + reported, runs)
    assert.ok(clean > 0, 'some cases build books')
  }
)

// Each case fuzzing ever failed on, kept as a fixture: it must hold for good.
for (const name of existsSync(foundDir) ? readdirSync(foundDir).sort() : []) {
  test(`fuzz fixture ${name} holds`, async (t) => {
    const project = await tempDir('fuzz-')
    try {
      await cp(path.join(foundDir, name), project, {recursive: true})
      await holds(project, epubcheckAvailable(t))
    } finally {
      await removeDir(project)
    }
  })
}
