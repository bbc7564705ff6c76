import { lookup as systemLookup, type LookupAddress } from 'node:dns'
import type { LookupFunction } from 'node:net'
import { Agent, fetch as undiciFetch } from 'undici'
import { isPublicAddress, type TargetFetch } from '../net/target-guard.js'

type Resolve = (host: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void

const resolveAll: Resolve = (host, callback) => systemLookup(host, { all: true, verbatim: true }, callback)

/** A connection refused because the name now points at an address webhooks may not reach. */
export class PrivateTargetError extends Error {
  readonly code = 'PRIVATE_TARGET'
  constructor() {
    super('the host name resolves to a private, loopback or link-local address')
    this.name = 'PrivateTargetError'
  }
}

/** The socket's own look-up, refusing any answer with a private address in it. */
function guardedLookup(resolve: Resolve): LookupFunction {
  return (host, options, callback) => {
    resolve(host, (error, addresses) => {
      if (error) return callback(error, '', 0)
      if (addresses.length === 0 || !addresses.every((entry) => isPublicAddress(entry.address)))
        return callback(new PrivateTargetError(), '', 0)
      if (options.all) return (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, addresses)
      const first = addresses[0]
      if (!first) return callback(new PrivateTargetError(), '', 0)
      callback(null, first.address, first.family)
    })
  }
}

/**
 * Node's fetch for webhook and filter targets (`Deps.targetFetch`): the addresses are checked
 * when the connection is made, from the very look-up it connects with, so a name that passed the
 * guard and then resolves to 127.0.0.1 (DNS rebinding) is refused. Literal addresses are not
 * looked up: `refuseTarget` has judged them already. With private targets allowed, plain fetch.
 *
 * @example
 * const deps = { …, targetFetch: guardedFetch() }
 */
export function guardedFetch(resolve: Resolve = resolveAll): TargetFetch {
  // One pool of connections for every delivery and filter call: keep-alive to the same receivers.
  const agent = new Agent({ connect: { lookup: guardedLookup(resolve) } })
  return async (url, init, policy) => {
    if (policy.allowPrivate) return fetch(url, init)
    // undici's own fetch, so that its dispatcher is the guarded agent above (Node's global fetch
    // bundles another undici, whose dispatchers this one's agent is not).
    const response = await undiciFetch(url, { ...init, body: init.body as string | undefined, dispatcher: agent } as Parameters<
      typeof undiciFetch
    >[1])
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- undici's Response and the global one differ under some of the projects' types
    return response as unknown as Response
  }
}
