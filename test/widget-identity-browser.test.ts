import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { SignJWT } from 'jose'
import type { Page } from 'playwright-core'
import { comments } from '../src/db/schema.js'
import { PublisherTokens } from '../src/identity/publisher-tokens.js'
import { setupTestApp } from './support/test-app.js'
import { browserSession } from './support/browser-session.js'
import { loopbackServer } from './support/loopback-server.js'
import { openSettings } from './support/seed.js'

declare global {
  interface Window {
    __events?: { type: string; detail: unknown }[]
    Parley?: Record<string, unknown>
  }
}

// The widget and a news site's page, each on its own origin; the site signs its readers' tokens
// (HS256, PARLEY_SSO_SECRET) as its login would, on the clock the browser and the server share.
const t = await setupTestApp()
const SECRET = 'the-news-sites-shared-secret-for-the-widget-0123456789'
t.deps.identity = new PublisherTokens({ secret: SECRET, jwksUrl: null, issuer: null, audience: null }, { allowPrivate: true })
const session = browserSession(t)
const open = session.open

const seconds = (date: Date) => Math.floor(date.getTime() / 1000)
function token(subject: string, claims: Record<string, unknown> = {}, lifetime = 3600) {
  return new SignJWT({ name: 'Signed Reader', email: 'signed@example.com', ...claims })
    .setSubject(subject)
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(seconds(t.now()) + lifetime)
    .sign(new TextEncoder().encode(SECRET))
}

/** How many fresh tokens the page's `refresh` asked the site for. */
let refreshes = 0

/**
 * The site's article page: `body` goes in it as given; `/token` signs a fresh token (what the
 * page's `refresh` callback asks its own backend for).
 */
async function site(body: string) {
  const host = await loopbackServer(async (req, res) => {
    if (req.path === '/token') {
      refreshes++
      res.writeHead(200, { 'Content-Type': 'text/plain' })
      res.end(await token('reader-refreshed', { name: 'Refreshed Reader' }))
      return
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(`<!doctype html><html lang="en"><head><title>The Daily Example</title></head><body>
<script>window.__events = []; for (const type of ['parley:login-required', 'parley:logout']) document.addEventListener(type, (e) => window.__events.push({ type, detail: e.detail }))</script>
<script src="${session.url()}/widget.js"></script>
${body}</body></html>`)
  })
  return host
}

const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true })
const events = (page: Page) => page.evaluate(() => window.__events ?? [])

async function policy(commentPolicy: 'anyone' | 'signed-in' | 'subscribers', allowed: string) {
  await t.setSettings({ ...openSettings, commentPolicy, loginUrl: 'https://news.example/login', allowedOrigins: [allowed] })
}

describe('the widget for readers the site signs in', () => {
  it("asks a guest to log in where the article takes signed-in readers only, with the site's link, and tells the page", async () => {
    const host = await site('<parley-comments article="members-1"></parley-comments>')
    await policy('signed-in', host.url)
    await t.postJson('/api/v1/articles/members-1/comments', { body: 'A member wrote this.', identityToken: await token('m-1') })
    const page = await open(`${host.url}/story`)
    await heading(page, '1 Comment').waitFor()
    const notice = page.locator('.must-log-in')
    await notice.waitFor()
    expect(await notice.textContent()).toBe('You must be logged in to post a comment.')
    // WordPress's wp_login_url(): the way back to the article rides along.
    const login = `https://news.example/login?redirect_to=${encodeURIComponent(`${host.url}/story`)}`
    expect(await notice.getByRole('link', { name: 'logged in' }).getAttribute('href')).toBe(login)
    expect(await page.getByRole('textbox').count()).toBe(0)
    expect(await events(page)).toEqual([
      {
        type: 'parley:login-required',
        detail: { article: 'members-1', code: 'login_required', policy: 'signed-in', loginUrl: login },
      },
    ])
    // Reply, for a guest, leads to the login link and tells the page again.
    await page.getByRole('button', { name: /^Reply to/ }).click()
    expect(await notice.getByRole('link').evaluate((link) => link.matches(':focus'))).toBe(true)
    expect((await events(page)).length).toBe(2)
  })

  it('shows "Logged in as NAME. Log out?" for a token, posts as that reader, and logs out', async () => {
    const host = await site(
      `<parley-comments article="members-2" identity-token="${await token('m-2', { name: 'Jo Member' })}"></parley-comments>`,
    )
    await policy('signed-in', host.url)
    const page = await open(`${host.url}/story`)
    const loggedIn = page.locator('.logged-in-as')
    await loggedIn.waitFor()
    expect(await loggedIn.textContent()).toBe('Logged in as Jo Member. Log out?')
    expect(await page.getByRole('textbox', { name: /^Name/ }).count()).toBe(0)
    expect(await page.getByRole('textbox', { name: /^Email/ }).count()).toBe(0)
    expect(await page.getByRole('checkbox', { name: /Save my name/ }).count()).toBe(0)

    await page.getByRole('textbox', { name: /^Comment/ }).fill('Said as a signed-in member.')
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await page.locator('.comment-content', { hasText: 'Said as a signed-in member.' }).waitFor()
    await page.locator('.comment-author', { hasText: 'Jo Member' }).waitFor()
    // Marked as the site's signed-in reader in the thread.
    expect(await page.locator('.comment-author', { hasText: 'Jo Member' }).locator('.badge.verified').textContent()).toBe('Signed in')
    const [row] = await t.deps.db.select().from(comments).where(eq(comments.authorName, 'Jo Member'))
    expect(row?.subjectHash).toBeTruthy()
    expect(row?.status).toBe('approved')

    await loggedIn.getByRole('button', { name: 'Log out?' }).click()
    await page.locator('.must-log-in').waitFor()
    expect((await events(page)).map((event) => event.type)).toEqual(['parley:logout', 'parley:login-required'])
  })

  it("renews a token about to run out through the page's refresh callback before posting", async () => {
    const host = await site(`<parley-comments article="members-3"></parley-comments>
<script>window.Parley.identity({ token: ${JSON.stringify(await token('m-3', { name: 'Short Lived' }, 30))}, refresh: () => fetch('/token').then((r) => r.text()) })</script>`)
    await policy('signed-in', host.url)
    refreshes = 0
    const page = await open(`${host.url}/story`)
    await page.locator('.logged-in-as', { hasText: 'Logged in as Short Lived.' }).waitFor()
    await page.getByRole('textbox', { name: /^Comment/ }).fill('Posted with a renewed token.')
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await page.locator('.comment-content', { hasText: 'Posted with a renewed token.' }).waitFor()
    expect(refreshes).toBe(1)
    const [row] = await t.deps.db.select().from(comments).where(eq(comments.body, 'Posted with a renewed token.'))
    expect(row?.authorName).toBe('Refreshed Reader')
  })

  it('asks for a fresh token once when the server refuses the one held, and signs a reader in later through the API', async () => {
    const host = await site('<parley-comments article="members-4"></parley-comments>')
    await policy('signed-in', host.url)
    refreshes = 0
    const page = await open(`${host.url}/story`)
    await page.locator('.must-log-in').waitFor()
    // The reader logs in in a popup; the page hands over a token that the server will refuse by the time they post.
    const soon = await token('m-4', { name: 'Late Comer' }, 90)
    await page.evaluate(
      (given) =>
        window.Parley?.identity &&
        (window.Parley.identity as (o: unknown) => void)({ token: given, refresh: () => fetch('/token').then((r) => r.text()) }),
      soon,
    )
    await page.locator('.logged-in-as', { hasText: 'Logged in as Late Comer.' }).waitFor()
    t.advance(200)
    await page.getByRole('textbox', { name: /^Comment/ }).fill('Posted after a refused token.')
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await page.locator('.comment-content', { hasText: 'Posted after a refused token.' }).waitFor()
    expect(refreshes).toBe(1)
  })

  it('says "only subscribers" to a signed-in reader who is not one, and takes a subscriber', async () => {
    const reader = await token('m-5', { name: 'Free Reader' })
    const host = await site(`<parley-comments article="premium-1" identity-token="${reader}"></parley-comments>`)
    await policy('subscribers', host.url)
    const page = await open(`${host.url}/story`)
    const notice = page.locator('.must-log-in')
    await notice.waitFor()
    expect(await notice.textContent()).toBe('Sorry, only subscribers can comment on this article.')
    expect((await events(page))[0]).toMatchObject({ type: 'parley:login-required', detail: { code: 'subscription_required' } })

    // The reader subscribes; the page gives the element a new token.
    const subscriber = await token('m-5', { name: 'Paying Reader', subscriber: true })
    await page.locator('parley-comments').evaluate((node, given) => node.setAttribute('identity-token', given), subscriber)
    await page.locator('.logged-in-as', { hasText: 'Logged in as Paying Reader.' }).waitFor()
    await page.getByRole('textbox', { name: /^Comment/ }).fill('Worth every penny.')
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await page.locator('.comment-content', { hasText: 'Worth every penny.' }).waitFor()
  })

  it('keeps the guest form where anyone may comment and no token is given, and a token that does not verify counts as none', async () => {
    const host = await site('<parley-comments article="open-1" identity-token="not.a.token"></parley-comments>')
    await policy('anyone', host.url)
    const page = await open(`${host.url}/story`)
    await page.getByRole('textbox', { name: /^Name/ }).waitFor()
    expect(await page.locator('.logged-in-as').count()).toBe(0)
    expect(await events(page)).toEqual([])
  })

  it('renews a token Parley refuses on arrival (a cached page), and takes options set before a deferred script', async () => {
    const stale = await token('m-6', { name: 'Stale Page' }, -120)
    const host = await loopbackServer(async (req, res) => {
      if (req.path === '/token') {
        refreshes++
        res.writeHead(200, { 'Content-Type': 'text/plain' })
        res.end(await token('m-6', { name: 'Fresh Page' }))
        return
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      res.end(`<!doctype html><html lang="en"><head><title>Cached</title>
<script>window.Parley = { identity: { token: ${JSON.stringify(stale)}, refresh: () => fetch('/token').then((r) => r.text()) } }</script>
<script src="${session.url()}/widget.js" defer></script></head>
<body><parley-comments article="members-6"></parley-comments></body></html>`)
    })
    await policy('signed-in', host.url)
    refreshes = 0
    const page = await open(`${host.url}/story`)
    await page.locator('.logged-in-as', { hasText: 'Logged in as Fresh Page.' }).waitFor()
    expect(refreshes).toBe(1)
  })

  it('forgets the reader when the token runs out and the page gives no fresh one', async () => {
    const host = await site(
      `<parley-comments article="members-7" identity-token="${await token('m-7', { name: 'Brief' }, 62)}"></parley-comments>`,
    )
    await policy('signed-in', host.url)
    const page = await open(`${host.url}/story`)
    await page.locator('.logged-in-as', { hasText: 'Logged in as Brief.' }).waitFor()
    // A minute before its end (two seconds from now), with nothing to renew it, the form gives way to the login notice.
    await page.locator('.must-log-in').waitFor({ timeout: 8000 })
    expect(await page.locator('.logged-in-as').count()).toBe(0)
  })
})
