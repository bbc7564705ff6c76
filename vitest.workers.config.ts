import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { readFileSync } from 'node:fs'
import { defineConfig } from 'vitest/config'

// The workerd suite: the Worker itself (src/runtime/worker.ts, from wrangler.toml) inside workerd,
// on real PostgreSQL through its Hyperdrive binding. Its database is its own, named per run, so it
// never meets the Node suites' databases nor a second run beside it.
const server = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test')
// Hyperdrive's local mode refuses a connection string without a password; a trusting server ignores it.
server.password ||= 'postgres'
server.pathname = `/parley_workers_test_${process.pid}`
// For test-workers/global-setup.ts, which runs in this process after the config is read.
process.env.PARLEY_WORKERS_DATABASE_URL = server.href

// The modules wrangler.toml's [alias] trims out of the deployed bundle are trimmed here too, so
// the tests run what Cloudflare would (the pool resolves modules itself, without wrangler's bundler).
const aliasSection =
  readFileSync('wrangler.toml', 'utf8')
    .split(/^\[alias\]$/m)[1]
    ?.split(/^\[/m)[0] ?? ''
const alias = Object.fromEntries(
  [...aliasSection.matchAll(/^"([^"]+)" = "([^"]+)"$/gm)].map(([, from, to]) => [from, new URL(to ?? '', import.meta.url).pathname]),
)

export default defineConfig({
  resolve: { alias },
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        hyperdrives: { HYPERDRIVE: server.href },
        // A one-second max-age, so the edge cache's tests can wait a cached copy out.
        // And a publisher's shared secret: readers' identity tokens are verified at the edge too (issue 19).
        bindings: {
          PARLEY_SECRET: 'workers-test-secret-that-is-long-enough-0123456789',
          LOG_LEVEL: 'warn',
          PARLEY_CACHE_MAX_AGE: '1',
          PARLEY_SSO_SECRET: 'workers-publisher-secret-long-enough-0123456789',
        },
      },
    }),
  ],
  test: {
    include: ['test-workers/**/*.test.ts'],
    globalSetup: ['test-workers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    deps: {
      // sanitize-html is CommonJS and requires postcss, which requires nanoid's dual CJS/ESM build:
      // the pool's require() picks the ESM file (cloudflare/workers-sdk#13037). Pre-bundled by
      // esbuild, as wrangler does for deployment, it loads.
      optimizer: { ssr: { enabled: true, include: ['sanitize-html'] } },
    },
  },
})
