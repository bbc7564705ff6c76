import { postgresUrl } from './test-database.js'

/**
 * Which part of an attack corpus this run sends through the app. The corpora exercise app logic
 * that is the same on both engines (PGlite is PostgreSQL compiled to WebAssembly), and CI runs the
 * suite on both: of every four entries PGlite sends the first, PostgreSQL the second, so every CI
 * run sends half of each corpus through HTTP, the same entries every day (a fixed sample: CI has ten
 * minutes). FULL_CORPORA=1 sends every corpus whole on
 * either engine. (The pure functions under the HTTP layer, renderBody() and the like, take every
 * entry on both.)
 */
export interface CorpusShare {
  /** All of the corpus on this engine. */
  whole: boolean
  /** 0 on PGlite, 1 on PostgreSQL: which quarter this engine sends. */
  half: 0 | 1
  /** The entries this run sends, in the corpus's order. */
  pick<T>(items: readonly T[]): T[]
  /** For the test's name: what is sent here, and where the rest goes. */
  label: string
}

export function corpusShare(): CorpusShare {
  const half = postgresUrl ? 1 : 0
  if (process.env.FULL_CORPORA === '1') return { whole: true, half, pick: (items) => [...items], label: 'whole corpus' }
  return {
    whole: false,
    half,
    pick: (items) => items.filter((_, i) => i % 4 === half),
    label: `entries ${half} mod 4 on ${half === 0 ? 'PGlite' : 'PostgreSQL'}, ${1 - half} mod 4 on ${half === 0 ? 'PostgreSQL' : 'PGlite'} (FULL_CORPORA=1 for all)`,
  }
}
