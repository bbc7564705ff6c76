import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import { comments } from '../src/db/schema.js'
import { createModerator } from '../src/auth/moderator-store.js'
import { setupTestApp } from './support/test-app.js'
import { serveTestApp } from './support/http-server.js'
import { launchBrowser } from './support/browser.js'
import { loopbackServer } from './support/loopback-server.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { importOk } from './support/imports.js'
import { startWordPress, WP_ADMIN, type WordPress } from './support/wordpress.js'
import { pageOpener, served } from './support/wordpress-pages.js'
import { PublisherTokens } from '../src/identity/publisher-tokens.js'

// The plugin in integrations/wordpress/parley-comments on Debian's WordPress 6.1 (php -S, MariaDB),
// Twenty Twenty-One active, against this file's Parley on a loopback port.
const t = await setupTestApp()
// Parley's PARLEY_SSO_SECRET, the plugin's identity secret in "logged-in WordPress users" below.
const SSO_SECRET = 'wordpress-and-parley-share-this-secret-0123456789'
t.deps.identity = new PublisherTokens({ secret: SSO_SECRET, jwksUrl: null, issuer: null, audience: null }, { allowPrivate: true })
let parley: Awaited<ReturnType<typeof serveTestApp>>
let browser: Browser
let wp: WordPress
const contexts: BrowserContext[] = []
const artifacts = join('test-artifacts', 'wordpress')

/** What WordPress (the plugin's wp_remote_get, by its user agent) asked Parley. */
interface Asked {
  path: string
  status: number
  ifNoneMatch: string | null
}
const asked: Asked[] = []
// Parley as it fails: answering 503, and not answering at all.
const failing = await loopbackServer((_request, res) => {
  res.writeHead(503).end('down')
})
const silent = await loopbackServer(() => undefined)

beforeAll(async () => {
  parley = await serveTestApp(t, {}, (request, res) => {
    if (!request.headers.get('user-agent')?.startsWith('ParleyComments/')) return
    const url = new URL(request.url)
    asked.push({ path: `${url.pathname}${url.search}`, status: res.status, ifNoneMatch: request.headers.get('if-none-match') })
  })
  ;[wp, browser] = await Promise.all([
    startWordPress({ url: parley.url, cache_seconds: 0 }),
    launchBrowser(),
    mkdir(artifacts, { recursive: true }),
  ])
})
afterAll(async () => {
  await browser?.close()
  await wp?.close()
  await parley?.close()
})
beforeEach(async () => {
  // Parley's clock is the browser's and WordPress's, so that dates agree.
  t.advance((Date.now() - t.now().getTime()) / 1000)
  await t.setSettings({ allowedOrigins: [wp.url], floodSeconds: 0 })
  await wp.setPlugin({ url: parley.url, cache_seconds: 0 })
  asked.length = 0
})
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()))
  // No warning, notice or error of PHP's in any test (WordPress 6.1's own PHP 8.2 deprecations aside).
  expect(await wp.phpErrors()).toEqual([])
})

const open = pageOpener(() => browser, contexts)

// By accessible name: WordPress's labels end in a required-field asterisk.
const field = (page: Page, label: string) => page.getByRole('textbox', { name: new RegExp(`^${label}( \\*)?$`) })

async function fillForm(page: Page, values: { body: string; name: string; email: string }) {
  await field(page, 'Comment').fill(values.body)
  await field(page, 'Name').fill(values.name)
  await field(page, 'Email').fill(values.email)
}

const submit = (page: Page, url: RegExp) =>
  Promise.all([page.waitForURL(url), page.getByRole('button', { name: 'Post Comment' }).click()]).then(() => new URL(page.url()))

async function approveInDashboard(id: number): Promise<void> {
  const account = { email: 'mia@news.example', password: 'correct horse battery' }
  await createModerator(t.deps.db, t.deps.passwords, { ...account, name: 'Mia Moderator', role: 'moderator' }, t.now())
  const page = await open(`${parley.url}/admin`)
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await Promise.all([page.waitForURL(`${parley.url}/admin`), page.getByRole('button', { name: 'Sign in' }).click()])
  await Promise.all([page.waitForURL(/done=approved/), page.locator(`#comment-${id}`).getByRole('button', { name: 'Approve' }).click()])
}

const statusOf = async (id: number) => (await t.deps.db.select().from(comments).where(eq(comments.id, id)))[0]?.status

const RHIAN = { name: 'Rhian Evans', email: 'rhian@example.com' }

describe('the Parley Comments plugin on a real WordPress', () => {
  it('takes a held comment without JavaScript, shows it to its author, and serves it in the page once approved', async () => {
    // Copies kept a minute: the reader's own view with their held comment must not become one.
    await wp.setPlugin({ cache_seconds: 60 })
    const post = await wp.createPost('Harbour bridge reopens after a two-year refit', 'The bridge opened to traffic at six this morning.')
    const page = await open(post.url, { javaScriptEnabled: false })
    await page.getByRole('heading', { name: 'Leave a Reply' }).waitFor()
    expect(await page.locator('#commentform').getAttribute('action')).toBe(`${parley.url}/comment-form`)
    // Parley sets no cookies: WordPress's consent box is gone.
    expect(await page.locator('#wp-comment-cookies-consent').count()).toBe(0)
    await page.screenshot({ path: join(artifacts, 'post-before.png'), fullPage: true })

    await fillForm(page, { ...RHIAN, body: 'Will the cycle lane be open from day one?' })
    const back = await submit(page, /unapproved=/)
    const id = Number(back.searchParams.get('unapproved'))
    expect(back.origin + back.pathname).toBe(post.url)
    expect(back.hash).toBe(`#comment-${id}`)
    expect(back.searchParams.get('moderation-hash')).toMatch(/\S/)
    expect(await statusOf(id)).toBe('pending')
    const held = page.locator(`#comment-${id}`)
    expect(await held.locator('.comment-awaiting-moderation').textContent()).toBe('Your comment is awaiting moderation.')
    expect(await held.locator('.comment-content').textContent()).toContain('cycle lane')
    // Only its author sees it: the page as anyone else gets it does not have it.
    expect(await served(post.url)).not.toContain('cycle lane')

    await wp.setPlugin({ cache_seconds: 0 })
    await approveInDashboard(id)
    expect(await statusOf(id)).toBe('approved')
    const html = await served(post.url)
    expect(html).toContain(`<li id="comment-${id}"`)
    expect(html).toContain('Will the cycle lane be open from day one?')
    expect(html).toContain('One thought on &ldquo;Harbour bridge reopens after a two-year refit&rdquo;')
    expect(html).not.toContain('comment-awaiting-moderation')

    // Styled by the theme: Twenty Twenty-One sets the author's name in its large size (1.5rem).
    await page.goto(post.url)
    const name = page.locator(`#comment-${id} .comment-author .fn`)
    expect(await name.textContent()).toBe(RHIAN.name)
    expect(await name.evaluate((node) => getComputedStyle(node).fontSize)).toBe('24px')
    await page.screenshot({ path: join(artifacts, 'post-after.png'), fullPage: true })

    // A reply through WordPress's ?replytocom= link, still without JavaScript, nested under its parent.
    await Promise.all([page.waitForURL(/replytocom=/), page.locator(`#comment-${id} .comment-reply-link`).click()])
    expect(new URL(page.url()).searchParams.get('replytocom')).toBe(String(id))
    await page.getByRole('heading', { name: `Leave a Reply to ${RHIAN.name} Cancel reply` }).waitFor()
    expect(await page.locator('#comment_parent').inputValue()).toBe(String(id))
    await fillForm(page, { ...RHIAN, body: 'Answering myself: yes, it opens with the bridge.' })
    const replied = await submit(page, /parley_posted=1/)
    const replyId = Number(replied.hash.replace('#comment-', ''))
    expect(await statusOf(replyId)).toBe('approved')
    await page.locator(`#comment-${id} > ol.children > #comment-${replyId}`).waitFor()
    expect(await served(post.url)).toContain('2 thoughts on &ldquo;Harbour bridge reopens after a two-year refit&rdquo;')
  })

  it('with JavaScript, the form still posts and the comment appears', async () => {
    await t.setSettings(openSettings)
    const post = await wp.createPost('Ferry timetable changes', 'Winter sailings start on Monday.')
    const page = await open(post.url)
    await fillForm(page, { ...RHIAN, body: 'The 7:40 is the one that matters.' })
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await page.getByText('The 7:40 is the one that matters.').first().waitFor()
    await page.screenshot({ path: join(artifacts, 'post-with-javascript.png'), fullPage: true })
    const html = await served(post.url)
    expect(html).toContain('The 7:40 is the one that matters.')
    expect(html).toContain(`<script defer src='${parley.url}/widget.js' id='parley-comments-widget-js'></script>`)
    expect(html).toContain(`<parley-comments article="${post.id}" data-url="${post.url}" data-title="Ferry timetable changes">`)
  })

  it("counts the home page's comments with one request for all its posts", async () => {
    await t.setSettings(openSettings)
    const first = await wp.createPost('Library opens on Sundays', 'From next month.')
    const second = await wp.createPost('Market moves to the quay', 'Every Saturday.')
    await postComment(t, String(first.id), { body: 'At last.' })
    await postComment(t, String(first.id), { body: 'Which hours?' })
    await postComment(t, String(second.id), { body: 'Good for the cafés.' })
    asked.length = 0
    const html = await served(`${wp.url}/`)
    expect(html).toContain('2 Comments<span class="screen-reader-text"> on Library opens on Sundays</span>')
    expect(html).toContain('1 Comment<span class="screen-reader-text"> on Market moves to the quay</span>')
    expect(asked).toHaveLength(1)
    expect(asked[0]?.path).toMatch(/^\/api\/v1\/counts\?keys=/)
    const keys = decodeURIComponent(asked[0]?.path.split('keys=')[1] ?? '').split(',')
    expect(keys).toEqual(expect.arrayContaining([String(first.id), String(second.id)]))
  })

  it('asks Parley at most once per page view with a kept copy, and not at all within the cache seconds', async () => {
    await t.setSettings(openSettings)
    await wp.setPlugin({ cache_seconds: 60 })
    const post = await wp.createPost('Tide tables for December', 'High water at the harbour.')
    await postComment(t, String(post.id), { body: 'Spring tides on the 14th.' })
    // The site's language as Parley keeps it (WordPress's en_US).
    const thread = `/api/v1/articles/${post.id}/comments.html?limit=100&lang=en`

    expect(await served(post.url)).toContain('Spring tides on the 14th.')
    expect(asked).toEqual([{ path: thread, status: 200, ifNoneMatch: null }])
    asked.length = 0
    expect(await served(post.url)).toContain('Spring tides on the 14th.')
    expect(asked).toEqual([])

    // Past the cache seconds: one conditional request, answered 304, and the copy is shown.
    await wp.setPlugin({ cache_seconds: 0 })
    expect(await served(post.url)).toContain('Spring tides on the 14th.')
    expect(asked).toEqual([{ path: thread, status: 304, ifNoneMatch: expect.stringMatching(/^"/) }])
  })

  it('shows the last copy while Parley does not answer, or says the comments are unavailable, without a PHP error', async () => {
    await t.setSettings(openSettings)
    const post = await wp.createPost('Road closures this weekend', 'The high street is closed on Sunday.')
    const never = await wp.createPost('Parking on the quay', 'New bays are marked.')
    await postComment(t, String(post.id), { body: 'Diversion via the ring road.' })
    expect(await served(post.url)).toContain('Diversion via the ring road.')

    const closed = parley.url.replace(/:\d+$/, ':9')
    for (const url of [closed, failing.url]) {
      await wp.setPlugin({ url })
      const html = await served(post.url)
      expect(html).toContain('Diversion via the ring road.')
      expect(html).not.toContain('Comments are temporarily unavailable.')
      expect(await served(never.url)).toContain('Comments are temporarily unavailable.')
    }
    // A Parley that does not answer holds the page 3 seconds at most.
    await wp.setPlugin({ url: silent.url })
    const started = Date.now()
    expect(await served(post.url)).toContain('Diversion via the ring road.')
    expect(Date.now() - started).toBeLessThan(4_500)
  })

  it("puts the same area in a block theme's Comments block (Twenty Twenty-Three)", async () => {
    await t.setSettings(openSettings)
    const post = await wp.createPost('Lifeboat open day', 'The station opens its doors on Saturday.')
    const { comment } = await postComment(t, String(post.id), { body: 'The children loved the tractor.' })
    await wp.php(`switch_theme('twentytwentythree'); return true;`)
    try {
      const html = await served(post.url)
      expect(html).toContain(`<parley-comments article="${post.id}"`)
      expect(html).toContain(`<li id="comment-${comment.id}"`)
      expect(html).toContain(`action="${parley.url}/comment-form"`)
      // The block's own comment list is gone.
      expect(html).not.toContain('class="wp-block-comments')
    } finally {
      await wp.php(`switch_theme('twentytwentyone'); return true;`)
    }
  })

  it("shows the comments of this WordPress's own export at their old anchors, and WordPress takes no comment itself", async () => {
    const post = await wp.createPost('Ferry service ends after 90 years', 'The last crossing was on Friday.')
    const old = Number(
      await wp.php(
        `return wp_insert_comment(array('comment_post_ID' => ${post.id}, 'comment_author' => 'Gwen Morgan', 'comment_author_email' => 'gwen@example.com', 'comment_content' => 'I took that ferry to school every day.', 'comment_approved' => 1));`,
      ),
    )
    const wxr = String(
      await wp.php(
        `require_once ABSPATH . 'wp-admin/includes/export.php'; ob_start(); export_wp(array('content' => 'all')); return ob_get_clean();`,
      ),
    )
    await importOk(t, await signIn(t, 'admin'), wxr)
    const html = await served(post.url)
    expect(html).toContain(`<li id="comment-${old}"`)
    expect(html).toContain('I took that ferry to school every day.')
    expect(html).toContain('One thought on &ldquo;Ferry service ends after 90 years&rdquo;')

    const refused = await fetch(`${wp.url}/wp-comments-post.php`, {
      method: 'POST',
      body: new URLSearchParams({
        comment_post_ID: String(post.id),
        comment: 'Straight to WordPress',
        author: 'Gwen',
        email: 'gwen@example.com',
      }),
    })
    expect(refused.status).toBe(403)
    expect(Number(await wp.php(`return get_comments(array('post_id' => ${post.id}, 'count' => true));`))).toBe(1)
  })

  it('is set up on its own settings page, which refuses an address it cannot use', async () => {
    const settings = `${wp.url}/wp-admin/options-general.php?page=parley-comments`
    const page = await open(`${wp.url}/wp-login.php?redirect_to=${encodeURIComponent(settings)}`)
    await page.getByLabel('Username or Email Address').fill(WP_ADMIN.user)
    await page.getByLabel('Password', { exact: true }).fill(WP_ADMIN.password)
    await Promise.all([page.waitForURL(settings), page.getByRole('button', { name: 'Log In' }).click()])
    await page.getByRole('heading', { name: 'Parley Comments' }).waitFor()
    expect(await page.getByLabel('Parley URL').inputValue()).toBe(parley.url)

    await page.getByLabel('Parley URL').fill('http://comments.example.com')
    await page.getByLabel('Cache seconds').fill('30')
    await page.getByRole('button', { name: 'Save Changes' }).click()
    await page.getByText('The Parley URL must be an https address (or http on localhost), without a query.').waitFor()
    expect(await page.getByLabel('Parley URL').inputValue()).toBe(parley.url)
    expect(await page.getByLabel('Cache seconds').inputValue()).toBe('30')

    await page.getByLabel('Parley URL').fill('https://comments.example.com/')
    await page.getByLabel('Article key prefix').fill('blog-b:')
    await page.getByRole('button', { name: 'Save Changes' }).click()
    await page.getByText('Settings saved.').waitFor()
    expect(await wp.php(`return get_option('parley_comments_settings');`)).toEqual({
      url: 'https://comments.example.com',
      key_prefix: 'blog-b:',
      cache_seconds: 30,
      identity_secret: '',
    })

    // The identity secret: at least 32 bytes, never printed back, kept when left empty, cleared by its box.
    const secret = page.getByLabel('Identity secret', { exact: true })
    await secret.fill('too short')
    await page.getByRole('button', { name: 'Save Changes' }).click()
    await page
      .getByText(
        "The identity secret must be at least 32 characters (letters, digits and punctuation, no spaces), the same as Parley's PARLEY_SSO_SECRET.",
      )
      .waitFor()
    await secret.fill(SSO_SECRET)
    await page.getByRole('button', { name: 'Save Changes' }).click()
    await page.getByText('Settings saved.').waitFor()
    expect(await page.content()).not.toContain(SSO_SECRET)
    expect(await secret.inputValue()).toBe('')
    expect(await secret.getAttribute('placeholder')).toBe('Set: leave empty to keep it')
    await page.getByLabel('Article key prefix').fill('')
    await page.getByRole('button', { name: 'Save Changes' }).click()
    await page.getByText('Settings saved.').waitFor()
    expect(await wp.php(`return get_option('parley_comments_settings')['identity_secret'];`)).toBe(SSO_SECRET)
    await page.getByLabel('Clear the identity secret (logged-in users then comment as guests)').check()
    await page.getByRole('button', { name: 'Save Changes' }).click()
    await page.getByText('Settings saved.').waitFor()
    expect(await wp.php(`return get_option('parley_comments_settings');`)).toEqual({
      url: 'https://comments.example.com',
      key_prefix: '',
      cache_seconds: 30,
      identity_secret: '',
    })
    expect(await secret.getAttribute('placeholder')).toBe('Not set')
  })

  it('removes its option and its copies when it is uninstalled', async () => {
    const post = await wp.createPost('Pier repairs', 'Scaffolding goes up on Monday.')
    await served(post.url)
    const kept = `SELECT COUNT(*) FROM $wpdb->options WHERE option_name LIKE '%parley\\_comments%'`
    expect(Number(await wp.php(`global $wpdb; return $wpdb->get_var("${kept}");`))).toBeGreaterThan(1)
    await wp.php(
      `deactivate_plugins('parley-comments/parley-comments.php'); uninstall_plugin('parley-comments/parley-comments.php'); return true;`,
    )
    expect(Number(await wp.php(`global $wpdb; return $wpdb->get_var("${kept}");`))).toBe(0)
    await wp.php(`activate_plugin('parley-comments/parley-comments.php'); return true;`)
  })

  it("with JavaScript, the widget takes the theme's thread and form over: nothing moves, a reply beside WordPress's comment-reply.js posts in place", async () => {
    await t.setSettings(openSettings)
    const post = await wp.createPost('Library opening hours', 'Open late on Thursdays from next month.')
    const first = await postComment(t, String(post.id), { name: 'Idris', body: 'Until nine?' })
    await postComment(t, String(post.id), { name: 'Ann', body: 'About time.' })
    const boxes = (page: Page) =>
      Promise.all(['#comments', '.comment-list > li:first-child', '#respond'].map((s) => page.locator(s).boundingBox()))
    const before = await boxes(await open(post.url, { javaScriptEnabled: false }))
    const page = await open(post.url)
    await page.locator('.parley-actions').first().waitFor()
    expect(await boxes(page)).toEqual(before)
    // Twenty Twenty-One loads WordPress's comment-reply.js; the reply it sets up is the one posted.
    expect(await page.evaluate(() => typeof (window as unknown as { addComment?: unknown }).addComment)).toBe('object')
    await page.getByRole('link', { name: 'Reply to Idris' }).focus()
    await page.keyboard.press('Enter')
    await page.locator(`#comment-${first.comment.id} > article + #respond`).waitFor()
    expect(await page.locator('#comment_parent').inputValue()).toBe(String(first.comment.id))
    await fillForm(page, { ...RHIAN, body: 'Until nine, and ten in exam weeks.' })
    await page.getByRole('button', { name: 'Post Comment' }).focus()
    await page.keyboard.press('Enter')
    const reply = page.locator(`#comment-${first.comment.id} > ol.children > li.depth-2`)
    await reply.locator('.comment-content', { hasText: 'Until nine, and ten in exam weeks.' }).waitFor()
    expect(page.url()).toBe(post.url)
    await reply.getByRole('button', { name: 'Edit your comment' }).waitFor()
    await page.getByRole('button', { name: 'Report the comment by Ann' }).waitFor()
    expect(await page.locator('#wp-temp-form-div').count()).toBe(0)
    expect(await page.locator('#comment_parent').inputValue()).toBe('0')
    await page.screenshot({ path: join(artifacts, 'enhanced-reply.png'), fullPage: true })
    const [row] = await t.deps.db.select().from(comments).where(eq(comments.parentId, first.comment.id))
    expect(row?.body).toBe('Until nine, and ten in exam weeks.')
  })
})

describe('logged-in WordPress users, with the identity secret set', () => {
  beforeEach(async () => {
    await t.setSettings(openSettings)
    await wp.setPlugin({ identity_secret: SSO_SECRET })
  })
  afterEach(async () => {
    await t.setSettings({ commentPolicy: 'anyone' })
    await wp.php(
      `$o = get_option('parley_comments_settings'); $o['identity_secret'] = ''; update_option('parley_comments_settings', $o); return true;`,
    )
  })

  /** A browser logged in to WordPress as its administrator (display name "admin", user 1), on `then`. */
  async function loggedIn(then: string, options: BrowserContextOptions = {}): Promise<{ page: Page; cacheControl: string | null }> {
    const page = await open(`${wp.url}/wp-login.php`, options)
    await page.getByLabel('Username or Email Address').fill(WP_ADMIN.user)
    await page.getByLabel('Password', { exact: true }).fill(WP_ADMIN.password)
    await Promise.all([page.waitForURL(/wp-admin/), page.getByRole('button', { name: 'Log In' }).click()])
    const res = await page.goto(then)
    return { page, cacheControl: (await res?.allHeaders())?.['cache-control'] ?? null }
  }

  const rowOf = async (body: string) => (await t.deps.db.select().from(comments).where(eq(comments.body, body)))[0]

  it("comment as their account, with JavaScript off and on; a visitor's form carries no token", async () => {
    const post = await wp.createPost('Council meeting moved', 'The meeting is now on Wednesday.')
    expect(await served(post.url)).not.toContain('parley_identity')
    const admin = await wp.php(`return get_userdata(1)->display_name;`)

    // Without JavaScript: the plain form carries the token in parley_identity.
    const plain = await loggedIn(post.url, { javaScriptEnabled: false })
    expect(plain.cacheControl).toContain('no-store')
    await plain.page.getByText(`Logged in as ${admin}.`).waitFor()
    const token = await plain.page.locator('#commentform input[name=parley_identity]').getAttribute('value')
    const [header, claims] = (token ?? '')
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()))
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]{43}$/)
    expect(claims).toMatchObject({ sub: 'wp:1', name: admin, email: 'admin@example.com', subscriber: true })
    expect(claims.exp - claims.iat).toBe(7200)
    expect(claims).not.toHaveProperty('picture')
    await field(plain.page, 'Comment').fill('Posted as the WordPress user, without JavaScript.')
    await submit(plain.page, /parley_posted=1/)

    // With JavaScript: the widget posts the form through the API with identityToken. A token that
    // no longer verifies is refused with WordPress's words for an expired session.
    const enhanced = await loggedIn(post.url)
    await enhanced.page.locator('.parley-actions').first().waitFor()
    const good = await enhanced.page.locator('input[name=parley_identity]').inputValue()
    await enhanced.page.locator('input[name=parley_identity]').evaluate((input: HTMLInputElement) => (input.value += 'x'))
    await field(enhanced.page, 'Comment').fill('Posted as the WordPress user, with JavaScript.')
    await enhanced.page.getByRole('button', { name: 'Post Comment' }).click()
    // In the form's error (the widget also says it in its live region, 50 ms later: on a slow machine
    // a page-wide getByText met both, CI of 2026-12-07).
    await enhanced.page
      .locator('#parley-form-error', { hasText: 'Your session has expired. Please reload the page and log in again.' })
      .waitFor()
    await enhanced.page.locator('input[name=parley_identity]').evaluate((input: HTMLInputElement, value) => (input.value = value), good)
    await enhanced.page.getByRole('button', { name: 'Post Comment' }).click()
    await enhanced.page.locator('.comment-content', { hasText: 'Posted as the WordPress user, with JavaScript.' }).waitFor()

    const subject = await t.deps.secrets.subjectHash('wp:1')
    for (const body of ['Posted as the WordPress user, without JavaScript.', 'Posted as the WordPress user, with JavaScript.']) {
      const row = await rowOf(body)
      expect(row?.authorName).toBe(admin)
      expect(row?.subjectHash).toBe(subject)
    }
    const thread = await (await t.request(`/api/v1/articles/${post.id}/comments`)).json()
    expect(thread.comments.map((c: { author: { name: string; verified: boolean } }) => [c.author.name, c.author.verified])).toEqual([
      [admin, true],
      [admin, true],
    ])
  })

  it("where Parley takes signed-in readers only, a visitor gets WordPress's refusal and the logged-in user posts", async () => {
    await t.setSettings({ commentPolicy: 'signed-in' })
    const post = await wp.createPost('Members only', 'Comments from readers with an account.')
    const visitor = await open(post.url, { javaScriptEnabled: false })
    await fillForm(visitor, { ...RHIAN, body: 'A visitor tries.' })
    await visitor.getByRole('button', { name: 'Post Comment' }).click()
    await visitor.getByText('Sorry, you must be logged in to comment.').waitFor()
    expect(await rowOf('A visitor tries.')).toBeUndefined()

    const { page } = await loggedIn(post.url, { javaScriptEnabled: false })
    await field(page, 'Comment').fill('A logged-in user may.')
    await submit(page, /parley_posted=1/)
    expect((await rowOf('A logged-in user may.'))?.subjectHash).toBe(await t.deps.secrets.subjectHash('wp:1'))
  })
})
