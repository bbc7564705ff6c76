import type { WorkerEnv } from '../src/runtime/worker-config.js'

declare global {
  namespace Cloudflare {
    // The bindings `cloudflare:test` hands to tests are the Worker's.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: Env gains WorkerEnv's members
    interface Env extends WorkerEnv {}
  }
}
