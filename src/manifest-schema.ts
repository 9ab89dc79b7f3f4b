// The shape of volumes.yaml, as a zod schema (strict: unknown keys are errors), and the list
// of keys each map allows, for did-you-mean hints. Pure.
import {z} from 'zod'

const text = z.string().trim().min(1)
const names = z.union([text, z.array(text).min(1)])

export const collectionSchema = z.strictObject({
  title: text,
  subtitle: text.optional(),
  description: text.optional(),
  cover: text.optional(),
  identifier: text.optional()
})

export const volumeSchema = z.strictObject({
  number: z.number().int().positive(),
  title: text,
  subtitle: text.optional(),
  description: text.optional(),
  cover: text.optional(),
  identifier: text.optional(),
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
  draft: text.optional()
})

export const manifestSchema = z.strictObject({
  series: text,
  author: names,
  language: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/).optional(),
  publisher: text.optional(),
  rights: text.optional(),
  description: text.optional(),
  reviews: text.optional(),
  output: text.optional(),
  fields: fieldsSchema.optional(),
  volumes: z.array(volumeSchema).min(1),
  collection: collectionSchema.optional()
})

export type ManifestInput = z.infer<typeof manifestSchema>

export const allowedKeys = {
  manifest: Object.keys(manifestSchema.shape),
  volume: Object.keys(volumeSchema.shape),
  collection: Object.keys(collectionSchema.shape),
  fields: Object.keys(fieldsSchema.shape)
}

/** Which map a path points into, so an unknown key can list what that map allows. */
export function keysAllowedAt(path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return allowedKeys.manifest
  if (path[0] === 'collection') return allowedKeys.collection
  if (path[0] === 'fields') return allowedKeys.fields
  if (path[0] === 'volumes') return allowedKeys.volume
  return []
}
