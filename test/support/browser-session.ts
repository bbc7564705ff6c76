import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { serveTestApp } from './http-server.js'
import { launchBrowser } from './browser.js'
import type { TestApp } from './test-app.js'

/**
 * One file's browser tests: the app served on loopback and Chromium, both for the whole file; the
 * server's clock set to the browser's before each test (so that both agree on when a token or an
 * edit window ends); each page opened in a fresh profile, and a script error on any page failing
 * the test it happened in.
 */
export function browserSession(t: TestApp) {
  let parley: Awaited<ReturnType<typeof serveTestApp>> | undefined
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []
  const pageErrors: string[] = []
  beforeAll(async () => {
    ;[parley, browser] = await Promise.all([serveTestApp(t), launchBrowser()])
  })
  afterAll(async () => {
    await browser?.close()
    await parley?.close()
  })
  beforeEach(() => t.advance((Date.now() - t.now().getTime()) / 1000))
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()))
    expect(pageErrors.splice(0)).toEqual([])
  })
  return {
    /** Parley's address on loopback. */
    url: () => {
      if (!parley) throw new Error('the app is served in beforeAll')
      return parley.url
    },
    /**
     * A fresh profile on `url`. `options.init` runs in every page before its scripts (a recorder, say);
     * `waitUntil: 'commit'` returns without waiting for the page's load event.
     */
    async open(
      url: string,
      options: { init?: () => void; waitUntil?: 'load' | 'commit'; viewport?: { width: number; height: number } } = {},
    ): Promise<Page> {
      if (!browser) throw new Error('the browser starts in beforeAll')
      const context = await browser.newContext(options.viewport ? { viewport: options.viewport } : {})
      contexts.push(context)
      if (options.init) await context.addInitScript(options.init)
      const page = await context.newPage()
      page.setDefaultTimeout(10_000)
      page.on('pageerror', (error) => pageErrors.push(error.message))
      await page.goto(url, { waitUntil: options.waitUntil ?? 'load' })
      return page
    },
  }
}
