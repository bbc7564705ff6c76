import { lookup } from 'node:dns/promises'

/**
 * Every address a host name resolves to, as the system resolver answers (the same answer fetch
 * will get), for the webhook target guard: `deps.resolveHost` on Node.
 */
export async function resolveHostNode(host: string): Promise<string[]> {
  const found = await lookup(host, { all: true, verbatim: true })
  return found.map((entry) => entry.address)
}
