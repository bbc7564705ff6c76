import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The outage test stops a PostgreSQL cluster of its own: it belongs to the PostgreSQL run only
    // (CI runs both), rather than showing up skipped in the embedded one.
    exclude: process.env.DATABASE_URL ? [] : ['test/database-outage.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default leaves a core idle (availableParallelism - 1); on the 2-core CI machine that
    // ran every file in turn. Files are independent (each has its own database), so use both.
    maxWorkers: 2,
  },
})
