// The general entities a doctype's internal subset declares (`<!ENTITY ns_svg "http://…">`, as
// Illustrator writes), for expanding them without an XML parser's DTD machinery: only entities
// whose text is plain (no markup, no references to other entities) are usable, so nothing can
// nest and expand exponentially. Pure; one pass over the subset.

export interface Entity {
  /** The replacement text, for a plain entity. */
  value?: string
  /** Why it cannot be used, otherwise. */
  unusable?: string
}

/** Entities by name; the first declaration of a name counts, as in XML. */
export function internalEntities(subset: string): Map<string, Entity> {
  const entities = new Map<string, Entity>()
  let at = 0
  const n = subset.length
  const skipSpace = () => {
    while (at < n && /\s/.test(subset.charAt(at))) at++
  }
  /** Past the `>` ending a declaration, stepping over quoted literals (which may hold `>`). */
  const skipDeclaration = () => {
    while (at < n && subset.charAt(at) !== '>') {
      const quote = subset.charAt(at)
      if (quote === '"' || quote === "'") {
        const end = subset.indexOf(quote, at + 1)
        at = end < 0 ? n : end + 1
      } else at++
    }
    at++
  }
  while (at < n) {
    skipSpace()
    if (subset.startsWith('<!--', at)) {
      const end = subset.indexOf('-->', at + 4)
      at = end < 0 ? n : end + 3
    } else if (subset.startsWith('<?', at)) {
      const end = subset.indexOf('?>', at + 2)
      at = end < 0 ? n : end + 2
    } else if (subset.startsWith('<!ENTITY', at)) {
      at += 8
      skipSpace()
      const parameter = subset.charAt(at) === '%'
      if (parameter) at++
      skipSpace()
      const start = at
      while (at < n && !/[\s>"']/.test(subset.charAt(at))) at++
      const name = subset.slice(start, at)
      skipSpace()
      const quote = subset.charAt(at)
      let entity: Entity
      if (quote === '"' || quote === "'") {
        const end = subset.indexOf(quote, at + 1)
        entity = plain(subset.slice(at + 1, end < 0 ? n : end))
        at = end < 0 ? n : end + 1
      } else {
        entity = {unusable: 'which is defined outside the file'}
      }
      skipDeclaration()
      if (!parameter && name && !entities.has(name)) entities.set(name, entity)
    } else if (subset.startsWith('<!', at)) {
      skipDeclaration()
    } else {
      at++
    }
  }
  return entities
}

/** An entity's literal, with character references read; usable only when that leaves plain text. */
function plain(literal: string): Entity {
  if (/[&%][A-Za-z_:]/.test(literal))
    return {unusable: 'whose text refers to other entities (only plain-text entities are expanded, a guard against entity bombs)'}
  let value = ''
  let at = 0
  for (;;) {
    const amp = literal.indexOf('&#', at)
    if (amp < 0) break
    const end = literal.indexOf(';', amp)
    const code = end < 0 ? NaN : literal.charAt(amp + 2) === 'x' ? parseInt(literal.slice(amp + 3, end), 16) : parseInt(literal.slice(amp + 2, end), 10)
    if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff) return {unusable: 'whose text holds a broken character reference'}
    value += literal.slice(at, amp) + String.fromCodePoint(code)
    at = end + 1
  }
  value += literal.slice(at)
  // `<` or `&` in the text would be read as markup where the entity is used.
  if (/[<&]/.test(value)) return {unusable: 'whose text holds markup'}
  return {value}
}
