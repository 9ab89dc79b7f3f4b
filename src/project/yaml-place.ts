// Exact positions for YAML: turn a node's character range (plus the offset where the YAML
// starts inside its file) into a unist position. Used by the manifest and front matter. Pure.
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {location} from 'vfile-location'
import {isNode, isPair, isMap, isSeq, isScalar, type Document, type Node as YamlNode} from 'yaml'

const locators = new WeakMap<VFile, ReturnType<typeof location>>()

function locate(file: VFile) {
  let found = locators.get(file)
  if (!found) {
    found = location(file)
    locators.set(file, found)
  }
  return found
}

/** The position of a character range of `file` (offsets into the whole file). */
export function placeOfRange(file: VFile, start: number, end: number): Position | undefined {
  const place = locate(file)
  const from = place.toPoint(start)
  const to = place.toPoint(Math.max(start, end))
  if (!from) return undefined
  return {start: from, end: to ?? from}
}

/** The position of a YAML node, given where the YAML text starts in the file. */
export function placeOfNode(file: VFile, node: unknown, base = 0): Position | undefined {
  if (!isNode(node) || !node.range) return undefined
  return placeOfRange(file, base + node.range[0], base + node.range[1])
}

/** The node at `path` (keeping nodes, not values); falls back to the nearest ancestor found. */
export function nodeAt(doc: Document, path: readonly PropertyKey[]): YamlNode | undefined {
  let current: unknown = doc.contents
  for (const key of path) {
    if (isMap(current)) {
      const pair = current.items.find((item) => isScalar(item.key) && item.key.value === key)
      if (!pair) return current
      current = pair.value ?? pair.key
    } else if (isSeq(current) && typeof key === 'number') {
      const item = current.items[key]
      if (!item) return current
      current = item
    } else {
      break
    }
  }
  return isNode(current) ? current : undefined
}

/** The key node of `key` inside the map at `path`, for messages about the key itself. */
export function keyNodeAt(doc: Document, path: readonly PropertyKey[], key: string): YamlNode | undefined {
  const map = nodeAt(doc, path)
  if (!isMap(map)) return map
  const pair = map.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key)
  return pair && isNode(pair.key) ? pair.key : map
}
