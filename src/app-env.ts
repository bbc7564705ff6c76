import type { Deps } from './deps.js'
import type { ModeratorRow } from './auth/moderator-store.js'

/** Hono's environment: the runtime hands in the dependencies and, on Node, the socket's address. */
export interface AppEnv {
  Bindings: {
    deps: Deps
    remoteAddr?: string
    /**
     * On Node, true for a request that came without `Host` (HTTP/1.0): the URL's authority is then
     * the request line's (`POST https://evil.example/…`), which its sender wrote as it liked.
     */
    noHostHeader?: boolean
    /**
     * On Node, the request's body as text (UTF-8, a byte-order mark dropped, as Request.text()
     * reads it), straight from the socket: Request.json() on Node builds an undici Request and a
     * web stream over the socket first, an eighth of a hot article's posting CPU (issue 16).
     */
    bodyText?: () => Promise<string>
  }
  Variables: {
    /** The signed-in moderator, on moderation and admin routes. */
    moderator: ModeratorRow
    /** When the request's deadline falls (performance.now()), where one applies. */
    deadlineAt: number | undefined
    /** Called by a write just before COMMIT, where a deadline applies (src/http/deadline.ts). */
    beforeCommit: (() => void) | undefined
    /** The read cache's marker for a write to notify in its own transaction (src/http/sync-after-write.ts). */
    readCacheMarker: (() => string | undefined) | undefined
    /**
     * The read cache's ticket, taken as a public read arrived (readCacheHit), before its route
     * loaded the settings it renders with: a change heard since keeps its answer out of the cache.
     */
    readCacheTicket: number | undefined
  }
}
