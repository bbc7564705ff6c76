import { expect } from 'vitest'
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'

/**
 * Opens a page of the WordPress site in a fresh browser profile (closed by the file's afterEach,
 * through `contexts`), at a desktop theme's width.
 */
export function pageOpener(browser: () => Browser, contexts: BrowserContext[]) {
  return async (url: string, options: BrowserContextOptions = {}): Promise<Page> => {
    const context = await browser().newContext({ viewport: { width: 1100, height: 900 }, ...options })
    contexts.push(context)
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    await page.goto(url)
    return page
  }
}

/** A page as WordPress serves it, without a browser: 200, and no PHP error printed in it. */
export async function served(url: string): Promise<string> {
  const res = await fetch(url)
  expect(res.status).toBe(200)
  const html = await res.text()
  expect(html).not.toMatch(/<b>(Fatal error|Warning|Notice|Parse error)<\/b>/)
  return html
}
