import { postgresUrl } from './test-database.js'

/**
 * Which part of an attack corpus this run sends. The corpora exercise app logic that is the same
 * on both engines (PGlite is PostgreSQL compiled to WebAssembly), and CI runs the suite on both, so
 * a file sends its whole corpus on one engine (`fullOn`) and, on the other, one share of it in
 * `parts`: every parts-th entry from an offset that rotates each UTC day, so that successive days
 * cover the whole corpus there too. CORPUS_SHARE=k picks share k (0-based, to replay a failure);
 * FULL_CORPORA=1 sends every corpus whole on both engines.
 */
export interface CorpusShare {
  /** All of the corpus on this engine. */
  whole: boolean
  /** The entries this run sends, in the corpus's order. */
  pick<T>(items: readonly T[]): T[]
  /** For the test's name: what is sent, and on which engine the rest goes. */
  label: string
}

const DAY_MS = 86_400_000

export function corpusShare(fullOn: 'postgres' | 'pglite', parts: number): CorpusShare {
  const engine = postgresUrl ? 'postgres' : 'pglite'
  const engineName = { postgres: 'PostgreSQL', pglite: 'PGlite' } as const
  if (engine === fullOn || process.env.FULL_CORPORA === '1') {
    return { whole: true, pick: (items) => [...items], label: `whole corpus on ${engineName[engine]}` }
  }
  const chosen = process.env.CORPUS_SHARE
  const index = chosen === undefined ? Math.floor(Date.now() / DAY_MS) % parts : Number(chosen) % parts
  return {
    whole: false,
    pick: (items) => items.filter((_, i) => i % parts === index),
    // The share's number stays out of the name, so a test keeps its name from day to day.
    label: `one share in ${parts} on ${engineName[engine]}, rotating daily; whole on ${engineName[fullOn]} (CORPUS_SHARE=k picks one; FULL_CORPORA=1 for all)`,
  }
}
