import type { WorkerEnv } from '../src/runtime/worker-config.js'

declare global {
  namespace Cloudflare {
    // The bindings `cloudflare:test` hands to tests are the Worker's.
    interface Env extends WorkerEnv {}
  }
}
