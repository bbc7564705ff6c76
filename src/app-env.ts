import type { Deps } from './deps.js'

/** Hono's environment: the runtime hands in the dependencies and, on Node, the socket's address. */
export interface AppEnv {
  Bindings: {
    deps: Deps
    remoteAddr?: string
  }
}
