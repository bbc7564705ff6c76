import { defineConfig } from 'vitest/config'
import { LongestFirst } from './test/support/sequencer.js'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The outage test stops a PostgreSQL cluster of its own: it belongs to the PostgreSQL run only
    // (CI runs both), rather than showing up skipped in the embedded one.
    // So does the slow-commit test: it makes a COMMIT wait on the server, which PGlite, running
    // inside the Node thread, cannot do without stopping every timer.
    // The browser tests drive the widget, the dashboard and a provider's sign-in; the database behind them is incidental
    // (its logic the same on both engines), so they run in the embedded run only; so does the
    // WordPress plugin's tests (a real WordPress in PHP, on MariaDB, in front of Parley).
    // The start gate exists for PGlite only (Node on PostgreSQL has none): embedded run only.
    // So do the attacks on rendered output (the fragment's markup, comment HTML, the privacy crawl of
    // every page for personal data): they read what Parley renders, the same from either engine.
    // The prepared-statements test asks PostgreSQL's pg_prepared_statements on the app's pooled
    // connections; PGlite has neither a pool nor round trips to save: PostgreSQL run only. So is
    // the slow-commit test: on PGlite a slow COMMIT would block the very timers it races; and the
    // look-ups' wave held past its deadline by another connection's lock, which PGlite cannot stage.
    exclude: process.env.DATABASE_URL
      ? [
          'test/widget-browser.test.ts',
          'test/enhance-browser.test.ts',
          'test/admin-browser.test.ts',
          'test/widget-identity-browser.test.ts',
          'test/moderator-oidc.test.ts',
          'test/wordpress.test.ts',
          'test/wordpress-outsider.test.ts',
          'test/start-gate.test.ts',
          'test/fragment-attacks.test.ts',
          'test/rendering-xss.test.ts',
          'test/privacy-crawl.test.ts',
        ]
      : [
          'test/database-outage.test.ts',
          'test/prepared-statements.test.ts',
          'test/commit-past-deadline.test.ts',
          'test/lookup-wave-deadline.test.ts',
        ],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default leaves a core idle (availableParallelism - 1); on the 2-core CI machine that
    // ran every file in turn. Files are independent (each has its own database), so use both.
    maxWorkers: 2,
    // Each worker loads the app's modules once for all its files (each file still opens its own
    // database): loading them again per file was a third of the suite's time.
    isolate: false,
    // Node 24's young generation is four times Node 22's (semi-spaces of 64 MB, not 16), so garbage
    // not yet collected would inflate the import tests' heap measurements there: the same size on both.
    execArgv: ['--max-semi-space-size=16'],
    // The longest files first, from committed figures rather than the last run's (CI has none).
    sequence: { sequencer: LongestFirst },
  },
})
