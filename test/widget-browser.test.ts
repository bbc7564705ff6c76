import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import { articles, comments, jobs, reports } from '../src/db/schema.js'
import { commentVotes } from '../src/db/desk-schema.js'
import { nodeSmtpTransport } from '../src/runtime/node-mail.js'
import { setupTestApp } from './support/test-app.js'
import { serveTestApp } from './support/http-server.js'
import { launchBrowser } from './support/browser.js'
import { loopbackServer } from './support/loopback-server.js'
import { signIn } from './support/moderators.js'
import { openSettings, postComment } from './support/seed.js'
import { xss } from './support/corpora.js'
import { startSmtpSink } from './support/smtp-sink.js'

declare global {
  interface Window {
    __violations?: string[]
    __pwned?: boolean
  }
}

const t = await setupTestApp()
let parley: Awaited<ReturnType<typeof serveTestApp>>
let browser: Browser
const contexts: BrowserContext[] = []
const pageErrors: string[] = []

beforeAll(async () => {
  ;[parley, browser] = await Promise.all([serveTestApp(t), launchBrowser()])
})
afterAll(async () => {
  await browser?.close()
  await parley?.close()
})
// The server's clock is the browser's, so that both agree on when the edit window closes.
beforeEach(() => t.advance((Date.now() - t.now().getTime()) / 1000))
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()))
  expect(pageErrors.splice(0)).toEqual([])
})

/** A fresh browser profile on `url`, recording CSP violations, script errors and any alert(). */
async function open(url: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options)
  contexts.push(context)
  await context.addInitScript(() => {
    window.__violations = []
    document.addEventListener('securitypolicyviolation', (e) => window.__violations?.push(`${e.violatedDirective} ${e.blockedURI}`))
    window.alert =
      window.confirm =
      window.prompt =
        () => {
          window.__pwned = true
          return null as never
        }
  })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  page.on('pageerror', (error) => pageErrors.push(error.message))
  await page.goto(url.startsWith('http') ? url : `${parley.url}${url}`)
  return page
}

// By accessible name: the widget hides WordPress's asterisk from screen readers, the plain form does not.
const field = (page: Page, label: string) => page.getByRole('textbox', { name: new RegExp(`^${label}( \\*)?$`) })
const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true })

async function fillForm(page: Page, values: { body: string; name?: string; email?: string; url?: string }) {
  await field(page, 'Comment').fill(values.body)
  await field(page, 'Name').fill(values.name ?? 'Rhian')
  await field(page, 'Email').fill(values.email ?? 'rhian@example.com')
  if (values.url !== undefined) await field(page, 'Website').fill(values.url)
}

async function post(page: Page, values: Parameters<typeof fillForm>[1]) {
  await fillForm(page, values)
  await page.getByRole('button', { name: 'Post Comment' }).click()
}

/** The id of the element focused inside the widget's shadow root. */
const focusedInWidget = (page: Page) =>
  page.evaluate(
    () => (document.querySelector('parley-comments') ?? document.querySelector('#comments'))?.shadowRoot?.activeElement?.id ?? null,
  )

/** Waits until the widget's live region says `text`. */
const announced = (page: Page, text: string) => page.locator('[role=status]', { hasText: text }).waitFor()

async function rowOf(id: number) {
  const [row] = await t.deps.db.select().from(comments).where(eq(comments.id, id))
  return row
}

describe('the widget on /demo', () => {
  it("shows a reader's held comment in place, then published once a moderator approves it", async () => {
    await t.setSettings({ floodSeconds: 0 })
    const page = await open('/demo')
    await heading(page, 'No Comments').waitFor()
    await heading(page, 'Leave a Reply').waitFor()
    await post(page, { body: 'Does the café take laptops with swollen batteries?' })
    const held = page.locator('#comment-1')
    await held.locator('.comment-awaiting-moderation', { hasText: 'Your comment is awaiting moderation.' }).waitFor()
    // The heading counts approved comments, as WordPress's does, but never says "No Comments" above one.
    await heading(page, 'Comments').waitFor()
    expect(await held.locator('.comment-content').textContent()).toBe('Does the café take laptops with swollen batteries?')
    expect(await focusedInWidget(page)).toBe('div-comment-1')
    await announced(page, 'Your comment is awaiting moderation.')
    expect(await field(page, 'Comment').inputValue()).toBe('')
    const own = await page.evaluate((key) => localStorage.getItem(key), `parley:${parley.url}:own`)
    expect(Object.keys(JSON.parse(own ?? '{}'))).toEqual(['1'])
    expect((await rowOf(1))?.status).toBe('pending')

    // Still there, still held, on the next visit: the token finds it.
    await page.reload()
    await page.locator('#comment-1 .comment-awaiting-moderation').waitFor()
    await heading(page, 'Comments').waitFor()
    expect(await heading(page, 'No Comments').count()).toBe(0)

    const moderator = await signIn(t)
    expect((await moderator.send('PATCH', '/api/v1/moderation/comments/1', { status: 'approved' })).status).toBe(200)
    await page.reload()
    await heading(page, '1 Comment').waitFor()
    await page.locator('#comment-1 .comment-content', { hasText: 'swollen batteries' }).waitFor()
    expect(await page.locator('.comment-awaiting-moderation').count()).toBe(0)
    // Approved, its token became the reader's proof: on a network Parley has not seen them on (here,
    // their first comment's address forgotten as if from another), their next comment is published.
    // The widget keeps it when its own request for the comment answers, which may come after the thread's.
    const proofKey = `parley:${parley.url}:proof`
    await page.waitForFunction((key) => localStorage.getItem(key) !== null, proofKey)
    const proof = await page.evaluate((key) => localStorage.getItem(key), proofKey)
    expect(JSON.parse(proof ?? 'null')).toEqual({ commentId: 1, token: expect.any(String) })
    await t.deps.db.update(comments).set({ ip: '192.0.2.1' }).where(eq(comments.id, 1))
    await post(page, { body: "And the café's wifi?" })
    await page.locator('#comment-2 .comment-content', { hasText: 'wifi' }).waitFor()
    expect((await rowOf(2))?.status).toBe('approved')
    // Styled through a constructed stylesheet, with nothing refused by the page's strict CSP.
    expect(await page.getByRole('button', { name: 'Post Comment' }).evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(
      'rgb(34, 113, 177)',
    )
    expect(await page.evaluate(() => window.__violations)).toEqual([])
  })

  it("threads a reply under its parent, with WordPress's reply and cancel links, by keyboard", async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'demo', { name: 'Idris', body: 'Bring your own fuses, we run out.' })
    const page = await open('/demo')
    const reply = page.getByRole('button', { name: 'Reply to Idris' })
    await reply.focus()
    await page.keyboard.press('Enter')
    await heading(page, 'Leave a Reply to Idris Cancel reply').waitFor()
    expect(await focusedInWidget(page)).toBe('comment')
    expect(await page.locator('#comment-1 > #respond').count()).toBe(1)

    await page.getByRole('button', { name: 'Cancel reply' }).click()
    await heading(page, 'Leave a Reply').waitFor()
    expect(await page.locator('#comment-1 > #respond').count()).toBe(0)
    expect(await focusedInWidget(page)).toBe('')
    expect(await reply.evaluate((b) => b === (b.getRootNode() as ShadowRoot).activeElement)).toBe(true)

    await reply.click()
    await page.keyboard.press('Escape')
    await heading(page, 'Leave a Reply').waitFor()
    await reply.click()
    await post(page, { body: 'Noted, I will bring a pack of 3A.' })
    await page.locator('#comment-1 > ol.children > li#comment-2.depth-2').waitFor()
    await heading(page, '2 Comments').waitFor()
    await heading(page, 'Leave a Reply').waitFor()
    expect(await (await rowOf(2))?.parentId).toBe(1)
  })

  it("keeps a reply at the deepest level among its ancestor's replies, as the thread shows it (threadDepth)", async () => {
    await t.setSettings({ ...openSettings, threadDepth: 2 })
    const top = await postComment(t, 'demo', { name: 'Ann', body: 'Top' })
    await postComment(t, 'demo', { name: 'Bea', body: 'Reply', parentId: top.comment.id })
    const page = await open('/demo')
    await page.getByRole('button', { name: 'Reply to Bea' }).click()
    await post(page, { body: 'Reply to the reply' })
    await page.locator('#comment-1 > ol.children > li#comment-3.depth-2').waitFor()
    expect(await page.locator('#comment-2 li').count()).toBe(0)
    expect((await rowOf(3))?.parentId).toBe(2)
    await page.reload()
    await page.locator('#comment-1 > ol.children > li#comment-3.depth-2').waitFor()
  })

  it("shows a 422's field errors next to their fields, and 409 and 429 in plain words", async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 60 })
    const page = await open('/demo')
    await post(page, { body: 'Hello', name: '  ', email: 'not-an-email', url: 'javascript:alert(1)' })
    const nameError = page.locator('.comment-form-author .field-error')
    await nameError.waitFor()
    expect(await nameError.textContent()).toBe('Please fill the required fields.')
    expect(await page.locator('.comment-form-email .field-error').textContent()).toBe('Please enter a valid email address.')
    expect(await page.locator('.comment-form-url .field-error').textContent()).toBe(
      'Please enter a valid website address starting with http:// or https://.',
    )
    expect(await page.locator('.comment-form-comment .field-error').count()).toBe(0)
    expect(await field(page, 'Name').getAttribute('aria-invalid')).toBe('true')
    expect(await field(page, 'Name').getAttribute('aria-describedby')).toBe('author-error')
    expect(await field(page, 'Email').getAttribute('aria-describedby')).toBe('email-notes email-error')
    expect(await focusedInWidget(page)).toBe('author')

    // Flood control answers before the duplicate check: the duplicate is met once the wait is over.
    await t.setSettings({ floodSeconds: 0 })
    await post(page, { body: 'The library has a bike pump too.', url: '' })
    await page.locator('#comment-1').waitFor()
    expect(await page.locator('.field-error').count()).toBe(0)
    await post(page, { body: 'The library has a bike pump too.' })
    const formError = page.locator('#form-error')
    await formError.getByText('You have already posted this comment.').waitFor()
    await t.setSettings({ floodSeconds: 60 })
    await post(page, { body: 'A first pump.' })
    await page.locator('#comment-2').waitFor()
    await post(page, { body: 'And a track pump.' })
    await formError.getByText('You are posting comments too quickly. Please wait 60 seconds, then try again.').waitFor()
    await announced(page, 'You are posting comments too quickly. Please wait 60 seconds, then try again.')
  })

  it("focuses the first field in the form's order that needs a value: the comment, on an empty post", async () => {
    const page = await open('/demo')
    await heading(page, 'No Comments').waitFor()
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await page.locator('.comment-form-comment .field-error').waitFor()
    expect(await page.locator('.field-error').count()).toBe(3)
    expect(await focusedInWidget(page)).toBe('comment')
  })

  it('remembers name, email and website only when the reader ticks the box', async () => {
    await t.setSettings({ ...openSettings })
    const page = await open('/demo')
    await post(page, { body: 'First, not remembered.', url: 'https://rhian.example/' })
    await page.locator('#comment-1').waitFor()
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith(':commenter')))).toEqual([])
    // Without a mail transport it is the form's one checkbox: no notifications are offered.
    expect(await page.getByRole('checkbox').count()).toBe(1)

    await fillForm(page, { body: 'Second, remembered.', url: 'https://rhian.example/' })
    await page.getByLabel('Save my name, email, and website in this browser for the next time I comment.').check()
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await page.locator('#comment-2').waitFor()
    await page.reload()
    await heading(page, 'Leave a Reply').waitFor()
    expect(await field(page, 'Name').inputValue()).toBe('Rhian')
    expect(await field(page, 'Email').inputValue()).toBe('rhian@example.com')
    expect(await field(page, 'Website').inputValue()).toBe('https://rhian.example/')
    expect(await page.getByLabel('Save my name, email, and website in this browser for the next time I comment.').isChecked()).toBe(true)
  })

  it('offers email notifications only where mail goes out, sends the ticked ones, says a confirmation may come, and clears them', async () => {
    await t.setSettings(openSettings)
    const follow = 'Notify me of follow-up comments by email.'
    const approval = 'Notify me when my comment is approved.'
    const confirm = 'Check your inbox to confirm your email address; nothing else is sent until you do.'
    // A real transport to a loopback SMTP server turns notifications on; the script served now says so.
    // (Without one the form has no such boxes: see the cookie-consent test above.)
    const sink = await startSmtpSink()
    const transport = nodeSmtpTransport({ url: sink.url, from: 'Comments <comments@news.example>', timeoutMs: 5_000 })
    t.deps.mail = transport
    try {
      const page = await open('/demo')
      const consent = page.getByLabel('Save my name, email, and website in this browser for the next time I comment.')
      // After the consent box in the tab order, ticked by keyboard as any checkbox.
      await consent.focus()
      await page.keyboard.press('Tab')
      expect(await focusedInWidget(page)).toBe('subscribe_comments')
      await page.keyboard.press('Space')
      await page.getByLabel(approval).check()
      await post(page, { body: 'Keep me posted.', email: 'follower@example.com' })
      await page.locator('#comment-1').waitFor()
      const note = page.locator('#subscription-note')
      await note.getByText(confirm, { exact: true }).waitFor()
      await announced(page, `Your comment has been published. ${confirm}`)
      expect(await page.getByLabel(follow).isChecked()).toBe(false)
      expect(await page.getByLabel(approval).isChecked()).toBe(false)
      // Both asked for, in the comment's notify job (which emails the confirmation: test/notifications.test.ts).
      const [queued] = await t.deps.db.select({ payload: jobs.payload }).from(jobs).where(eq(jobs.commentId, 1))
      expect(queued?.payload).toEqual({ event: 'created', subscribe: { thread: true, approval: true } })

      // A comment that asks for nothing hides the note, and sends neither flag.
      await post(page, { body: 'Nothing more, thanks.', email: 'quiet@example.com' })
      await page.locator('#comment-2').waitFor()
      await announced(page, 'Your comment has been published.')
      expect(await note.isVisible()).toBe(false)
      // No notify job at all: it asked for nothing, no moderator wants mail, and no one follows the thread yet.
      expect(await t.deps.db.select().from(jobs).where(eq(jobs.commentId, 2))).toEqual([])
    } finally {
      t.deps.mail = undefined
      transport.close()
      await sink.close()
    }
  })

  it('lets the author edit and then delete their own comment within the edit window', async () => {
    await t.setSettings({ floodSeconds: 0 })
    const page = await open('/demo')
    await post(page, { body: 'The café opens at 6.' })
    await page.locator('#comment-1 .comment-awaiting-moderation').waitFor()
    await page.getByRole('button', { name: 'Edit your comment' }).click()
    const editor = field(page, 'Edit your comment')
    expect(await editor.inputValue()).toBe('The café opens at 6.')
    await editor.fill('The café opens at 6.30, not 6.')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('#comment-1 .comment-content', { hasText: 'opens at 6.30' }).waitFor()
    expect(await page.locator('#comment-1 .comment-awaiting-moderation').count()).toBe(1)
    expect((await rowOf(1))?.body).toBe('The café opens at 6.30, not 6.')

    await page.getByRole('button', { name: 'Delete your comment' }).click()
    await page.getByRole('button', { name: 'Delete', exact: true }).click()
    await page.locator('#comment-1').waitFor({ state: 'detached' })
    await announced(page, 'Your comment was deleted.')
    expect((await rowOf(1))?.status).toBe('trash')
    expect(await page.evaluate((key) => localStorage.getItem(key), `parley:${parley.url}:own`)).toBe('{}')
  })

  it("lets a reader report someone else's comment", async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'demo', { name: 'Spammy', body: 'Cheap watches at example.com' })
    const page = await open('/demo')
    await page.getByRole('button', { name: 'Report the comment by Spammy' }).click()
    await page.getByLabel('Why should the moderators look at this comment?').selectOption('spam')
    await page.getByLabel('Anything to add? (optional)').fill('Same text on every article.')
    await page.getByRole('button', { name: 'Send report' }).click()
    await page.getByText('Thank you. The moderators will take a look.', { exact: true }).first().waitFor()
    expect(await t.deps.db.select({ reason: reports.reason, note: reports.note }).from(reports)).toEqual([
      { reason: 'spam', note: 'Same text on every article.' },
    ])
  })

  it("upvotes once per reader, shows the vote pressed, and reads the thread by Top or the editors' picks", async () => {
    await t.setSettings(openSettings)
    const first = await postComment(t, 'demo', { name: 'Ada', body: 'First, and plain.' })
    const picked = await postComment(t, 'demo', { name: 'Bea', body: 'The one the editors liked.' })
    const liked = await postComment(t, 'demo', { name: 'Cai', body: 'The one readers liked.' })
    const mod = await signIn(t)
    await mod.send('PATCH', `/api/v1/moderation/comments/${picked.comment.id}`, { featured: true })
    const page = await open('/demo')
    await heading(page, '3 Comments').waitFor()
    const sort = page.getByRole('group', { name: 'Sort comments' })
    expect(await sort.getByRole('button').allTextContents()).toEqual(['Oldest', 'Newest', 'Top', 'Featured (1)'])
    expect(await sort.getByRole('button', { name: 'Oldest' }).getAttribute('aria-pressed')).toBe('true')

    const vote = page.getByRole('button', { name: /^Upvote the comment by Cai/ })
    await vote.click()
    await announced(page, 'Upvoted: 1 vote.')
    expect(await vote.getAttribute('aria-pressed')).toBe('true')
    expect(await vote.textContent()).toContain('▲ 1')
    await vote.click()
    await announced(page, 'Vote taken back: 0 votes.')
    expect(await vote.getAttribute('aria-pressed')).toBe('false')
    await vote.click()
    await announced(page, 'Upvoted: 1 vote.')
    expect(await t.deps.db.select().from(commentVotes)).toHaveLength(1)

    // Kept pages show counts within a few seconds: read past them.
    t.advance(6)
    await sort.getByRole('button', { name: 'Top' }).click()
    await page.locator(`.comment-list > li:first-child#comment-${liked.comment.id}`).waitFor()
    expect(await page.locator('.comment-list > li').count()).toBe(3)
    await sort.getByRole('button', { name: 'Featured (1)' }).click()
    await page.locator(`.comment-list > li#comment-${picked.comment.id}`).waitFor()
    expect(await page.locator('.comment-list > li').count()).toBe(1)
    expect(await page.locator(`#comment-${picked.comment.id} .badge.featured`).textContent()).toBe('Featured')
    await sort.getByRole('button', { name: 'Oldest' }).click()
    await page.locator(`.comment-list > li:first-child#comment-${first.comment.id}`).waitFor()

    // The order's buttons, the vote buttons and the badges pass axe-core (it reads the shadow root too).
    const axePage = await open('/demo', { bypassCSP: true })
    await heading(axePage, '3 Comments').waitFor()
    await axePage.getByRole('group', { name: 'Sort comments' }).waitFor()
    await axePage.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') })
    const violations = await axePage.evaluate(async () => {
      const axe = (
        window as unknown as { axe: { run: (context: Document) => Promise<{ violations: { id: string; impact: string | null }[] }> } }
      ).axe
      return (await axe.run(document)).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)
    })
    expect(violations).toEqual([])
  })

  it('pages through threads with "Load more comments"', async () => {
    await t.setSettings(openSettings)
    for (let i = 1; i <= 23; i++) await postComment(t, 'demo', { body: `Comment ${i}` })
    const page = await open('/demo')
    await heading(page, '23 Comments').waitFor()
    expect(await page.locator('.comment-list > li').count()).toBe(20)
    await page.getByRole('button', { name: 'Load more comments' }).click()
    await page.locator('#comment-23').waitFor()
    expect(await page.locator('.comment-list > li').count()).toBe(23)
    expect(await page.getByRole('button', { name: 'Load more comments' }).isVisible()).toBe(false)
    expect(await focusedInWidget(page)).toBe('div-comment-21')
  })

  it("loads older threads above the reader's own new comment, not below it", async () => {
    await t.setSettings(openSettings)
    for (let i = 1; i <= 21; i++) await postComment(t, 'demo', { body: `Comment ${i}` })
    const page = await open('/demo')
    await heading(page, '21 Comments').waitFor()
    await post(page, { body: 'Mine, the newest.' })
    await page.locator('#comment-22').waitFor()
    await page.getByRole('button', { name: 'Load more comments' }).click()
    await page.locator('#comment-21').waitFor()
    const order = await page.evaluate(() =>
      Array.from(document.querySelector('parley-comments')?.shadowRoot?.querySelectorAll('.comment-list > li') ?? []).map((li) => li.id),
    )
    expect(order.slice(-3)).toEqual(['comment-20', 'comment-21', 'comment-22'])
    expect(order).toHaveLength(22)
  })
})

// payloadbox/xss-payload-list (test/support/corpora.ts): a spread of 200 of its 6,613 payloads.
const payloads = xss.filter((_, i) => i % 33 === 0).slice(0, 200)

describe('script in a comment', () => {
  it('never runs, in the widget or on the plain page', async () => {
    await t.setSettings(openSettings)
    // Fifteen comments of thirteen payloads each, so that one page of the thread shows them all.
    for (let i = 0; i < 15; i++) {
      const name = payloads[i]?.slice(0, 60) ?? 'x'
      await postComment(t, 'demo', { name, body: payloads.slice(i * 13, i * 13 + 13).join('\n\n'), email: `xss${i}@example.com` })
    }
    await postComment(t, 'demo', {
      name: '<img src=x onerror="window.__pwned=true">',
      body: '<script>window.__pwned = true</script><img src=x onerror="window.__pwned=true">',
    })
    const page = await open('/demo')
    await heading(page, '16 Comments').waitFor()
    await post(page, {
      body: '<svg onload="window.__pwned=true"></svg><iframe src="javascript:window.__pwned=true"></iframe>',
      name: '<b onmouseover=alert(1)>Eve</b>',
    })
    await page.locator('#comment-17 .fn', { hasText: '<b onmouseover=alert(1)>Eve</b>' }).waitFor()
    await page.locator('#comment-16 .fn', { hasText: '<img src=x onerror="window.__pwned=true">' }).waitFor()
    const dangerous = await page.evaluate(
      () =>
        document
          .querySelector('parley-comments')
          ?.shadowRoot?.querySelectorAll('script, img, svg, iframe, object, embed, [onerror], [onload], [onmouseover], [style]').length,
    )
    expect(dangerous).toBe(0)
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined()

    const plain = await open('/demo/plain')
    await plain.locator('#comment-17').waitFor()
    expect(
      await plain.evaluate(
        () => document.querySelectorAll('.comment-list :is(script, img, svg:not(.avatar), iframe, [onerror], [onload], [style])').length,
      ),
    ).toBe(0)
    expect(await plain.evaluate(() => window.__pwned)).toBeUndefined()
  })
})

describe("the widget on another origin's page", () => {
  it('loads the thread and posts through CORS from a page with its own strict CSP', async () => {
    const host = await loopbackServer((_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': `default-src 'none'; script-src 'nonce-hostpage'; style-src 'nonce-hostpage'; connect-src ${parley.url}`,
      })
      res.end(`<!doctype html><html lang="en"><head><title>Our town news</title></head><body>
<h1>Our town news</h1><p>An article on a publisher's own site.</p>
<div id="comments"></div>
<script src="${parley.url}/widget.js" data-article="town-42" data-theme="dark" nonce="hostpage" async></script>
</body></html>`)
    })
    await t.setSettings({ ...openSettings, allowedOrigins: [host.url] })
    const page = await open(`${host.url}/news/42`)
    await heading(page, 'No Comments').waitFor()
    await post(page, { body: "Posted from the publisher's page." })
    await page.locator('#comment-1 .comment-content', { hasText: "Posted from the publisher's page." }).waitFor()
    await heading(page, '1 Comment').waitFor()
    // Registered by that first comment, under the page's own URL.
    const [article] = await t.deps.db.select().from(articles).where(eq(articles.key, 'town-42'))
    expect(article?.url).toBe(`${host.url}/news/42`)

    await postComment(t, 'town-42', { name: 'Neighbour', body: 'Good to see this covered.' })
    await page.reload()
    await heading(page, '2 Comments').waitFor()
    await page.locator('#comment-2 .comment-content', { hasText: 'Good to see this covered.' }).waitFor()
    expect(await page.locator('#comments').getAttribute('data-theme')).toBe('dark')
    expect(await page.evaluate(() => window.__violations)).toEqual([])
  })

  it("tells the site's developer, in the console, that the page's origin is probably not allowed", async () => {
    const host = await loopbackServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      res.end(`<!doctype html><html lang="en"><head><title>Not allowed</title></head><body><div id="comments"></div>
<script src="${parley.url}/widget.js" data-article="town-43" async></script></body></html>`)
    })
    await t.setSettings({ ...openSettings, allowedOrigins: [] })
    const context = await browser.newContext()
    contexts.push(context)
    const page = await context.newPage()
    const logged: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') logged.push(message.text())
    })
    await page.goto(`${host.url}/news/43`)
    await page.getByText('We could not reach the comment server', { exact: false }).waitFor()
    expect(logged.filter((text) => text.startsWith('Parley:'))).toEqual([
      `Parley: no answer from ${parley.url}. If the comment server is up, this page's origin (${host.url}) is probably missing from the site's allowedOrigins, so the browser blocks its answers: add it with PATCH ${parley.url}/api/v1/admin/settings {"allowedOrigins": ["${host.url}"]} or on the dashboard's Settings page.`,
    ])
  })
})

describe('the <parley-comments> element in a single-page app', () => {
  it('mounts when its article is set after it is in the page, and mounts again, clean, when the article changes', async () => {
    const host = await loopbackServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      res.end(`<!doctype html><html lang="en"><head><title>An app</title></head><body>
<script src="${parley.url}/widget.js"></script>
<main><parley-comments></parley-comments></main>
</body></html>`)
    })
    await t.setSettings({ ...openSettings, allowedOrigins: [host.url] })
    await postComment(t, 'spa-1', { name: 'Ann', body: 'On the first route.' })
    await postComment(t, 'spa-2', { name: 'Bea', body: 'On the second route.' })
    await postComment(t, 'spa-2', { name: 'Cai', body: 'Also on the second.' })
    const page = await open(`${host.url}/app`)
    const element = page.locator('parley-comments')
    expect(await element.evaluate((node) => node.shadowRoot === null)).toBe(true)

    // The app's router sets the article once the view is up.
    await element.evaluate((node) => node.setAttribute('article', 'spa-1'))
    await heading(page, '1 Comment').waitFor()
    await page.getByText('On the first route.').waitFor()
    await heading(page, 'Leave a Reply').waitFor()

    await element.evaluate((node) => node.setAttribute('article', 'spa-2'))
    await heading(page, '2 Comments').waitFor()
    await page.getByText('Also on the second.').waitFor()
    expect(await page.getByText('On the first route.').count()).toBe(0)
    expect(await page.getByRole('heading', { name: 'Leave a Reply' }).count()).toBe(1)
    expect(await page.locator('section.parley').count()).toBe(1)
    await post(page, { body: 'Posted on the second route.' })
    await page.locator('#comment-4 .comment-content', { hasText: 'Posted on the second route.' }).waitFor()
    expect((await rowOf(4))?.articleId).toBe((await rowOf(2))?.articleId)

    // Moved elsewhere in the page it keeps its widget; an element made by the app works the same.
    await element.evaluate((node) => document.body.append(node))
    expect(await page.locator('section.parley').count()).toBe(1)
    await page.evaluate(() => {
      const made = document.createElement('parley-comments')
      made.id = 'made'
      document.body.append(made)
      made.setAttribute('data-article', 'spa-1')
    })
    await page.locator('#made').getByText('On the first route.').waitFor()
  })
})

describe('dates in the widget', () => {
  it("are written in the page's language (the element's lang, else the document's, else English), not the browser's", async () => {
    const host = await loopbackServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      const lang = req.path === '/fr' ? ' lang="fr"' : ''
      res.end(`<!doctype html><html${lang}><head><title>Dates</title></head><body>
<parley-comments article="dates" id="page-lang"></parley-comments>
<parley-comments article="dates" id="own-lang" lang="es"></parley-comments>
<script src="${parley.url}/widget.js"></script>
</body></html>`)
    })
    await t.setSettings({ ...openSettings, allowedOrigins: [host.url] })
    await postComment(t, 'dates', { body: 'When was this?' })
    // What each language writes for the comment's time, in this browser (its time zone, its ICU data).
    const written = (page: Page, id: string, lang: string) =>
      page
        .locator(`#${id} time`)
        .evaluate(
          (time, lang) => [
            time.textContent,
            new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(time.getAttribute('datetime') ?? '')),
          ],
          lang,
        )

    for (const [path, pageLang] of [
      ['/fr', 'fr'],
      ['/none', 'en'],
    ] as const) {
      const page = await open(`${host.url}${path}`, { locale: 'de-DE' })
      for (const [id, lang] of [
        ['page-lang', pageLang],
        ['own-lang', 'es'],
      ] as const) {
        const [shown, expected] = await written(page, id, lang)
        const [, german] = await written(page, id, 'de-DE')
        expect(shown, `${path} #${id}`).toBe(expected)
        expect(shown, `${path} #${id}`).not.toBe(german)
      }
    }
  })
})

describe('the plain form on /demo/plain, JavaScript off', () => {
  it("posts, returns to the comment, shows it held, then published; errors get WordPress's page", async () => {
    await t.setSettings({ floodSeconds: 0 })
    const page = await open('/demo/plain', { javaScriptEnabled: false })
    await post(page, { body: 'Posted with no script at all.', name: 'Owain', email: 'owain@example.com' })
    await page.waitForURL(/unapproved=1/)
    const held = new URL(page.url())
    expect(held.pathname).toBe('/demo/plain')
    expect(held.searchParams.get('moderation-hash')).toBe(
      await t.deps.secrets.moderationHash(
        (await t.deps.db.select().from(comments).where(eq(comments.id, 1)))[0] ?? { id: 0, createdAt: new Date(0) },
      ),
    )
    expect(held.hash).toBe('#comment-1')
    await page.locator('#comment-1 .comment-awaiting-moderation', { hasText: 'Your comment is awaiting moderation.' }).waitFor()

    const moderator = await signIn(t)
    await moderator.send('PATCH', '/api/v1/moderation/comments/1', { status: 'approved' })
    await page.goto(`${parley.url}/demo/plain`)
    await page.getByRole('link', { name: 'Reply to Owain' }).click()
    await heading(page, 'Leave a Reply to Owain Cancel reply').waitFor()
    await post(page, { body: 'Replying to myself, published now.', name: 'Owain', email: 'owain@example.com' })
    await page.waitForURL(`${parley.url}/demo/plain#comment-2`)
    await page.locator('#comment-1 > ol.children > #comment-2', { hasText: 'Replying to myself, published now.' }).waitFor()
    expect(await page.locator('.comment-awaiting-moderation').count()).toBe(0)
    await heading(page, 'Leave a Reply').waitFor()

    // The browser checks `required` itself; a name of spaces gets past it and WordPress's message back.
    await post(page, { body: 'No name given.', name: '   ' })
    await page.getByText('Error: Please fill the required fields.').waitFor()
    expect(await page.title()).toBe('Comment Submission Failure')
    await page.getByRole('link', { name: '« Back' }).click()
    await page.waitForURL(`${parley.url}/demo/plain`)
  })
})

describe('Turnstile', () => {
  it("renders the site's challenge in the widget and sends its token with the comment", async () => {
    let issued = 0
    const cloudflare = await loopbackServer((req, res) => {
      if (req.path.startsWith('/api.js')) {
        res.writeHead(200, { 'Content-Type': 'text/javascript' })
        // Turnstile's explicit-render API, as much of it as the widget uses.
        res.end(`window.turnstile = {
  render(box, options) { box.textContent = 'Verified (' + options.sitekey + ')'; this.options = options; this.reset(); return 'w1' },
  reset() { this.options.callback('token-' + (++window.__issued || (window.__issued = 1))) },
}`)
        return
      }
      issued++
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ success: new URLSearchParams(req.body).get('response') === 'token-1' }))
    })
    t.deps.config.turnstile = {
      secret: 'ts-secret',
      url: `${cloudflare.url}/siteverify`,
      siteKey: 'site-key-1',
      scriptUrl: `${cloudflare.url}/api.js`,
    }
    try {
      await t.setSettings(openSettings)
      const page = await open('/demo')
      await page.getByText('Verified (site-key-1)').waitFor()
      await post(page, { body: 'Checked by Turnstile.' })
      await page.locator('#comment-1 .comment-content', { hasText: 'Checked by Turnstile.' }).waitFor()
      expect(await page.locator('#comment-1 .comment-awaiting-moderation').count()).toBe(0)
      expect(issued).toBe(1)
      expect(new URLSearchParams(cloudflare.received.at(-1)?.body).get('secret')).toBe('ts-secret')
      expect(await page.evaluate(() => window.__violations)).toEqual([])
    } finally {
      t.deps.config.turnstile = null
    }
  })
})

describe('languages in the widget', () => {
  it("speaks the page's language: its own words, WordPress's messages from the server, numbers; and lays out right to left", async () => {
    const host = await loopbackServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      const [lang, dir] = req.path === '/rtl' ? ['ar', ' dir="rtl"'] : req.path === '/es' ? ['es-MX', ''] : ['de-AT', '']
      res.end(`<!doctype html><html lang="${lang}"${dir}><head><title>Sprachen</title></head><body>
<parley-comments article="langs"></parley-comments>
<script src="${parley.url}/widget.js"></script>
</body></html>`)
    })
    await t.setSettings({ ...openSettings, allowedOrigins: [host.url] })
    const root = await postComment(t, 'langs', { name: 'Ana', body: 'Erster Kommentar.' })
    await postComment(t, 'langs', { name: 'Ben', body: 'Eine Antwort.', parentId: root.comment.id })

    const de = await open(`${host.url}/de`)
    await heading(de, '2 Kommentare').waitFor()
    await heading(de, 'Schreibe einen Kommentar').waitFor()
    expect(await de.getByRole('button', { name: 'Antworte auf Ana' }).isVisible()).toBe(true)
    expect(await de.getByRole('group', { name: 'Kommentare sortieren' }).getByRole('button').allTextContents()).toEqual([
      'Älteste',
      'Neueste',
      'Beliebteste',
    ])
    // The server's refusal, WordPress's message, in the page's language (the widget sends it as Accept-Language).
    await field(de, 'Kommentar').fill('Ohne Namen')
    await de.getByRole('button', { name: 'Kommentar abschicken' }).click()
    await de.getByText('Bitte fülle die erforderlichen Felder aus.').first().waitFor()

    const es = await open(`${host.url}/es`)
    await heading(es, '2 comentarios').waitFor()
    await heading(es, 'Deja una respuesta').waitFor()

    // Right to left: the page's direction reaches the widget, whose replies hang from the right.
    const rtl = await open(`${host.url}/rtl`)
    await heading(rtl, '2 Comments').waitFor()
    const children = rtl.locator('ol.children').first()
    const borders = await children.evaluate((node) => {
      const style = getComputedStyle(node)
      return { direction: style.direction, right: style.borderRightWidth, left: style.borderLeftWidth }
    })
    expect(borders.direction).toBe('rtl')
    expect(borders.right).not.toBe('0px')
    expect(borders.left).toBe('0px')
    const [parent, reply] = await Promise.all([
      rtl.locator(`#comment-${root.comment.id} > article`).boundingBox(),
      rtl.locator('ol.children > li > article').first().boundingBox(),
    ])
    // Indented from the right: the reply's right edge is left of its parent's.
    expect((reply?.x ?? 0) + (reply?.width ?? 0)).toBeLessThan((parent?.x ?? 0) + (parent?.width ?? 0))
  })
})
