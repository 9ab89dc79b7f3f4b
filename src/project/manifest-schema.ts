// The shape of volumes.yaml, as a zod schema (strict: unknown keys are errors), and the list
// of keys each map allows, for did-you-mean hints. Pure.
import {z} from 'zod'
import {isWebUrl} from '../shared/urls.js'

const text = z.string().trim().min(1)
const names = z.union([text, z.array(text).min(1)])

/** Store pages for a book, for the back matter's "Also in this series". */
const url = z.string().trim().refine(isWebUrl)
export const linksSchema = z.strictObject({
  kindle: url.optional(),
  apple: url.optional(),
  kobo: url.optional(),
  web: url.optional()
})

/** List prices per marketplace (`UK: 4.99`), for the royalty figures; marketplaces whose rules are known. */
export const marketplaceKeys = ['US', 'UK', 'CA', 'DE', 'FR', 'ES', 'IT', 'NL'] as const
const price = z.number().positive().max(1000)
export const pricesSchema = z.strictObject(
  Object.fromEntries(marketplaceKeys.map((key) => [key, price.optional()])) as Record<(typeof marketplaceKeys)[number], z.ZodOptional<typeof price>>
)
const storeNamesSchema = z.enum(['kindle', 'apple', 'kobo'])
/** A book's own prices, per store: `prices: {kindle: {UK: 12.99}}`. */
export const bookPricesSchema = z.strictObject({kindle: pricesSchema.optional(), apple: pricesSchema.optional(), kobo: pricesSchema.optional()})
export const storeSchema = z.strictObject({
  prices: pricesSchema.optional(),
  /** Kindle only: whether the books are (to be) enrolled in KDP Select. */
  select: z.boolean().optional()
})
export const storesSchema = z.union([
  z.array(storeNamesSchema),
  z.strictObject({
    kindle: z.union([storeSchema, z.null()]).optional(),
    apple: z.union([storeSchema, z.null()]).optional(),
    kobo: z.union([storeSchema, z.null()]).optional()
  })
])
/** Up to seven, as KDP takes them. */
const keywordsSchema = z.array(text).min(1)
/** BISAC subject codes (`PER004020`). */
const subjectsSchema = z
  .array(
    z
      .string()
      .trim()
      .regex(/^[A-Z]{3}\d{6}$/)
  )
  .min(1)
const dateText = z.union([text, z.date()])

export const indexesSchema = z.union([
  z.boolean(),
  z.strictObject({
    title: z.boolean().optional(),
    director: z.boolean().optional(),
    year: z.boolean().optional(),
    rating: z.boolean().optional(),
    genre: z.boolean().optional(),
    from: z.number().int().positive().optional()
  })
])

/** The trim sizes KDP Print offers that suit a text book (`print: {trim: 5.5x8.5}`). */
export const trimNames = ['5x8', '5.06x7.81', '5.25x8', '5.5x8.5', '6x9', '6.14x9.21'] as const
export const printSchema = z.strictObject({
  trim: z.enum(trimNames).optional(),
  paper: z.enum(['white', 'cream']).optional(),
  recto: z.boolean().optional()
})

export const collectionSchema = z.strictObject({
  title: text,
  subtitle: text.optional(),
  description: text.optional(),
  cover: text.optional(),
  identifier: text.optional(),
  published: dateText.optional(),
  keywords: keywordsSchema.optional(),
  subjects: subjectsSchema.optional(),
  prices: bookPricesSchema.optional()
})

export const volumeSchema = z.strictObject({
  number: z.number().int().positive(),
  title: text,
  subtitle: text.optional(),
  description: text.optional(),
  cover: text.optional(),
  identifier: text.optional(),
  foreword: text.optional(),
  introduction: text.optional(),
  links: linksSchema.optional(),
  published: dateText.optional(),
  keywords: keywordsSchema.optional(),
  subjects: subjectsSchema.optional(),
  prices: bookPricesSchema.optional(),
  reviews: z.array(text).min(1)
})

/** Our front-matter keys → the keys an existing archive uses for them (`title: name`). */
export const fieldsSchema = z.strictObject({
  title: text.optional(),
  year: text.optional(),
  director: text.optional(),
  rating: text.optional(),
  published: text.optional(),
  tags: text.optional(),
  draft: text.optional(),
  sort: text.optional(),
  slug: text.optional(),
  permalink: text.optional(),
  url: text.optional(),
  aliases: text.optional(),
  source: text.optional()
})

export const manifestSchema = z.strictObject({
  series: text,
  author: names,
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/)
    .optional(),
  publisher: text.optional(),
  rights: text.optional(),
  description: text.optional(),
  reviews: text.optional(),
  output: text.optional(),
  fields: fieldsSchema.optional(),
  ratings: z.union([z.literal(5), z.literal(10), z.literal(100)]).optional(),
  exclude: z.array(text).optional(),
  about: text.optional(),
  stylesheet: text.optional(),
  site: z.union([url, z.array(url).min(1)]).optional(),
  indexes: indexesSchema.optional(),
  quotes: z.enum(['double', 'single', 'language']).optional(),
  opening: z.enum(['plain', 'small-caps', 'drop-cap']).optional(),
  autolink: z.boolean().optional(),
  stores: storesSchema.optional(),
  keywords: keywordsSchema.optional(),
  subjects: subjectsSchema.optional(),
  accessibility: z.strictObject({summary: text.optional(), certifiedBy: text.optional()}).optional(),
  print: printSchema.optional(),
  volumes: z.array(volumeSchema).min(1),
  collection: collectionSchema.optional()
})

export type ManifestInput = z.infer<typeof manifestSchema>

export const allowedKeys = {
  manifest: Object.keys(manifestSchema.shape),
  volume: Object.keys(volumeSchema.shape),
  collection: Object.keys(collectionSchema.shape),
  fields: Object.keys(fieldsSchema.shape),
  links: Object.keys(linksSchema.shape),
  stores: ['kindle', 'apple', 'kobo'],
  store: Object.keys(storeSchema.shape),
  prices: [...marketplaceKeys],
  bookPrices: ['kindle', 'apple', 'kobo'],
  indexes: ['title', 'director', 'year', 'rating', 'genre', 'from'],
  accessibility: ['summary', 'certifiedBy'],
  print: Object.keys(printSchema.shape)
}

/** Which map a path points into, so an unknown key can list what that map allows. */
export function keysAllowedAt(path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return allowedKeys.manifest
  if ((path[0] === 'volumes' && path[2] === 'prices') || (path[0] === 'collection' && path[1] === 'prices'))
    return path.length === (path[0] === 'volumes' ? 3 : 2) ? allowedKeys.bookPrices : allowedKeys.prices
  if (path[0] === 'collection') return allowedKeys.collection
  if (path[0] === 'fields') return allowedKeys.fields
  if (path[0] === 'volumes' && path[2] === 'links') return allowedKeys.links
  if (path[0] === 'stores' && path.length === 1) return allowedKeys.stores
  if (path[0] === 'stores' && path.length === 2) return allowedKeys.store
  if (path[0] === 'stores' && path[2] === 'prices') return allowedKeys.prices
  if (path[0] === 'volumes') return allowedKeys.volume
  if (path[0] === 'indexes') return allowedKeys.indexes
  if (path[0] === 'accessibility') return allowedKeys.accessibility
  if (path[0] === 'print') return allowedKeys.print
  return []
}
