/**
 * Whether documentation strings are kept in the code: the descriptions of route schemas, settings
 * and responses, which only the OpenAPI document reads. The Worker serves the document that Node
 * built (a static asset), so its bundle defines PARLEY_DOCS as `off` (wrangler.toml's [define]) and
 * esbuild drops every string written `DOCS ? '…' : ''`, about 8 KiB gzipped of its 200.
 */
export const DOCS = process.env.PARLEY_DOCS !== 'off'

// Node's `process`, named here for the Worker's type-check too (which has no Node types): the
// Worker's bundle never reads it, since the whole expression above is replaced at build time.
declare const process: { env: { PARLEY_DOCS?: string } }
