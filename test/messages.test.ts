// Every diagnostic rule id has a fixture under test/fixtures/messages/<rule-id>[--variant]/
// that triggers exactly that rule; its report (message and position) is the golden
// expected.txt. Books a fixture still builds are held to EPUBCheck.
import assert from 'node:assert/strict'
import {existsSync, readdirSync} from 'node:fs'
import {readFile, readdir} from 'node:fs/promises'
import path from 'node:path'
import {test} from 'node:test'
import {build, formatProblems} from '../src/index.js'
import {matchGolden} from './helpers/golden.js'
import {epubcheck, epubcheckAvailable} from './helpers/epubcheck.js'
import {fixturesDir, removeDir, tempDir} from './helpers/project.js'

const messagesDir = path.join(fixturesDir, 'messages')
const srcDir = path.join(fixturesDir, '..', '..', 'src')

// Rules no input can trigger on purpose, each tested elsewhere: a converter crash becomes a
// message; the store guards on what the tool itself generates (series name on the title page,
// notes linked both ways) and a book over a store's size limit (hundreds of megabytes) are
// exercised on hand-made books in preflight.test.ts.
// EPUBCheck's own findings (`--epubcheck`) need a broken EPUB, which the tool never writes.
const withoutFixture = new Set(['unprocessable-review', 'store-series', 'store-footnote', 'book-size', 'epubcheck'])

test('every rule id in the source has a fixture, and every fixture names a rule in the source', async () => {
  const sources = await readdir(srcDir, {recursive: true})
  const rules = new Set<string>()
  for (const name of sources.filter((file) => file.endsWith('.ts'))) {
    for (const match of (await readFile(path.join(srcDir, name), 'utf8')).matchAll(/ruleId: '([a-z-]+)'/g)) rules.add(match[1]!)
  }
  const fixtures = new Set(readdirSync(messagesDir).map((name) => name.split('--')[0]!))
  assert.deepEqual([...rules].filter((rule) => !fixtures.has(rule) && !withoutFixture.has(rule)).sort(), [], 'rules without a fixture')
  assert.deepEqual([...fixtures].filter((rule) => !rules.has(rule)).sort(), [], 'fixtures for rules the source does not have')
})

for (const name of readdirSync(messagesDir).sort()) {
  const rule = name.split('--')[0]!
  test(`fixture ${name} reports rule \`${rule}\` with its golden message and position`, async (t) => {
    const dir = path.join(messagesDir, name)
    const optionsFile = path.join(dir, 'options.json')
    // options.json: build options for the case; `"manifestOutput": true` keeps the manifest's own `output`;
    // `"alsoRules"` names rules that always come with this one (a draft volume's drafts).
    const {manifestOutput, alsoRules = [], ...options} = existsSync(optionsFile) ? (JSON.parse(await readFile(optionsFile, 'utf8')) as {volumes?: number[]; drafts?: boolean; manifestOutput?: boolean; alsoRules?: string[]}) : {}
    const out = await tempDir('out-')
    try {
      const result = await build({cwd: dir, out: manifestOutput ? undefined : out, sourceDateEpoch: '1700000000', ...options})
      const text = formatProblems(result.files, {color: false, quiet: false}).split(dir).join('<project>')
      await matchGolden(`${text}\n`, path.join(dir, 'expected.txt'))
      const messages = result.files.flatMap((file) => file.messages)
      assert.ok(messages.length > 0, 'the fixture must trigger at least one message')
      assert.deepEqual([...new Set(messages.map((message) => message.ruleId))].sort(), [rule, ...alsoRules].sort(), 'the fixture triggers exactly its own rule')
      const errors = messages.some((message) => message.fatal === true)
      const written = await readdir(out)
      if (errors) {
        assert.equal(result.written, false)
        assert.deepEqual(written, [], 'nothing is written when there are errors')
      } else if (epubcheckAvailable(t)) {
        assert.ok(written.length > 0, 'a build with only warnings still writes its books')
        for (const file of written) {
          const check = await epubcheck(path.join(out, file))
          assert.deepEqual(check.messages, [], `EPUBCheck on ${file}`)
        }
      }
    } finally {
      await removeDir(out)
    }
  })
}
