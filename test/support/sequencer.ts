import { BaseSequencer, type TestSpecification } from 'vitest/node'
import weights from './file-weights.json' with { type: 'json' }

/**
 * Starts the longest test files first (file-weights.json: each file's seconds in a run of this
 * engine), so that the two workers end together rather than one finishing a long file alone. Vitest's
 * own order needs the durations of a previous run on this machine; a fresh clone (CI) has none and
 * got files by size, which put the longest file near the end. A file not listed yet goes first.
 */
export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const engine: Record<string, number> = process.env.DATABASE_URL ? weights.postgres : weights.pglite
    const weight = (spec: TestSpecification) => engine[spec.moduleId.replace(/.*\/test\//, '')] ?? Number.MAX_SAFE_INTEGER
    return [...files].sort((a, b) => weight(b) - weight(a))
  }
}
