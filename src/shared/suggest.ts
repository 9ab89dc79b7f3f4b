// "Did you mean …?": the nearest candidate by edit distance (optimal string alignment, so a
// swapped pair of letters costs one). Pure.

export function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[][] = Array.from({length: rows}, (_, i) => Array.from({length: cols}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const row = d[i]!
      const prev = d[i - 1]!
      let best = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1)
      }
      row[j] = best
    }
  }
  return d[a.length]![b.length]!
}

/** The closest candidate within a distance that still reads as a typo, or undefined. */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase()
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)))
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return bestDistance <= limit ? best : undefined
}

/** The `n` closest candidates, nearest first, for "the nearest names are …" hints. */
export function nearestMany(word: string, candidates: Iterable<string>, n = 3): string[] {
  const lower = word.toLowerCase()
  return [...candidates]
    .map((candidate) => ({candidate, distance: editDistance(lower, candidate.toLowerCase())}))
    .sort((x, y) => x.distance - y.distance || (x.candidate < y.candidate ? -1 : x.candidate > y.candidate ? 1 : 0))
    .slice(0, n)
    .map((entry) => entry.candidate)
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const guess = nearest(word, candidates)
  return guess ? `; did you mean \`${guess}\`?` : ''
}
