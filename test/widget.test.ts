import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gzipSync } from 'node:zlib'
import { eq } from 'drizzle-orm'
import { comments, jobs } from '../src/db/schema.js'
import { nodeSmtpTransport } from '../src/runtime/node-mail.js'
import { ORIGIN, setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js'

const t = await setupTestApp()
// A real transport to a loopback SMTP server: with it configured, the deployment offers notifications.
let sink: SmtpSink
let transport: ReturnType<typeof nodeSmtpTransport>
beforeAll(async () => {
  sink = await startSmtpSink()
  transport = nodeSmtpTransport({ url: sink.url, from: 'Comments <comments@news.example>', timeoutMs: 5_000 })
})
afterAll(async () => {
  transport.close()
  await sink.close()
})

const withMail = async <T>(run: () => T | Promise<T>): Promise<T> => {
  t.deps.mail = transport
  try {
    return await run()
  } finally {
    t.deps.mail = undefined
  }
}

const withTurnstile = async <T>(run: () => T | Promise<T>): Promise<T> => {
  t.deps.config.turnstile = {
    secret: 'ts-secret',
    url: 'http://127.0.0.1:9/siteverify',
    siteKey: '0x4AAAAsiteKey',
    scriptUrl: 'https://challenges.cloudflare.com/turnstile/v0/api.js',
  }
  try {
    return await run()
  } finally {
    t.deps.config.turnstile = null
  }
}

/** The CSP of a response as a map of directive → sources. */
function csp(res: Response): Map<string, string> {
  const header = res.headers.get('content-security-policy') ?? ''
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...sources]) => [name ?? '', sources.join(' ')]),
  )
}

describe('GET /widget.js', () => {
  it('serves a script with nosniff, a cache lifetime, an ETag and cross-origin CORP', async () => {
    const res = await t.request('/widget.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('public, max-age=600, stale-while-revalidate=3600')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/)
    const again = await t.request('/widget.js', { headers: { 'If-None-Match': res.headers.get('etag') ?? '' } })
    expect(again.status).toBe(304)
    expect(again.headers.get('etag')).toBe(res.headers.get('etag'))
    expect(await again.text()).toBe('')
  })

  it('is valid JavaScript within 20 KiB gzipped', async () => {
    const body = await (await t.request('/widget.js')).text()
    expect(() => new Function(body)).not.toThrow()
    const gzipped = gzipSync(Buffer.from(body), { level: 9 }).length
    expect(gzipped).toBeLessThanOrEqual(20 * 1024)
  })

  it("never builds HTML from text: the server's sanitized `html` is the one thing set as HTML", async () => {
    const body = await (await t.request('/widget.js')).text()
    expect(body.match(/innerHTML/g)).toEqual(['innerHTML'])
    expect(body).toContain('content.innerHTML = c.html;')
    // And, taking over a server-rendered thread, the next page of it: the server's fragment, parsed
    // into an inert document (nothing runs there) whose comments are moved into the page.
    expect(body.match(/DOMParser/g)).toEqual(['DOMParser'])
    expect(body).toContain('new DOMParser().parseFromString(text, "text/html").querySelector(".parley-thread")')
    for (const sink of ['outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function', "setAttribute('style'", 'srcdoc']) {
      expect(body).not.toContain(sink)
    }
  })

  it("carries Turnstile's public site key only when Turnstile is configured, and a new ETag with it", async () => {
    const plain = await t.request('/widget.js')
    expect(await plain.text()).toContain('var TURNSTILE = null;')
    const configured = await withTurnstile(() => t.request('/widget.js'))
    const text = await configured.text()
    expect(text).toContain(
      'var TURNSTILE = {"siteKey":"0x4AAAAsiteKey","scriptUrl":"https://challenges.cloudflare.com/turnstile/v0/api.js"};',
    )
    expect(text).not.toContain('ts-secret')
    expect(configured.headers.get('etag')).not.toBe(plain.headers.get('etag'))
  })

  it('offers email notifications only where mail goes out, under a new ETag that a revalidation does not match', async () => {
    const plain = await t.request('/widget.js')
    const plainText = await plain.text()
    expect(plainText).toContain('var NOTIFY = false;')
    const etag = plain.headers.get('etag') ?? ''
    const configured = await withMail(() => t.request('/widget.js', { headers: { 'If-None-Match': etag } }))
    expect(configured.status).toBe(200)
    expect(configured.headers.get('etag')).not.toBe(etag)
    expect(await configured.text()).toBe(plainText.replace('var NOTIFY = false;', 'var NOTIFY = true;'))
  })
})

describe('GET /demo', () => {
  it('embeds the widget under a strict CSP: scripts and styles by nonce only, no framing', async () => {
    const res = await t.request('/demo')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    const policy = csp(res)
    const nonce = /'nonce-([^']+)'/.exec(policy.get('script-src') ?? '')?.[1]
    expect(policy.get('default-src')).toBe("'none'")
    expect(policy.get('script-src')).toBe(`'nonce-${nonce}'`)
    expect(policy.get('style-src')).toBe(`'nonce-${nonce}'`)
    expect(policy.get('connect-src')).toBe("'self'")
    expect(policy.get('frame-ancestors')).toBe("'none'")
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe')
    const html = await res.text()
    expect(html).toContain(`<script src="/widget.js" nonce="${nonce}" defer></script>`)
    expect(html).toContain(
      `<parley-comments article="demo" data-url="${ORIGIN}/demo" data-title="A year of the Thursday repair café: 412 kilos kept out of the skip"></parley-comments>`,
    )
    expect(html).toContain('<a href="/demo/plain">/demo/plain</a>')
  })

  it("lets Turnstile's challenge frame in when Turnstile is configured", async () => {
    const res = await withTurnstile(() => t.request('/demo'))
    expect(csp(res).get('frame-src')).toBe('https://challenges.cloudflare.com')
  })
})

describe('GET /demo/enhanced', () => {
  it("holds the server-rendered thread and WordPress's form inside <parley-comments>, with the widget, under a strict CSP", async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'demo', { name: 'Idris', body: 'Bring your own fuses.' })
    const res = await t.request('/demo/enhanced')
    expect(res.status).toBe(200)
    const policy = csp(res)
    const nonce = /'nonce-([^']+)'/.exec(policy.get('script-src') ?? '')?.[1]
    expect(policy.get('script-src')).toBe(`'nonce-${nonce}'`)
    expect(policy.get('style-src')).toBe(`'nonce-${nonce}'`)
    expect(policy.get('form-action')).toBe("'self'")
    const html = await res.text()
    expect(html).toContain(`<script src="/widget.js" nonce="${nonce}" defer></script>`)
    expect(html).toMatch(
      new RegExp(
        `<parley-comments article="demo" data-url="${ORIGIN}/demo/enhanced" data-title="[^"]+">\\s*<h2 class="comments-title">One thought on [^<]+</h2>\\s*` +
          '<div class="parley-thread" data-parley-article="demo" data-parley-count="1" data-parley-open="1" data-parley-policy="anyone" data-parley-next="" data-parley-order="oldest" data-parley-limit="20" data-parley-tz="UTC" data-parley-lang="en">[\\s\\S]*' +
          '<div id="respond" class="comment-respond">[\\s\\S]*<form action="/comment-form" method="post" id="commentform" class="comment-form">[\\s\\S]*</parley-comments>',
      ),
    )
    expect(html).toContain(`<input type='hidden' name='redirect_to' value='${ORIGIN}/demo/enhanced' />`)
    expect(html).not.toContain(' style=')
    // Linked from the other two pages.
    expect(await (await t.request('/demo')).text()).toContain('<a href="/demo/enhanced">/demo/enhanced</a>')
    expect(await (await t.request('/demo/plain')).text()).toContain('<a href="/demo/enhanced">/demo/enhanced</a>')
  })
})

describe('GET /demo/plain', () => {
  it("is WordPress's form pointed at Parley, with no script allowed at all", async () => {
    const res = await t.request('/demo/plain')
    expect(res.status).toBe(200)
    const policy = csp(res)
    expect(policy.get('default-src')).toBe("'none'")
    expect(policy.has('script-src')).toBe(false)
    expect(policy.get('form-action')).toBe("'self'")
    expect(policy.get('frame-ancestors')).toBe("'none'")
    const html = await res.text()
    expect(html).not.toContain('<script')
    expect(html).toContain('<form action="/comment-form" method="post" id="commentform" class="comment-form">')
    expect(html).toContain('<h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>')
    expect(html).toContain(
      '<span id="email-notes">Your email address will not be published.</span> <span class="required-field-message">Required fields are marked <span class="required">*</span></span>',
    )
    expect(html).toContain("<input type='hidden' name='comment_post_ID' value='demo' id='comment_post_ID' />")
    expect(html).toContain("<input type='hidden' name='comment_parent' id='comment_parent' value='0' />")
    expect(html).toContain(`<input type='hidden' name='redirect_to' value='${ORIGIN}/demo/plain' />`)
    expect(html).toContain('value="Post Comment"')
    expect(html).not.toContain('<ol class="comment-list">')
  })

  it('renders the published comments server-side, escaped, with replies nested and a reply form', async () => {
    await t.setSettings(openSettings)
    const first = await postComment(t, 'demo', {
      name: '<b>Mallory</b>',
      body: 'Fixed my <em>kettle</em> <script>alert(1)</script>',
      url: 'https://mallory.example/',
    })
    const reply = await postComment(t, 'demo', { name: 'Ann', body: 'Glad to hear it', parentId: first.comment.id })
    const html = await (await t.request(`/demo/plain?replytocom=${first.comment.id}`)).text()
    expect(html).toContain(
      '<h2 class="comments-title">2 thoughts on &ldquo;A year of the Thursday repair café: 412 kilos kept out of the skip&rdquo;</h2>',
    )
    expect(html).toContain(
      '<a href="https://mallory.example/" class="url" rel="external nofollow ugc" itemprop="url">&lt;b&gt;Mallory&lt;/b&gt;</a>',
    )
    expect(html).toContain(
      '<div class="comment-content" itemprop="text"><p>Fixed my <em>kettle</em> &lt;script&gt;alert(1)&lt;/script&gt;</p></div>',
    )
    expect(html).not.toContain('<script>alert(1)')
    expect(html).toMatch(
      new RegExp(
        `<li id="comment-${first.comment.id}"[\\s\\S]*<ol class="children">\\s*<li id="comment-${reply.comment.id}" class="comment depth-2" itemprop="comment"`,
      ),
    )
    // Relative to the page the fragment is in, as every host page needs it.
    expect(html).toContain(`href="?replytocom=${reply.comment.id}#respond" data-commentid="${reply.comment.id}"`)
    expect(html).toContain('aria-label="Reply to Ann">Reply</a>')
    expect(html).toContain(
      `Leave a Reply to <a href="#comment-${first.comment.id}">&lt;b&gt;Mallory&lt;/b&gt;</a> <small><a rel="nofollow" id="cancel-comment-reply-link" href="/demo/plain#respond">Cancel reply</a></small>`,
    )
    expect(html).toContain(`<input type='hidden' name='comment_parent' id='comment_parent' value='${first.comment.id}' />`)
  })

  it('shows a held comment only to the holder of its moderation hash, awaiting moderation', async () => {
    const held = await postComment(t, 'demo', { name: 'Bea', body: 'Is there parking nearby?' })
    expect(held.comment.status).toBe('pending')
    const [row] = await t.deps.db.select().from(comments).where(eq(comments.id, held.comment.id))
    const hash = await t.deps.secrets.moderationHash(row ?? { id: 0, createdAt: new Date(0) })
    const shown = await (await t.request(`/demo/plain?unapproved=${held.comment.id}&moderation-hash=${hash}`)).text()
    expect(shown).toContain('<p>Is there parking nearby?</p>')
    expect(shown).toContain('<em class="comment-awaiting-moderation">Your comment is awaiting moderation.</em>')
    const wrong = await (await t.request(`/demo/plain?unapproved=${held.comment.id}&moderation-hash=${'0'.repeat(hash.length)}`)).text()
    expect(wrong).not.toContain('Is there parking nearby?')
  })

  it('says so when the article is closed, and offers no form', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'demo')
    const moderator = await signIn(t)
    expect((await moderator.send('PUT', '/api/v1/moderation/articles/demo', { open: false })).status).toBe(200)
    const html = await (await t.request('/demo/plain')).text()
    expect(html).toContain('<p class="no-comments">Comments are closed.</p>')
    expect(html).not.toContain('id="commentform"')
    expect(html).not.toContain('comment-reply-link')
  })

  it("offers Jetpack's notification checkboxes only where mail goes out, and a ticked one is recorded", async () => {
    expect(await (await t.request('/demo/plain')).text()).not.toContain('type="checkbox"')
    const html = await withMail(async () => (await t.request('/demo/plain')).text())
    expect(html).toContain(
      '<p class="comment-form-url"><label for="url">Website</label> <input id="url" name="url" type="url" value="" size="30" maxlength="200" autocomplete="url" /></p>\n' +
        '<p class="comment-subscription-form"><input type="checkbox" name="subscribe_comments" id="subscribe_comments" value="subscribe" /> <label for="subscribe_comments">Notify me of follow-up comments by email.</label></p>\n' +
        '<p class="comment-subscription-form"><input type="checkbox" name="notify_approval" id="notify_approval" value="subscribe" /> <label for="notify_approval">Notify me when my comment is approved.</label></p>\n' +
        '<p class="form-submit">',
    )

    // Posted as the page's form posts it, with only the first box ticked.
    const res = await withMail(() =>
      t.request('/comment-form', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
        body: new URLSearchParams({
          comment: 'Tell me about replies.',
          author: 'Owain',
          email: 'owain@example.com',
          url: '',
          subscribe_comments: 'subscribe',
          comment_post_ID: 'demo',
          comment_parent: '0',
          redirect_to: `${ORIGIN}/demo/plain`,
        }).toString(),
      }),
    )
    expect(res.status).toBe(303)
    const queued = await t.deps.db.select({ commentId: jobs.commentId, payload: jobs.payload }).from(jobs).where(eq(jobs.kind, 'notify'))
    expect(queued).toEqual([{ commentId: expect.any(Number), payload: { event: 'created', subscribe: { thread: true, approval: false } } }])
  })

  it("renders Turnstile's challenge in the form when configured, loading only its script", async () => {
    const res = await withTurnstile(() => t.request('/demo/plain'))
    const html = await res.text()
    expect(html).toContain('<div class="cf-turnstile" data-sitekey="0x4AAAAsiteKey"></div>')
    expect(html).toMatch(/<script src="https:\/\/challenges\.cloudflare\.com\/turnstile\/v0\/api\.js" nonce="[^"]+" defer><\/script>/)
    expect(csp(res).get('frame-src')).toBe('https://challenges.cloudflare.com')
  })
})
