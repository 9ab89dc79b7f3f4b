// The sample's 22 reviews regrouped into two volumes of eleven (plus the collection), with a
// `print:` map: the sample's own volumes of three reviews are under KDP Print's 24 pages, so
// the paperback tests and the README's pictures use this grouping of the same reviews, with
// every review opening on a right-hand page.
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

export async function regroupForPrint(dir: string): Promise<void> {
  const sample = await readFile(path.join(dir, 'volumes.yaml'), 'utf8')
  const reviews = [...sample.matchAll(/^ {6}- (\S+\.md)$/gm)].map((match) => match[1]!)
  const head = sample.slice(0, sample.indexOf('volumes:'))
  const list = (names: string[]) => names.map((name) => `      - ${name}\n`).join('')
  await writeFile(
    path.join(dir, 'volumes.yaml'),
    `${head}print: {trim: 5x8, paper: cream, recto: true}\nvolumes:\n` +
      `  - number: 1\n    title: Silents to New Waves\n    introduction: reviews/pages/volume-1-introduction.md\n    reviews:\n${list(reviews.slice(0, 11))}` +
      `  - number: 2\n    title: Seventies to Now\n    foreword: reviews/pages/volume-4-foreword.md\n    reviews:\n${list(reviews.slice(11))}` +
      `collection:\n  title: "Essential Film Reviews: The Complete Collection"\n`
  )
}
