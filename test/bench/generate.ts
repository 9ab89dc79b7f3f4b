// A deterministic synthetic series for the benchmark: N reviews of 600–1,500 words with
// headings, emphasis, footnotes, lists, block quotes, links between reviews and non-ASCII
// names, split over seven volumes plus the collection; or, in the `short` shape, N reviews of
// 100–300 words (a Letterboxd diary: a paragraph or three, now and then a quote or a link).
// The same N and shape always give the same bytes (a seeded generator, no clock), so runs on
// different days compare.
import {mkdir, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {random} from '../helpers/random.js'

/** Bump when the generated text changes, so old series folders are regenerated. */
export const generatorVersion = 1

const words = (
  'the film camera light shadow frame score silence actor actress scene shot cut story night city house road river ' +
  'memory dream winter summer war love fear laughter station window door train letter voice face music colour ' +
  'slowly quietly never always almost perhaps again still only even already rather quite simply ' +
  'watches waits returns remembers follows opens closes turns holds keeps loses finds leaves carries builds breaks ' +
  'long quiet bright dark strange tender cruel patient restless gentle careful generous bitter warm cold early late ' +
  'with without under over through across between after before behind beyond inside around toward against'
).split(' ')
const names = [
  'Kurosawa',
  'Bergman',
  'Varda',
  'Tarkovsky',
  'Almodóvar',
  'Kieślowski',
  'Żuławski',
  'Dvořák',
  'Ozu',
  'Malle',
  'Wenders',
  'Herzog',
  'Campion',
  'Denis',
  'Ceylan',
  'Kiarostami',
  'Ray',
  'Sembène',
  'Wong',
  'Hou',
  'Tati',
  'Fellini',
  'Antonioni',
  'Lumet',
  'Wilder',
  'Hitchcock',
  'Dreyer',
  'Bresson',
  'Mizoguchi',
  'Naruse'
]
const firstNames = [
  'Akira',
  'Ingmar',
  'Agnès',
  'Andrei',
  'Pedro',
  'Krzysztof',
  'Andrzej',
  'Yasujirō',
  'Louis',
  'Wim',
  'Werner',
  'Jane',
  'Claire',
  'Nuri Bilge',
  'Abbas',
  'Satyajit',
  'Ousmane',
  'Kar-wai',
  'Hsiao-hsien',
  'Jacques',
  'Federico',
  'Michelangelo',
  'Sidney',
  'Billy',
  'Alfred',
  'Carl Theodor',
  'Robert',
  'Kenji',
  'Mikio',
  'Věra'
]
const titleWords = [
  'Night',
  'River',
  'Letter',
  'Summer',
  'Station',
  'Mirror',
  'Garden',
  'Winter',
  'Harbour',
  'Stranger',
  'Orchard',
  'Lantern',
  'Journey',
  'Tide',
  'Bridge',
  'Silence',
  'Ashes',
  'Meadow',
  'Crossing',
  'Échos'
]
const articles = ['The', 'A', '', '', 'Le', 'Die', 'La']

/** `long`: essays of 600–1,500 words; `short`: diary entries of 100–300 words. */
export type Shape = 'long' | 'short'

export interface Synthetic {
  dir: string
  reviews: number
  words: number
  /** One review's file name, for the incremental measurement. */
  sample: string
}

function titleOf(index: number, pick: () => number): string {
  const article = articles[Math.floor(pick() * articles.length)]!
  const a = titleWords[index % titleWords.length]!
  const b = titleWords[Math.floor(index / titleWords.length) % titleWords.length]!
  return `${article ? `${article} ` : ''}${a}${pick() < 0.5 ? ` of ${b}` : ` and ${b}`} ${Math.floor(index / 400) > 0 ? (['II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV', 'XV', 'XVI', 'XVII', 'XVIII', 'XIX', 'XX', 'XXI', 'XXII', 'XXIII', 'XXIV', 'XXV'][Math.floor(index / 400) - 1] ?? index) : ''}`.trim()
}

function sentence(pick: () => number): string {
  const length = 8 + Math.floor(pick() * 16)
  const parts: string[] = []
  for (let i = 0; i < length; i++) {
    let word = pick() < 0.06 ? names[Math.floor(pick() * names.length)]! : words[Math.floor(pick() * words.length)]!
    const style = pick()
    if (style < 0.02) word = `*${word}*`
    else if (style < 0.03) word = `**${word}**`
    parts.push(word)
  }
  const text = parts.join(' ')
  const end = pick() < 0.08 ? '…' : pick() < 0.1 ? '?' : '.'
  const quoted = pick() < 0.1 ? `"${text.charAt(0).toUpperCase()}${text.slice(1)}${end}" ` : ''
  return quoted ? quoted.trimEnd() : `${text.charAt(0).toUpperCase()}${text.slice(1)}${end}`
}

function review(index: number, total: number, fileOf: (i: number) => string, title: (i: number) => string, shape: Shape): {text: string; words: number} {
  const pick = random(index * 7919 + 17)
  const short = shape === 'short'
  const target = short ? 100 + Math.floor(pick() * 200) : 600 + Math.floor(pick() * 900)
  const year = 1920 + Math.floor(pick() * 104)
  const director = `${firstNames[index % firstNames.length]} ${names[(index * 7) % names.length]}`
  const rating = Math.floor(pick() * 11) / 2
  const month = 1 + Math.floor(pick() * 12)
  const day = 1 + Math.floor(pick() * 28)
  const front = `---\ntitle: "${title(index)}"\nyear: ${year}\ndirector: ${director}\nrating: ${rating}\npublished: ${2010 + Math.floor(pick() * 15)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}\ntags: [${['drama', 'comedy', 'noir', 'western', 'documentary'][index % 5]}]\n---\n\n`
  const blocks: string[] = []
  const notes: string[] = []
  let count = 0
  while (count < target) {
    const kind = pick()
    let block: string
    if (kind < 0.05 && blocks.length > 0 && !short)
      block = `## ${sentence(pick)
        .replace(/[.?…]$/, '')
        .split(' ')
        .slice(0, 4)
        .join(' ')}`
    else if (kind < 0.1) block = `> ${sentence(pick)} ${sentence(pick)}`
    else if (kind < 0.14 && !short) block = [0, 1, 2].map(() => `- ${sentence(pick)}`).join('\n')
    else {
      const sentences = Array.from({length: 3 + Math.floor(pick() * 4)}, () => sentence(pick))
      if (pick() < (short ? 0.03 : 0.25)) {
        const label = notes.length + 1
        sentences[0] += `[^${label}]`
        notes.push(`[^${label}]: ${sentence(pick)}`)
      }
      if (pick() < 0.2) {
        const other = Math.floor(pick() * total)
        if (other !== index) sentences.push(`It pairs well with [*${title(other)}*](${fileOf(other)}).`)
      }
      block = sentences.join(' ')
    }
    count += block.split(/\s+/).length
    blocks.push(block)
  }
  return {text: `${front}${blocks.join('\n\n')}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}`, words: count}
}

/** Writes (or keeps, when already generated by this version) the series of `size` reviews under `dir`. */
export async function generate(dir: string, size: number, shape: Shape = 'long', volumeCount = 7): Promise<Synthetic> {
  const stamp = path.join(dir, '.generated')
  const fileOf = (i: number) => `review-${String(i + 1).padStart(5, '0')}.md`
  const titles = Array.from({length: size}, (_, i) => titleOf(i, random(i + 1)))
  const expected = `${generatorVersion}:${size}${shape === 'short' ? '-short' : ''}${volumeCount === 7 ? '' : `-${volumeCount}v`}`
  const existing = await readFile(stamp, 'utf8').catch(() => '')
  if (existing.startsWith(`${expected}:`)) return {dir, reviews: size, words: Number(existing.split(':')[2]), sample: fileOf(Math.floor(size / 2))}
  await rm(dir, {recursive: true, force: true})
  await mkdir(path.join(dir, 'reviews'), {recursive: true})
  let total = 0
  for (let i = 0; i < size; i++) {
    const {text, words} = review(i, size, fileOf, (n) => titles[n]!, shape)
    total += words
    await writeFile(path.join(dir, 'reviews', fileOf(i)), text)
  }
  const perVolume = Math.ceil(size / volumeCount)
  const volumes = Array.from({length: volumeCount}, (_, v) => {
    const list = Array.from({length: Math.max(0, Math.min(size, (v + 1) * perVolume) - v * perVolume)}, (_, k) => fileOf(v * perVolume + k))
    return `  - number: ${v + 1}\n    title: Essential Reviews ${v + 1}\n    reviews:\n${list.map((name) => `      - ${name}`).join('\n')}`
  })
  const manifest = `series: Synthetic Film Reviews\nauthor: Ada Critic\nlanguage: en-GB\ncollection:\n  title: The Complete Synthetic Reviews\nvolumes:\n${volumes.join('\n')}\n`
  await writeFile(path.join(dir, 'volumes.yaml'), manifest)
  await writeFile(stamp, `${expected}:${total}\n`)
  return {dir, reviews: size, words: total, sample: fileOf(Math.floor(size / 2))}
}

/** The reviews of each book, for building the same books with pandoc. */
export async function bookLists(dir: string): Promise<Array<{name: string; title: string; files: string[]}>> {
  const manifest = await readFile(path.join(dir, 'volumes.yaml'), 'utf8')
  const books: Array<{name: string; title: string; files: string[]}> = []
  for (const [, number, body] of manifest.matchAll(/- number: (\d+)\n {4}title: .*\n {4}reviews:\n((?: {6}- .*\n?)*)/g)) {
    books.push({
      name: `volume-${number!.padStart(2, '0')}`,
      title: `Essential Reviews ${number}`,
      files: [...body!.matchAll(/- (\S+)/g)].map((match) => path.join('reviews', match[1]!))
    })
  }
  books.push({name: 'collection', title: 'The Complete Synthetic Reviews', files: books.flatMap((book) => book.files)})
  const present = new Set(await readdir(path.join(dir, 'reviews')))
  for (const book of books) book.files = book.files.filter((file) => present.has(path.basename(file)))
  return books
}
