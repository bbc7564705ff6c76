/** The oldest Node.js Parley runs on: package.json's `engines`, which npm only warns about. */
export const REQUIRED_NODE = '22.12.0'

const parts = (version: string): number[] =>
  version
    .replace(/^v/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0)

/**
 * The line to stop on when `version` (process.versions.node) is older than REQUIRED_NODE, else
 * undefined.
 *
 * @example
 * nodeTooOld('20.18.0') // 'Parley needs Node.js 22.12.0 or later (22 or 24 LTS); this is Node.js 20.18.0.'
 */
export function nodeTooOld(version: string): string | undefined {
  const have = parts(version)
  const need = parts(REQUIRED_NODE)
  for (let i = 0; i < need.length; i++) {
    const difference = (have[i] ?? 0) - (need[i] ?? 0)
    if (difference > 0) return undefined
    if (difference < 0) return `Parley needs Node.js ${REQUIRED_NODE} or later (22 or 24 LTS); this is Node.js ${version}.`
  }
  return undefined
}
