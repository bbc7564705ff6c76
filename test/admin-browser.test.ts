import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { createModerator } from '../src/auth/moderator-store.js'
import { ORIGIN, setupTestApp } from './support/test-app.js'
import { signIn } from './support/moderators.js'
import { launchBrowser } from './support/browser.js'
import { serveTestApp } from './support/http-server.js'

const t = await setupTestApp()
let browser: Browser
let server: Awaited<ReturnType<typeof serveTestApp>>

beforeAll(async () => {
  server = await serveTestApp(t)
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

const ARTICLE = { url: `${ORIGIN}/news/harbour-bridge`, title: 'Harbour bridge reopens after a two-year refit' }

/** A reader's comment through the public API, as the widget would post it; held unless told otherwise. */
async function readerComment(name: string, body: string, extra: Record<string, unknown> = {}, ip = '203.0.113.7'): Promise<number> {
  const res = await t.postJson(
    '/api/v1/articles/harbour-bridge/comments',
    {
      name,
      email: `${name
        .normalize('NFD')
        .replace(/[^A-Za-z]/g, '')
        .toLowerCase()}@example.com`,
      body,
      article: ARTICLE,
      ...extra,
    },
    { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' },
    ip,
  )
  const json = await res.json()
  expect(res.status, JSON.stringify(json)).toBe(201)
  return json.comment.id
}

async function moderator() {
  const password = 'correct horse battery'
  const email = 'mia@news.example'
  await createModerator(t.deps.db, t.deps.passwords, { email, name: 'Mia Moderator', role: 'moderator', password }, t.now())
  return { email, password }
}

async function logIn(page: Page, account: { email: string; password: string }) {
  await page.goto(`${server.url}/admin`)
  expect(new URL(page.url()).pathname).toBe('/admin/login')
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await Promise.all([page.waitForURL(`${server.url}/admin`), page.getByRole('button', { name: 'Sign in' }).click()])
}

const publishedIds = async (): Promise<number[]> =>
  (await (await t.request('/api/v1/articles/harbour-bridge/comments')).json()).comments.map((c: { id: number }) => c.id)

const statusOf = async (id: number): Promise<string> => {
  const api = await signIn(t)
  for (const status of ['pending', 'approved', 'spam', 'trash']) {
    const page = await (await api.get(`/api/v1/moderation/comments?status=${status}&limit=200`)).json()
    if (page.comments.some((c: { id: number }) => c.id === id)) return status
  }
  return 'none'
}

describe('the moderation dashboard in Chromium', () => {
  it('logs in, approves a held comment with j then a, and trashes several at once', async () => {
    await t.setSettings({ floodSeconds: 0 })
    const account = await moderator()
    const first = await readerComment(
      'Margaret Okafor',
      'Finally! The detour through the industrial estate added twenty minutes to every school run.\n\nWill the cycle lane be open from day one?',
    )
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
    const page = await context.newPage()
    await logIn(page, account)

    const row = page.locator(`#comment-${first}`)
    await row.waitFor()
    expect(await row.textContent()).toContain('Margaret Okafor')
    expect(await publishedIds()).toEqual([])

    await page.keyboard.press('j')
    expect(await row.getAttribute('class')).toBe('is-selected')
    await Promise.all([page.waitForURL(/done=approved/), page.keyboard.press('a')])
    expect(await page.getByRole('status').textContent()).toBe('Comment approved.')
    expect(await publishedIds()).toEqual([first])

    const several = [
      await readerComment('Dev Patel', 'Cheap watches at https://watches.example and https://more.example'),
      await readerComment('Dev Patel', 'Buy now, limited offer, see my profile'),
      await readerComment('Dev Patel', 'Best prices on the whole internet'),
    ]
    const keep = await readerComment('Tomás Reyes', 'Does anyone know if the footpath on the east side is finished too?')
    await page.goto(`${server.url}/admin`)
    // x ticks the selected row; t then acts on every ticked comment.
    for (let i = 0; i < several.length; i++) {
      await page.keyboard.press('j')
      await page.keyboard.press('x')
    }
    expect(await page.locator('input[name="ids"]:checked').count()).toBe(3)
    await Promise.all([page.waitForURL(/done=trash&n=3/), page.keyboard.press('t')])
    expect(await page.getByRole('status').textContent()).toBe('3 comments moved to the trash.')
    for (const id of several) expect(await statusOf(id)).toBe('trash')
    expect(await statusOf(keep)).toBe('pending')
    expect(await page.locator('tr[data-row]').count()).toBe(1)

    // The select-all box ticks the page; the bulk buttons act on it.
    await page.locator('#select-all').check()
    expect(await page.locator('input[name="ids"]:checked').count()).toBe(1)
    await Promise.all([page.waitForURL(/done=spam&n=1/), page.locator('[data-bulk-key="s"]').click()])
    expect(await statusOf(keep)).toBe('spam')

    // On a comment's own page the same keys act on it; u goes back to the list.
    const last = await readerComment('Anna Schmidt', 'Lovely photos of the opening.')
    await page.goto(`${server.url}/admin`)
    await page.keyboard.press('j')
    await Promise.all([page.waitForURL(`${server.url}/admin/comments/${last}?from=%2Fadmin`), page.keyboard.press('Enter')])
    await Promise.all([page.waitForURL(/done=approved/), page.keyboard.press('a')])
    expect(await statusOf(last)).toBe('approved')
    await Promise.all([page.waitForURL(`${server.url}/admin`), page.keyboard.press('u')])
    await context.close()
  })

  it('features with f, undoes a trash with z, and bans the commenter with b, by keyboard alone', async () => {
    await t.setSettings({ floodSeconds: 0, previouslyApproved: false })
    const account = await moderator()
    const id = await readerComment('Sofia Rossi', 'The clearest account of the closures I have read anywhere.')
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
    const page = await context.newPage()
    await logIn(page, account)
    await page.goto(`${server.url}/admin?queue=approved`)
    await page.keyboard.press('j')
    await Promise.all([page.waitForURL(/done=featured/), page.keyboard.press('f')])
    expect(await page.getByRole('status').textContent()).toBe("Comment featured: readers see it as an editor's pick.")
    const thread = async () => (await (await t.request('/api/v1/articles/harbour-bridge/comments')).json()).comments
    expect((await thread())[0]).toMatchObject({ id, featured: true })

    // Trashed by mistake: z puts it back, featured as it was.
    await page.keyboard.press('j')
    await Promise.all([page.waitForURL(/done=trash&undo=approved/), page.keyboard.press('t')])
    expect(await statusOf(id)).toBe('trash')
    expect(await page.getByRole('button', { name: 'Undo' }).isVisible()).toBe(true)
    await Promise.all([page.waitForURL(/done=undone&n=1/), page.keyboard.press('z')])
    expect(await page.getByRole('status').textContent()).toBe('Undone: the comment is back where it was.')
    expect(await statusOf(id)).toBe('approved')
    expect((await thread())[0]).toMatchObject({ id, featured: true })

    // On the comment's page, b goes to the ban form; the moderator says why and confirms with its button.
    await page.keyboard.press('j')
    await Promise.all([
      page.waitForURL(`${server.url}/admin/comments/${id}?from=%2Fadmin%3Fqueue%3Dapproved`),
      page.keyboard.press('Enter'),
    ])
    await page.keyboard.press('b')
    expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.name)).toBe('kind')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Spam links after a warning')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Ban commenter')
    await Promise.all([page.waitForURL(/done=banned/), page.keyboard.press('Enter')])
    const api = await signIn(t)
    const rules = (await (await api.get('/api/v1/moderation/commenter-rules')).json()).rules
    expect(rules).toMatchObject([{ action: 'ban', reason: 'Spam links after a warning' }])
    await context.close()
  })

  it('replies and quick-edits inside the queue without leaving it', async () => {
    await t.setSettings({ floodSeconds: 0, previouslyApproved: false })
    const account = await moderator()
    const id = await readerComment('Kwame Mensah', 'The bridge reopnes on Monday.')
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
    const page = await context.newPage()
    await logIn(page, account)
    await page.goto(`${server.url}/admin?queue=approved`)
    const row = page.locator(`#comment-${id}`)
    let navigated = 0
    page.on('framenavigated', () => navigated++)
    await row.getByText('Quick edit').click()
    await row.getByLabel('Edit the text').fill('The bridge reopens on <em>Monday</em>.')
    await row.getByRole('button', { name: 'Save text' }).click()
    await row.getByRole('status').filter({ hasText: 'Comment saved.' }).waitFor()
    expect(await row.locator('.body').innerHTML()).toContain('The bridge reopens on <em>Monday</em>.')
    await row.locator('summary', { hasText: 'Reply' }).click()
    await row.getByLabel(/^Reply as Mia Moderator/).fill('Thanks for the correction.')
    await row.getByRole('button', { name: 'Reply', exact: true }).click()
    await row.getByRole('status').filter({ hasText: 'Reply published.' }).waitFor()
    expect(navigated).toBe(0)
    const thread = await (await t.request('/api/v1/articles/harbour-bridge/comments')).json()
    expect(thread.comments[0].replies.map((r: { html: string }) => r.html)).toEqual(['<p>Thanks for the correction.</p>'])
    await context.close()
  })

  it('works without JavaScript: the same approve is a plain form POST', async () => {
    await t.setSettings({ floodSeconds: 0 })
    const account = await moderator()
    const id = await readerComment('Anna Schmidt', 'The lighting on the new span looks wonderful from the ferry.')
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await logIn(page, account)
    // Without the script, the select-all box stays hidden and a plain link stands in for it.
    expect(await page.locator('#select-all').isVisible()).toBe(false)
    expect(await page.getByRole('link', { name: 'Tick all' }).isVisible()).toBe(true)
    await Promise.all([page.waitForURL(/done=approved/), page.locator(`#comment-${id}`).getByRole('button', { name: 'Approve' }).click()])
    expect(await page.getByRole('status').textContent()).toBe('Comment approved.')
    expect(await publishedIds()).toEqual([id])
    await context.close()
  })

  // How the pages look, light and dark, is for a person: `npm run screenshots` draws them.
  it("moves through the queue by keyboard into a comment's details, and shows the shortcuts on ?", async () => {
    await t.setSettings({ floodSeconds: 0, previouslyApproved: false })
    const account = await moderator()
    const root = await readerComment('Margaret Okafor', 'Finally! The detour added twenty minutes to every school run.')
    const reply = await readerComment('Tomás Reyes', 'Same here. I hope the bus lane stays, too.', { parentId: root }, '198.51.100.23')
    await t.setSettings({ floodSeconds: 0, previouslyApproved: true, maxLinks: 1 })
    const held = await readerComment(
      'Kwame Mensah',
      "The council's own figures disagree: https://council.example/report. <em>Two years</em> late and over budget.",
      { parentId: reply, url: 'https://kwame.example' },
      '192.0.2.44',
    )
    await readerComment('Sofia Rossi', 'First time commenting here: thank you for the clear write-up of the closures.', {}, '198.51.100.77')
    await readerComment('Dev Patel', 'Cheap watches https://watches.example', {}, '192.0.2.99')

    const context = await browser.newContext({ viewport: { width: 1280, height: 820 } })
    const page = await context.newPage()
    await logIn(page, account)
    await page.keyboard.press('j')
    await page.keyboard.press('j')
    await page.keyboard.press('x')
    expect(await page.locator('input[name="ids"]:checked').count()).toBe(1)
    await page.keyboard.press('k')
    await Promise.all([page.waitForURL(/\/admin\/comments\/\d+/), page.keyboard.press('Enter')])
    expect(new URL(page.url()).pathname).toBe(`/admin/comments/${held}`)
    expect(await page.locator('dl.facts').textContent()).toContain('192.0.2.44')

    await page.keyboard.press('?')
    expect(await page.locator('#shortcuts').isVisible()).toBe(true)
    await context.close()
  })

  it('shows an admin the articles, settings with a field error, moderators and the log', async () => {
    await t.setSettings({ floodSeconds: 0 })
    const admin = { email: 'ada@news.example', password: 'correct horse battery' }
    await createModerator(t.deps.db, t.deps.passwords, { ...admin, name: 'Ada Admin', role: 'admin' }, t.now())
    await createModerator(
      t.deps.db,
      t.deps.passwords,
      { email: 'mia@news.example', name: 'Mia Moderator', role: 'moderator', password: 'another long one' },
      t.now(),
    )
    const id = await readerComment('Margaret Okafor', 'Finally!')
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 } })
    const page = await context.newPage()
    await logIn(page, admin)
    await Promise.all([page.waitForURL(/done=approved/), page.locator(`#comment-${id}`).getByRole('button', { name: 'Approve' }).click()])

    await page.goto(`${server.url}/admin/articles`)
    await Promise.all([page.waitForURL(/done=closed/), page.getByRole('button', { name: 'Close comments' }).click()])

    await page.goto(`${server.url}/admin/settings`)
    await page.getByLabel('Threaded comments, levels deep').fill('12')
    await Promise.all([page.waitForURL(`${server.url}/admin/settings`), page.getByRole('button', { name: 'Save settings' }).click()])
    expect(await page.locator('#error-threadDepth').textContent()).toBe('Must be at most 10.')

    await page.goto(`${server.url}/admin/moderators`)
    expect(await page.locator('main').textContent()).toContain('mia@news.example')
    await page.goto(`${server.url}/admin/log`)
    expect(await page.locator('main tbody tr').count()).toBe(2)
    await context.close()
  })
})

describe('the API docs page', () => {
  it('fits a 375 px phone screen: long paths, schemas and code wrap or scroll inside their own boxes', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } })
    const page = await context.newPage()
    await page.goto(`${server.url}/docs`)
    const wide = await page.evaluate(() =>
      Array.from(document.querySelectorAll('body *'))
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('pre'))
        .slice(0, 4)
        .map((el) => `${el.tagName.toLowerCase()}: ${(el.textContent ?? '').slice(0, 60)}`),
    )
    expect(wide).toEqual([])
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await context.close()
  })
})

describe('the dashboard for every moderator, on a phone and a desk', () => {
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
  interface AxeViolation {
    id: string
    impact: string | null
    help: string
    nodes: { target: string[] }[]
  }

  it('passes axe-core with no serious or critical violation and fits the screen, at 375 px and 1280 px', async () => {
    await t.setSettings({ floodSeconds: 0 })
    const account = await moderator()
    const held = await readerComment(
      'Margaret Okafor',
      'Finally! The detour through the industrial estate added twenty minutes to every school run. Will the cycle lane be open from day one? https://example.org/a-long-address-that-should-wrap-somewhere-sensible/on/a/phone',
    )
    await t.setSettings({ previouslyApproved: false })
    const approved = await readerComment(
      'Tomás Reyes',
      'Does anyone know if the footpath on the east side is finished too?',
      {},
      '198.51.100.4',
    )
    await t.postJson(`/api/v1/comments/${approved}/reports`, { reason: 'off_topic', note: 'Not about the bridge.' }, {}, '198.51.100.9')
    const admin = { email: 'ada@news.example', password: 'correct horse battery' }
    await createModerator(t.deps.db, t.deps.passwords, { ...admin, name: 'Ada Admin', role: 'admin' }, t.now())
    const pages = [
      '/admin',
      '/admin?queue=approved',
      '/admin?queue=reported',
      `/admin/comments/${held}`,
      `/admin/comments/${approved}`,
      `/admin/comments/${approved}/commenter`,
      `/admin?queue=approved&done=spam&undo=approved:${approved}@${t.now().getTime()}`,
      '/admin/bans',
      '/admin/articles',
      '/admin/settings',
      '/admin/moderators',
      '/admin/log',
    ]
    const found: string[] = []
    const widths = [375, 1280]
    // Each page is loaded once and checked at both widths: its layout follows the viewport's width
    // (media queries), so a resize shows what a fresh load at that width would.
    // axe is injected as a script: the dashboard's own CSP (nonce only) would refuse it.
    const context = await browser.newContext({ viewport: { width: widths[0] ?? 375, height: 800 }, bypassCSP: true })
    const page = await context.newPage()
    page.on('response', (response) => {
      if (response.status() >= 400) found.push(`${response.status()} for ${new URL(response.url()).pathname}`)
    })
    /** axe's findings and the layout's faults on the loaded page, at each width. */
    const checkAtEachWidth = async (path: string) => {
      await page.addScriptTag({ content: axeSource })
      for (const width of widths) {
        await page.setViewportSize({ width, height: 800 })
        found.push(...(await axeFindings(page)).map((v) => `${width}px ${path}: ${v}`))
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
        if (overflow > 0) {
          const wide = await page.evaluate(() =>
            Array.from(document.querySelectorAll('body *'))
              .filter(
                (el) =>
                  el.getBoundingClientRect().right > window.innerWidth + 1 &&
                  Array.from(el.children).every((child) => child.getBoundingClientRect().right <= window.innerWidth + 1),
              )
              .slice(0, 4)
              .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
              .join(' '),
          )
          found.push(`${width}px ${path}: ${overflow} px wider than the screen (${wide})`)
        }
        const narrow = await page.evaluate(() =>
          Array.from(document.querySelectorAll('td.comment'))
            .map((cell) => Math.round(cell.getBoundingClientRect().width))
            .filter((w) => w < 200),
        )
        if (narrow.length > 0) found.push(`${width}px ${path}: comment cells ${narrow.join(', ')} px wide`)
      }
    }
    await page.goto(`${server.url}/admin/login`)
    // The browser's own request for the icon is answered, with an image it can draw.
    const icon = await page.evaluate(async () => {
      const img = new Image()
      img.src = '/favicon.ico'
      await img.decode()
      return [img.naturalWidth, img.naturalHeight]
    })
    expect(icon).toEqual([16, 16])
    await checkAtEachWidth('/admin/login')
    await page.getByLabel('Email').fill(admin.email)
    await page.getByLabel('Password').fill(admin.password)
    await Promise.all([page.waitForURL(`${server.url}/admin`), page.getByRole('button', { name: 'Sign in' }).click()])
    for (const path of pages) {
      await page.goto(`${server.url}${path}`)
      await checkAtEachWidth(path)
    }
    await context.close()
    expect(found).toEqual([])
    void account
  })

  async function axeFindings(page: Page): Promise<string[]> {
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } })
        .axe
      return (await axe.run(document, { resultTypes: ['violations'] })).violations
    })
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  }
})
