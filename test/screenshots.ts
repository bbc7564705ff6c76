// `npm run screenshots [folder]`: the widget's demo pages and the moderation dashboard in Chromium,
// light and dark, phone and desk, as PNGs in the folder (default test-artifacts/screenshots), for a
// person to look at. Not a test: what the pages must do is asserted by test/widget-browser.test.ts
// and test/admin-browser.test.ts; this only draws them, on an embedded database of its own.
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { createModerator } from '../src/auth/moderator-store.js'
import { createTestApp, ORIGIN, type TestApp } from './support/test-app.js'
import { serveTestApp } from './support/http-server.js'
import { launchBrowser } from './support/browser.js'
import { signIn } from './support/moderators.js'
import { postComment } from './support/seed.js'

const folder = resolve(process.argv[2] ?? join('test-artifacts', 'screenshots'))
const ARTICLE = { url: `${ORIGIN}/news/harbour-bridge`, title: 'Harbour bridge reopens after a two-year refit' }

type Server = Awaited<ReturnType<typeof serveTestApp>>

async function shoot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage })
  console.log(`  ${name}.png`)
}

/** A reader's comment through the public API, as the widget would post it. */
async function readerComment(
  t: TestApp,
  name: string,
  body: string,
  extra: Record<string, unknown> = {},
  ip = '203.0.113.7',
): Promise<number> {
  const email = `${name
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase()}@example.com`
  const res = await t.postJson(
    '/api/v1/articles/harbour-bridge/comments',
    { name, email, body, article: ARTICLE, ...extra },
    { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' },
    ip,
  )
  if (res.status !== 201) throw new Error(`posting a comment: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { comment: { id: number } }).comment.id
}

async function logIn(page: Page, server: Server, account: { email: string; password: string }): Promise<void> {
  await page.goto(`${server.url}/admin`)
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await Promise.all([page.waitForURL(`${server.url}/admin`), page.getByRole('button', { name: 'Sign in' }).click()])
}

async function newPage(browser: Browser, options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext(options)
  return context.newPage()
}

/** /demo in light and dark with a thread, a moderator's reply and a held comment; /demo/plain; the form's field errors. */
async function demo(t: TestApp, server: Server, browser: Browser): Promise<void> {
  await t.reset()
  await t.setSettings({ floodSeconds: 0, previouslyApproved: false })
  const first = await postComment(t, 'demo', {
    name: 'Idris Okafor',
    body: 'Thanks for the write-up. We could really use more people on the <strong>bicycle</strong> table: even just pumping tyres and <em>adjusting brakes</em> helps.',
    url: 'https://idris.example/',
  })
  await postComment(t, 'demo', {
    name: 'Cerys',
    body: 'I brought a radio that had been silent since 2009. It plays again!',
    parentId: first.comment.id,
  })
  const moderator = await signIn(t, 'moderator', 'Gazette desk')
  await moderator.send('POST', `/api/v1/moderation/comments/${first.comment.id}/replies`, {
    body: "We will add the bicycle call-out to next week's listings.",
  })
  await postComment(t, 'demo', {
    name: 'Tomasz',
    body: 'Is there a list of the products they could not repair? Would be useful before buying a kettle.',
  })
  await t.setSettings({ previouslyApproved: true })

  for (const colorScheme of ['light', 'dark'] as const) {
    const page = await newPage(browser, { colorScheme, viewport: { width: 900, height: 900 } })
    await page.goto(`${server.url}/demo`)
    await page.getByRole('heading', { name: '4 Comments', exact: true }).waitFor()
    if (colorScheme === 'light') {
      await fill(page, { body: 'Held for moderation: my first comment here.', name: 'New Reader', email: 'new@example.com' })
      await page.getByRole('button', { name: 'Post Comment' }).click()
      await page.locator('.comment-awaiting-moderation').waitFor()
    }
    await shoot(page, `demo-${colorScheme}`)
    await page.context().close()
  }
  const plain = await newPage(browser, { javaScriptEnabled: false, viewport: { width: 900, height: 900 } })
  await plain.goto(`${server.url}/demo/plain`)
  await shoot(plain, 'demo-plain')
  await plain.context().close()

  const errors = await newPage(browser, { viewport: { width: 900, height: 900 } })
  await errors.goto(`${server.url}/demo`)
  await fill(errors, { body: 'Hello', name: '  ', email: 'not-an-email', url: 'javascript:alert(1)' })
  await errors.getByRole('button', { name: 'Post Comment' }).click()
  await errors.locator('.comment-form-author .field-error').waitFor()
  await errors.locator('#respond').screenshot({ path: join(folder, 'demo-field-errors.png') })
  console.log('  demo-field-errors.png')
  await errors.context().close()
}

async function fill(page: Page, values: { body: string; name: string; email: string; url?: string }): Promise<void> {
  const field = (label: string) => page.getByRole('textbox', { name: new RegExp(`^${label}( \\*)?$`) })
  await field('Comment').fill(values.body)
  await field('Name').fill(values.name)
  await field('Email').fill(values.email)
  if (values.url !== undefined) await field('Website').fill(values.url)
}

/** The dashboard: login, the queue, a comment and the shortcuts in light and dark; an admin's pages; the reported queue on a phone and a desk. */
async function dashboard(t: TestApp, server: Server, browser: Browser): Promise<void> {
  await t.reset()
  await t.setSettings({ floodSeconds: 0, previouslyApproved: false })
  const mia = { email: 'mia@news.example', password: 'correct horse battery' }
  const ada = { email: 'ada@news.example', password: 'correct horse battery' }
  await createModerator(t.deps.db, t.deps.passwords, { ...mia, name: 'Mia Moderator', role: 'moderator' }, t.now())
  await createModerator(t.deps.db, t.deps.passwords, { ...ada, name: 'Ada Admin', role: 'admin' }, t.now())
  const root = await readerComment(t, 'Margaret Okafor', 'Finally! The detour added twenty minutes to every school run.')
  const reply = await readerComment(t, 'Tomás Reyes', 'Same here. I hope the bus lane stays, too.', { parentId: root }, '198.51.100.23')
  await t.setSettings({ floodSeconds: 0, previouslyApproved: true, maxLinks: 1 })
  await readerComment(
    t,
    'Kwame Mensah',
    "The council's own figures disagree: https://council.example/report. <em>Two years</em> late and over budget.",
    { parentId: reply, url: 'https://kwame.example' },
    '192.0.2.44',
  )
  await readerComment(
    t,
    'Sofia Rossi',
    'First time commenting here: thank you for the clear write-up of the closures.',
    {},
    '198.51.100.77',
  )
  await readerComment(t, 'Dev Patel', 'Cheap watches https://watches.example', {}, '192.0.2.99')
  await t.postJson(`/api/v1/comments/${reply}/reports`, { reason: 'off_topic', note: 'Not about the bridge' }, {}, '203.0.113.50')

  for (const scheme of ['light', 'dark'] as const) {
    const page = await newPage(browser, { viewport: { width: 1280, height: 820 }, colorScheme: scheme })
    await page.goto(`${server.url}/admin/login`)
    await shoot(page, `admin-login-${scheme}`, false)
    await logIn(page, server, mia)
    await page.keyboard.press('j')
    await page.keyboard.press('j')
    await page.keyboard.press('x')
    await shoot(page, `admin-queue-${scheme}`)
    await page.keyboard.press('k')
    await Promise.all([page.waitForURL(/\/admin\/comments\/\d+/), page.keyboard.press('Enter')])
    await shoot(page, `admin-comment-${scheme}`)
    await page.keyboard.press('?')
    await page.locator('#shortcuts').waitFor()
    await shoot(page, `admin-shortcuts-${scheme}`, false)
    await page.context().close()
  }

  const page = await newPage(browser, { viewport: { width: 1280, height: 820 } })
  await logIn(page, server, ada)
  await page.goto(`${server.url}/admin/articles`)
  await shoot(page, 'admin-articles-light')
  await page.goto(`${server.url}/admin/settings`)
  await page.getByLabel('Threaded comments, levels deep').fill('12')
  await Promise.all([page.waitForURL(`${server.url}/admin/settings`), page.getByRole('button', { name: 'Save settings' }).click()])
  await shoot(page, 'admin-settings-light')
  await page.emulateMedia({ colorScheme: 'dark' })
  await shoot(page, 'admin-settings-dark')
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto(`${server.url}/admin/moderators`)
  await shoot(page, 'admin-moderators-light')
  await page.goto(`${server.url}/admin/log`)
  await shoot(page, 'admin-log-light')
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 800 })
    await page.goto(`${server.url}/admin?queue=reported`)
    await shoot(page, `dashboard-reported-${width}`)
  }
  await page.context().close()
}

await mkdir(folder, { recursive: true })
// Its own embedded database (package.json's script unsets DATABASE_URL), migrated here.
const t = await createTestApp()
const server = await serveTestApp(t)
const browser = await launchBrowser()
try {
  console.log(`Screenshots in ${folder}:`)
  await demo(t, server, browser)
  await dashboard(t, server, browser)
} finally {
  await browser.close()
  await server.close()
  await t.close()
}
