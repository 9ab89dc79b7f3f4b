// Temporary fixture projects: from an object literal (small inline cases, changesets'
// `testdir`) or by copying a folder under test/fixtures/. Each lives under test/.tmp/.
import {cp, mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * Under `npm test` (tools/run-compiled.mjs compiles src/ and test/ into
 * BUILD_VOLUMES_TEST_COMPILED), the compiled copy of the repository's `source` (.ts), to run in
 * plain Node; otherwise undefined (run the source through tsx).
 */
export function compiledCopy(source: string): string | undefined {
  const compiled = process.env.BUILD_VOLUMES_TEST_COMPILED
  return compiled ? path.join(compiled, path.relative(repoRoot, source)).replace(/\.ts$/, '.js') : undefined
}
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures')
const tmpRoot = path.join(repoRoot, 'test', '.tmp')

export async function tempDir(prefix = 'case-'): Promise<string> {
  await mkdir(tmpRoot, {recursive: true})
  return mkdtemp(path.join(tmpRoot, prefix))
}

export async function makeProject(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await tempDir()
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(dir, name)
    await mkdir(path.dirname(target), {recursive: true})
    await writeFile(target, content)
  }
  return dir
}

/** A copy of the repository's own sample series (volumes.yaml + reviews/). */
export async function copySample(): Promise<string> {
  const dir = await tempDir('sample-')
  await cp(path.join(repoRoot, 'volumes.yaml'), path.join(dir, 'volumes.yaml'))
  await cp(path.join(repoRoot, 'reviews'), path.join(dir, 'reviews'), {recursive: true})
  return dir
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, {recursive: true, force: true})
}

/** A review file with front matter. */
export function review(meta: Record<string, string | number>, body: string): string {
  const lines = Object.entries(meta).map(([key, value]) => `${key}: ${value}`)
  return `---\n${lines.join('\n')}\n---\n\n${body}\n`
}

/** The smallest manifest: one volume holding `reviews`. */
export function manifest(reviews: string[], extra = ''): string {
  return `series: Test Series\nauthor: Ada Critic\nlanguage: en-GB\n${extra}volumes:\n  - number: 1\n    title: First\n    reviews:\n${reviews.map((name) => `      - ${name}`).join('\n')}\n`
}

/** A PNG of 1×1 white pixel (RGB, no alpha). */
export const tinyPng = Uint8Array.from(
  Buffer.from(
    '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c49444154789c63f8ffff3f0005fe02fe0def46b80000000049454e44ae426082',
    'hex'
  )
)
