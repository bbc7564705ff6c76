import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { eq } from 'drizzle-orm'
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import { comments, jobs, reports } from '../src/db/schema.js'
import { nodeSmtpTransport } from '../src/runtime/node-mail.js'
import { startSmtpSink } from './support/smtp-sink.js'
import { setupTestApp } from './support/test-app.js'
import { serveTestApp } from './support/http-server.js'
import { launchBrowser } from './support/browser.js'
import { loopbackServer } from './support/loopback-server.js'
import { openSettings, postComment } from './support/seed.js'
import { xss } from './support/corpora.js'

// Progressive enhancement (src/widget/client/enhance.js): the server-rendered thread and WordPress's
// form inside <parley-comments>, taken over by the widget where they stand. /demo/enhanced is such a
// page; a WordPress page of another origin, beside WordPress's comment-reply.js, is the other.

declare global {
  interface Window {
    __violations?: string[]
    __shifts?: number[]
    __pwned?: boolean
  }
}

const t = await setupTestApp()
let parley: Awaited<ReturnType<typeof serveTestApp>>
let browser: Browser
const contexts: BrowserContext[] = []
const pageErrors: string[] = []
const PAGE = '/demo/enhanced'

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

/** A fresh browser profile on `url`, recording CSP violations, layout shifts, script errors and any alert(). */
async function open(
  url: string,
  options: BrowserContextOptions = {},
  prepare?: (context: BrowserContext) => Promise<unknown>,
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, ...options })
  contexts.push(context)
  await prepare?.(context)
  await context.addInitScript(() => {
    window.__violations = []
    window.__shifts = []
    window.alert =
      window.confirm =
      window.prompt =
        () => {
          window.__pwned = true
          return null as never
        }
    document.addEventListener('securitypolicyviolation', (e) => window.__violations?.push(`${e.violatedDirective} ${e.blockedURI}`))
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__shifts?.push((entry as PerformanceEntry & { value: number }).value)
    }).observe({ type: 'layout-shift', buffered: true })
  })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  page.on('pageerror', (error) => pageErrors.push(error.message))
  await page.goto(url.startsWith('http') ? url : `${parley.url}${url}`)
  return page
}

/** Once the widget has taken the thread over: the actions it adds are there. */
const enhanced = (page: Page) => page.locator('.parley-actions').first().waitFor()
// WordPress's form shows its asterisk to screen readers too: "Name *".
const field = (page: Page, label: string) => page.getByRole('textbox', { name: new RegExp(`^${label}( \\*)?$`) })
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? null)
const announced = (page: Page, text: string) => page.locator('[role=status]', { hasText: text }).waitFor()

async function fillForm(page: Page, values: { body: string; name?: string; email?: string }) {
  await field(page, 'Comment').fill(values.body)
  await field(page, 'Name').fill(values.name ?? 'Rhian')
  await field(page, 'Email').fill(values.email ?? 'rhian@example.com')
}

/** Fills WordPress's form and posts it from the keyboard (Enter on "Post Comment"). */
async function post(page: Page, values: Parameters<typeof fillForm>[1]) {
  await fillForm(page, values)
  await page.getByRole('button', { name: 'Post Comment' }).focus()
  await page.keyboard.press('Enter')
}

async function rowOf(id: number) {
  const [row] = await t.deps.db.select().from(comments).where(eq(comments.id, id))
  return row
}

describe('the widget on a page with the server-rendered thread (/demo/enhanced)', () => {
  it('takes the thread over where it stands: no shadow root, nothing moves, nothing refused by the CSP', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'demo', { name: 'Idris', body: 'Bring your own fuses, we run out.' })
    await postComment(t, 'demo', { name: 'Ann', body: 'The kettle works again.' })
    const boxes = (page: Page) =>
      Promise.all(['#comment-1', '#comment-2', '#respond'].map(async (selector) => page.locator(selector).boundingBox()))
    // Opened at the comments: a layout shift counts only where the reader sees it.
    const plain = await open(`${PAGE}#comments`, { javaScriptEnabled: false })
    const before = await boxes(plain)
    expect(before.every((box) => box !== null)).toBe(true)

    // The script held back until the page has been drawn, as on a slow connection: a layout shift would show.
    const page = await open(`${PAGE}#comments`, {}, (context) =>
      context.route('**/widget.js', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 500))
        await route.continue()
      }),
    )
    await enhanced(page)
    expect(await page.locator('parley-comments').evaluate((node) => node.shadowRoot)).toBeNull()
    expect(await page.evaluate(() => window.__shifts)).toEqual([])
    expect(await boxes(page)).toEqual(before)
    // Report on each comment, beside its date; the thread itself is the server's.
    expect(await page.getByRole('button', { name: /^Report the comment by / }).count()).toBe(2)
    expect(await page.locator('#comment-1 .comment-content').textContent()).toBe('Bring your own fuses, we run out.')
    expect(await page.locator('#comment-1').getAttribute('itemtype')).toBe('https://schema.org/Comment')
    expect(await page.evaluate(() => window.__violations)).toEqual([])
  })

  it('replies by keyboard: the form moves under the comment as comment-reply.js moves it, Escape and Cancel bring it back, the reply lands in the thread', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'demo', { name: 'Idris', body: 'Bring your own fuses, we run out.' })
    const page = await open(PAGE)
    await enhanced(page)
    const reply = page.getByRole('link', { name: 'Reply to Idris' })
    const parent = page.locator('#comment_parent')
    await reply.focus()
    await page.keyboard.press('Enter')
    await page.locator('#comment-1 > #div-comment-1 + #respond').waitFor()
    expect(await focusedId(page)).toBe('comment')
    expect(await parent.inputValue()).toBe('1')
    await page.getByRole('heading', { name: 'Reply to Idris Cancel reply' }).waitFor()
    expect(page.url()).toBe(`${parley.url}${PAGE}`)

    await page.keyboard.press('Escape')
    await page.locator('#wp-temp-form-div').waitFor({ state: 'detached' })
    expect(await page.locator('#comment-1 #respond').count()).toBe(0)
    expect(await parent.inputValue()).toBe('0')
    await page.getByRole('heading', { name: 'Leave a Reply', exact: true }).waitFor()
    expect(await focusedId(page)).toBe('')
    expect(await reply.evaluate((link) => link === document.activeElement)).toBe(true)

    await page.keyboard.press('Enter')
    await page.getByRole('link', { name: 'Cancel reply' }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Leave a Reply', exact: true }).waitFor()
    expect(await page.locator('#comment-1 #respond').count()).toBe(0)

    await reply.focus()
    await page.keyboard.press('Enter')
    await post(page, { body: 'Noted, I will bring a pack of 3A.' })
    const added = page.locator('#comment-1 > ol.children > li#comment-2.comment.depth-2')
    await added.locator('.comment-content', { hasText: 'Noted, I will bring a pack of 3A.' }).waitFor()
    await announced(page, 'Your comment has been published.')
    expect(await focusedId(page)).toBe('div-comment-2')
    expect(await added.locator('.comment-awaiting-moderation').count()).toBe(0)
    expect(await added.getByRole('link', { name: 'Reply to Rhian' }).getAttribute('href')).toBe(`${parley.url}${PAGE}?replytocom=2#respond`)
    // Back under the thread, posting at the top level again; the page never left.
    expect(await page.locator('#comment-1 #respond').count()).toBe(0)
    expect(await parent.inputValue()).toBe('0')
    expect(await field(page, 'Comment').inputValue()).toBe('')
    expect(page.url()).toBe(`${parley.url}${PAGE}`)
    expect((await rowOf(2))?.parentId).toBe(1)
    expect(await page.evaluate(() => window.__violations)).toEqual([])
  })

  it('puts a new comment in the markup the server renders for it, but for the date written in the page language', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'demo', { name: 'Idris', body: 'Bring your own fuses.', url: 'https://idris.example/' })
    const page = await open(PAGE)
    await enhanced(page)
    await page.getByRole('link', { name: 'Reply to Idris' }).click()
    await post(page, { body: 'A *reply*, with <em>emphasis</em>.' })
    await page.locator('#comment-2').waitFor()
    await post(page, { body: 'And a comment of my own.' })
    await page.locator('#comment-3').waitFor()
    // Attributes sorted, microdata, focus targets and the reader's actions left out, the dates blanked.
    const shape = () =>
      page.locator('.comment-list').evaluate((list) => {
        const copy = list.cloneNode(true) as HTMLElement
        copy.querySelectorAll('.parley-actions').forEach((node) => node.remove())
        copy.querySelectorAll('time').forEach((node) => (node.textContent = ''))
        // The server's links are relative to the page, the widget's written out on it.
        copy.querySelectorAll('a').forEach((a) => a.setAttribute('href', a.href))
        for (const node of [copy, ...Array.from(copy.querySelectorAll('*'))]) {
          const attributes = Array.from(node.attributes).filter((a) => !/^(itemprop|itemscope|itemtype|tabindex|data-placed)$/.test(a.name))
          for (const a of Array.from(node.attributes)) node.removeAttribute(a.name)
          for (const a of attributes.sort((x, y) => x.name.localeCompare(y.name))) node.setAttribute(a.name, a.value)
        }
        return copy.outerHTML.replace(/>\s+</g, '><')
      })
    const drawn = await shape()
    await page.reload()
    await enhanced(page)
    expect(drawn).toContain('<li class="comment depth-1 parent" id="comment-1">')
    expect(drawn).toBe(await shape())
  })

  it("shows the reader's held comment in WordPress's markup, awaiting moderation, and lets them edit and delete it by keyboard", async () => {
    await t.setSettings({ floodSeconds: 0 })
    const page = await open(PAGE)
    await page.getByRole('heading', { name: 'Leave a Reply', exact: true }).waitFor()
    await post(page, { body: 'The café opens at 6.' })
    const held = page.locator('li#comment-1.comment.depth-1')
    await held
      .locator('footer.comment-meta > em.comment-awaiting-moderation', { hasText: 'Your comment is awaiting moderation.' })
      .waitFor()
    await announced(page, 'Your comment is awaiting moderation.')
    expect(await focusedId(page)).toBe('div-comment-1')
    expect(await held.locator('.comment-author .fn').textContent()).toBe('Rhian')
    // Held: no reply to it yet, and no report of one's own comment.
    expect(await held.locator('.reply').count()).toBe(0)
    expect(await held.getByRole('button', { name: /^Report/ }).count()).toBe(0)
    expect((await rowOf(1))?.status).toBe('pending')
    const own = await page.evaluate((key) => localStorage.getItem(key), `parley:${parley.url}:own`)
    expect(Object.keys(JSON.parse(own ?? '{}'))).toEqual(['1'])

    // The next visit: the server's page has no held comment in it; the token puts it back.
    await page.reload()
    await held.locator('.comment-awaiting-moderation').waitFor()
    const edit = page.getByRole('button', { name: 'Edit your comment' })
    await edit.focus()
    await page.keyboard.press('Space')
    const editor = page.getByRole('textbox', { name: 'Edit your comment' })
    expect(await editor.inputValue()).toBe('The café opens at 6.')
    expect(await focusedId(page)).toBe('edit-1')
    await editor.fill('The café opens at 6.30, not 6.')
    await page.getByRole('button', { name: 'Save' }).focus()
    await page.keyboard.press('Enter')
    await held.locator('.comment-content', { hasText: 'opens at 6.30' }).waitFor()
    await announced(page, 'Your comment was saved and is awaiting moderation.')
    expect(await held.locator('.comment-awaiting-moderation').count()).toBe(1)
    expect((await rowOf(1))?.body).toBe('The café opens at 6.30, not 6.')

    await page.getByRole('button', { name: 'Delete your comment' }).focus()
    await page.keyboard.press('Enter')
    await page.keyboard.press('Enter')
    await held.waitFor({ state: 'detached' })
    await announced(page, 'Your comment was deleted.')
    expect((await rowOf(1))?.status).toBe('trash')
    expect(await page.evaluate((key) => localStorage.getItem(key), `parley:${parley.url}:own`)).toBe('{}')
    expect(await page.evaluate(() => window.__violations)).toEqual([])
  })

  it("shows WordPress's messages next to the fields the server refused, and the others above the button", async () => {
    await t.setSettings(openSettings)
    const page = await open(PAGE)
    await page.getByRole('heading', { name: 'Leave a Reply', exact: true }).waitFor()
    // The browser checks `required` itself; a name of spaces gets past it to the server.
    await post(page, { body: 'No name given.', name: '   ' })
    const nameError = page.locator('.comment-form-author .field-error')
    await nameError.waitFor()
    expect(await nameError.textContent()).toBe('Please fill the required fields.')
    expect(await field(page, 'Name').getAttribute('aria-invalid')).toBe('true')
    expect(await field(page, 'Name').getAttribute('aria-describedby')).toBe('author-error')
    expect(await focusedId(page)).toBe('author')
    expect(page.url()).toBe(`${parley.url}${PAGE}`)

    await post(page, { body: 'Said once.' })
    await page.locator('#comment-1').waitFor()
    expect(await page.locator('.field-error').count()).toBe(0)
    await post(page, { body: 'Said once.' })
    await page.locator('#parley-form-error', { hasText: 'You have already posted this comment.' }).waitFor()
  })

  it("lets a reader report someone else's comment by keyboard", async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'demo', { name: 'Spammy', body: 'Cheap watches at example.com' })
    const page = await open(PAGE)
    await page.getByRole('button', { name: 'Report the comment by Spammy' }).focus()
    await page.keyboard.press('Enter')
    const reason = page.getByLabel('Why should the moderators look at this comment?')
    expect(await reason.evaluate((select) => select === document.activeElement)).toBe(true)
    await reason.selectOption('spam')
    await page.getByLabel('Anything to add? (optional)').fill('Same text on every article.')
    await page.getByRole('button', { name: 'Send report' }).focus()
    await page.keyboard.press('Enter')
    await page.getByText('Thank you. The moderators will take a look.', { exact: true }).first().waitFor()
    expect(await t.deps.db.select({ reason: reports.reason, note: reports.note }).from(reports)).toEqual([
      { reason: 'spam', note: 'Same text on every article.' },
    ])
  })

  it('appends the next page of the thread from "Newer Comments", a link without JavaScript and a button with it', async () => {
    await t.setSettings(openSettings)
    for (let i = 1; i <= 23; i++) await postComment(t, 'demo', { name: `Reader ${i}`, body: `Comment ${i}` })
    // A query of the page's own, as WordPress's plain permalinks have (`?p=7`), which the links keep.
    const page = await open(`${PAGE}?p=7`)
    await enhanced(page)
    expect(await page.locator('.comment-list > li').count()).toBe(20)
    const more = page.getByRole('button', { name: 'Newer Comments' })
    await more.focus()
    await page.keyboard.press('Enter')
    await page.locator('#comment-23').waitFor()
    expect(await page.locator('.comment-list > li').count()).toBe(23)
    await page.locator('.comment-navigation').waitFor({ state: 'detached' })
    expect(await focusedId(page)).toBe('div-comment-21')
    await announced(page, '3 more comments loaded.')
    // The appended comments are taken over too.
    await page
      .locator('#comment-23')
      .getByRole('button', { name: /^Report the comment by / })
      .waitFor()
    // Without script, its Reply leads to the page it came from (page 2), where "Leave a Reply to …" finds it.
    expect(await page.getByRole('link', { name: 'Reply to Reader 23' }).getAttribute('href')).toMatch(
      new RegExp(`^${parley.url}${PAGE}\\?p=7&parley_cursor=[0-9a-z]+\\.[0-9a-z]+&replytocom=23#respond$`),
    )
    expect(page.url()).toBe(`${parley.url}${PAGE}?p=7`)
    expect(await page.evaluate(() => window.__violations)).toEqual([])
  })

  it('passes axe-core with no serious or critical violation once taken over, replying included', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'demo', { name: 'Idris', body: 'Bring your own fuses.' })
    for (let i = 2; i <= 21; i++) await postComment(t, 'demo', { body: `Comment ${i}` })
    // axe is injected as a script: the page's own CSP (nonce only) would refuse it.
    const page = await open(PAGE, { bypassCSP: true })
    await enhanced(page)
    await page.getByRole('link', { name: 'Reply to Idris' }).click()
    await page.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') })
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as { axe: { run: (context: Document) => Promise<{ violations: { id: string; impact: string | null }[] }> } }
      ).axe
      return (await axe.run(document)).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)
    })
    expect(violations).toEqual([])
  })
})

describe("the page's form as it comes", () => {
  it("sends the theme's Turnstile token with the comment, and a fresh one with the next", async () => {
    const used = new Set<string>()
    const cloudflare = await loopbackServer((req, res) => {
      if (req.path.startsWith('/api.js')) {
        res.writeHead(200, { 'Content-Type': 'text/javascript' })
        // Turnstile's implicit rendering, as much of it as the page meets: a token in the form's
        // cf-turnstile-response, a new one on reset().
        res.end(`window.turnstile = {
  render() {},
  reset() { document.querySelector('[name="cf-turnstile-response"]').value = 'token-' + (window.__issued = (window.__issued || 0) + 1) },
};
document.querySelectorAll('.cf-turnstile').forEach(function (box) {
  box.textContent = 'Verified (' + box.dataset.sitekey + ')';
  var input = document.createElement('input'); input.type = 'hidden'; input.name = 'cf-turnstile-response'; box.append(input);
  window.turnstile.reset();
});`)
        return
      }
      const token = new URLSearchParams(req.body).get('response') ?? ''
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ success: token.startsWith('token-') && !used.has(token) }))
      used.add(token)
    })
    t.deps.config.turnstile = {
      secret: 'ts-secret',
      url: `${cloudflare.url}/siteverify`,
      siteKey: 'site-key-1',
      scriptUrl: `${cloudflare.url}/api.js`,
    }
    try {
      await t.setSettings(openSettings)
      const page = await open(PAGE)
      await page.getByText('Verified (site-key-1)').waitFor()
      await post(page, { body: 'Checked by Turnstile.' })
      await page.locator('#comment-1 .comment-content', { hasText: 'Checked by Turnstile.' }).waitFor()
      await post(page, { body: 'Checked again.' })
      await page.locator('#comment-2 .comment-content', { hasText: 'Checked again.' }).waitFor()
      expect([(await rowOf(1))?.status, (await rowOf(2))?.status]).toEqual(['approved', 'approved'])
      expect([...used]).toEqual(['token-1', 'token-2'])
      expect(await page.evaluate(() => window.__violations)).toEqual([])
    } finally {
      t.deps.config.turnstile = null
    }
  })

  it("sends the notification boxes ticked in the page's form, says a confirmation may come, and clears them", async () => {
    await t.setSettings(openSettings)
    const sink = await startSmtpSink()
    const transport = nodeSmtpTransport({ url: sink.url, from: 'Comments <comments@news.example>', timeoutMs: 5_000 })
    t.deps.mail = transport
    try {
      const page = await open(PAGE)
      const follow = page.getByLabel('Notify me of follow-up comments by email.')
      await follow.focus()
      await page.keyboard.press('Space')
      await post(page, { body: 'Keep me posted.', email: 'follower@example.com' })
      await page.locator('#comment-1').waitFor()
      const confirm = 'Check your inbox to confirm your email address; nothing else is sent until you do.'
      await page.locator('.subscription-note', { hasText: confirm }).waitFor()
      await announced(page, `Your comment has been published. ${confirm}`)
      expect(await follow.isChecked()).toBe(false)
      const [queued] = await t.deps.db.select({ payload: jobs.payload }).from(jobs).where(eq(jobs.commentId, 1))
      expect(queued?.payload).toEqual({ event: 'created', subscribe: { thread: true, approval: false } })
    } finally {
      t.deps.mail = undefined
      transport.close()
      await sink.close()
    }
  })
})

describe('script in a comment', () => {
  it('never runs in the taken-over thread: its first page, the next, a comment just posted, even with the CSP off', async () => {
    await t.setSettings(openSettings)
    // payloadbox/xss-payload-list (test/support/corpora.ts): a spread of 105 of its 6,613 payloads.
    const payloads = xss.filter((_, i) => i % 63 === 0).slice(0, 105)
    for (let i = 0; i < 21; i++) {
      const name = payloads[i]?.slice(0, 60) ?? 'x'
      await postComment(t, 'demo', { name, body: payloads.slice(i * 5, i * 5 + 5).join('\n\n'), email: `xss${i}@example.com` })
    }
    const page = await open(PAGE, { bypassCSP: true })
    await enhanced(page)
    await page.getByRole('button', { name: 'Newer Comments' }).click()
    await page.locator('#comment-21 .parley-actions').waitFor()
    await post(page, {
      body: '<svg onload="window.__pwned=true"></svg><iframe src="javascript:window.__pwned=true"></iframe>',
      name: '<b onmouseover=alert(1)>Eve</b>',
    })
    await page.locator('#comment-22 .fn', { hasText: '<b onmouseover=alert(1)>Eve</b>' }).waitFor()
    const dangerous = await page.evaluate(
      () =>
        document.querySelectorAll(
          '.parley-thread :is(script, img, svg:not(.avatar), iframe, object, embed, [onerror], [onload], [onmouseover], [style])',
        ).length,
    )
    expect(dangerous).toBe(0)
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined()
  })
})

describe('the same page without JavaScript', () => {
  it('posts the plain form to /comment-form and comes back to the held comment; "Newer Comments" and Reply are links', async () => {
    await t.setSettings({ floodSeconds: 0, previouslyApproved: false })
    for (let i = 1; i <= 21; i++) await postComment(t, 'demo', { name: `Reader ${i}`, body: `Comment ${i}` })
    await t.setSettings({ previouslyApproved: true })
    const page = await open(PAGE, { javaScriptEnabled: false })
    await post(page, { body: 'Posted with no script at all.', name: 'Owain', email: 'owain@example.com' })
    await page.waitForURL(/unapproved=22/)
    const back = new URL(page.url())
    expect(back.pathname).toBe(PAGE)
    expect(back.hash).toBe('#comment-22')
    await page.locator('#comment-22 .comment-awaiting-moderation', { hasText: 'Your comment is awaiting moderation.' }).waitFor()
    // With JavaScript on the same URL the widget takes it over, and offers no report of one's own comment.
    const scripted = await open(page.url())
    await enhanced(scripted)
    await scripted.locator('#comment-22.parley-held .comment-awaiting-moderation').waitFor()
    expect(await scripted.locator('#comment-22 .parley-actions').count()).toBe(0)

    await page.getByRole('link', { name: 'Reply to Reader 20' }).click()
    await page.waitForURL(/replytocom=20/)
    await page.getByRole('heading', { name: 'Leave a Reply to Reader 20 Cancel reply' }).waitFor()
    expect(await page.locator('#comment_parent').inputValue()).toBe('20')
    await page.getByRole('link', { name: 'Newer Comments' }).click()
    await page.waitForURL(/parley_cursor=/)
    await page.locator('#comment-21').waitFor()
    expect(await page.locator('#comment-1').count()).toBe(0)
  })
})

describe('on a WordPress page of another origin', () => {
  /**
   * What WordPress's comment-reply.js does on a reply link's click, as far as the widget meets it:
   * its placeholder, the form moved under the comment, comment_parent set, the cancel link shown
   * (by its style), and the click's default prevented; its cancel undoes it.
   */
  const commentReplyStandIn = `document.addEventListener('click', function (event) {
  var link = event.target.closest('.comment-reply-link, #cancel-comment-reply-link');
  if (!link) return;
  var respond = document.getElementById('respond'), spot = document.getElementById('wp-temp-form-div');
  if (link.id === 'cancel-comment-reply-link') {
    if (!spot) return;
    spot.parentNode.replaceChild(respond, spot);
    document.getElementById('comment_parent').value = '0';
    link.style.display = 'none';
  } else {
    window.__standInMoved = (window.__standInMoved || 0) + 1;
    if (!spot) { spot = document.createElement('div'); spot.id = 'wp-temp-form-div'; spot.style.display = 'none'; respond.parentNode.insertBefore(spot, respond); }
    var below = document.getElementById(link.dataset.belowelement);
    below.parentNode.insertBefore(respond, below.nextSibling);
    document.getElementById('comment_parent').value = link.dataset.commentid;
    document.getElementById('cancel-comment-reply-link').style.display = '';
  }
  event.preventDefault();
}, true);`

  it("renders Parley's fragment in the theme's page with WordPress's own form; the widget posts the reply comment-reply.js set up", async () => {
    const form = readFileSync(new URL('fixtures/wordpress/comment-form.html', import.meta.url), 'utf8')
      .replace('https://example.com/wp-comments-post.php', `${parley.url}/comment-form`)
      .replaceAll("value='123'", "value='wp-7'")
    const host = await loopbackServer(async (req, res) => {
      // One thread a page (WordPress's comments_per_page), so that the next one is fetched across origins.
      const fragment = await (await fetch(`${parley.url}/api/v1/articles/wp-7/comments.html?limit=1`)).text()
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': `script-src 'nonce-wp' ${parley.url}; connect-src ${parley.url}`,
      })
      res.end(`<!doctype html><html lang="en"><head><title>Post 7</title></head><body>
<article><h1>Post 7</h1><p>A post on a WordPress site.</p></article>
<div id="comments" class="comments-area"><parley-comments article="wp-7" data-url="${host.url}/post/7" data-title="Post 7">
${fragment}
${form}
</parley-comments></div>
<script nonce="wp">${commentReplyStandIn}</script>
<script src="${parley.url}/widget.js" async></script>
</body></html>`)
      void req
    })
    await t.setSettings({ ...openSettings, allowedOrigins: [host.url] })
    await postComment(t, 'wp-7', { name: 'Neighbour', body: 'Good to see this covered.' })
    await postComment(t, 'wp-7', { name: 'Second', body: 'On the next page.' })
    const page = await open(`${host.url}/post/7`)
    await enhanced(page)
    await page.getByRole('link', { name: 'Reply to Neighbour' }).focus()
    await page.keyboard.press('Enter')
    await page.locator('#comment-1 > #div-comment-1 + #respond').waitFor()
    expect(await page.evaluate(() => (window as unknown as { __standInMoved: number }).__standInMoved)).toBe(1)
    await post(page, { body: 'Replying from the theme.' })
    await page.locator('#comment-1 > ol.children > li#comment-3 .comment-content', { hasText: 'Replying from the theme.' }).waitFor()
    expect((await rowOf(3))?.parentId).toBe(1)
    // Back in its place, as comment-reply.js's cancel would put it; the cookie-consent box of
    // WordPress's form left unticked, so nothing is kept.
    await page.locator('#wp-temp-form-div').waitFor({ state: 'detached' })
    expect(await page.locator('#cancel-comment-reply-link').isVisible()).toBe(false)
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith(':commenter')))).toEqual([])
    // The next page comes from Parley's origin (CORS), after the reader's own new comment's thread.
    await page.getByRole('button', { name: 'Newer Comments' }).click()
    await page.locator('#comment-2 .comment-content', { hasText: 'On the next page.' }).waitFor()
    expect(await page.locator('.comment-list > li').evaluateAll((items) => items.map((li) => li.id))).toEqual(['comment-1', 'comment-2'])
    expect(page.url()).toBe(`${host.url}/post/7`)
    expect(await page.evaluate(() => window.__violations)).toEqual([])
  })
})
