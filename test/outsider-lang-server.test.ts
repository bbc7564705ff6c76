import { describe, expect, it } from 'vitest'
import { connect } from 'node:net'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { mailHarness } from './support/mail-harness.js'
import { serveTestApp } from './support/http-server.js'
import { scriptIn } from './support/hostile-checks.js'
import { negotiateLanguage } from '../src/i18n/languages.js'
import { en } from '../src/i18n/en.js'

/**
 * An outsider's tests of the languages feature (README "Languages"): an attacker's hostile
 * Accept-Language headers, `lang=` values, /widget-xx.js paths and markup through translated
 * templates; and a German or Spanish publisher's plain form, fragment and emails. Each asserts what
 * should happen: a failing one shows a defect.
 */

// With the read cache on, as on Node.
const t = await setupTestApp({ readCache: true })
const inbox = mailHarness(t)

const BLOG = 'https://blog.example'
const HOSTILE_NAME = `<img src=x onerror=alert(1)>"'&{0}{1}$&`
const HOSTILE_TITLE = `"><script>alert(2)</script>{0}{1}$1`

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  t.request('/comment-form', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ comment_post_ID: 'form-1', ...fields }).toString(),
  })

const fragment = async (key: string, query = '', headers: Record<string, string> = {}) => {
  const res = await t.request(`/api/v1/articles/${key}/comments.html${query}`, { headers })
  return { res, html: await res.text() }
}

/** Every English sentence (longer than a word or two) of a part of the catalog, functions called with a marker. */
function englishSentences(node: unknown): string[] {
  if (typeof node === 'string') return node.length > 12 ? [node] : []
  if (typeof node === 'function') {
    const made = [(node as (...a: unknown[]) => string)('\u0001', 1), (node as (...a: unknown[]) => string)('\u0001', 2)]
    // The fixed words around the marker and the number.
    return made.flatMap((text) => text.split(/\u0001|\d+/)).filter((part) => part.trim().length > 12)
  }
  if (node && typeof node === 'object') return Object.values(node).flatMap(englishSentences)
  return []
}

/** scriptIn's findings, once Parley's own avatar (an inline SVG, which scriptIn flags) is checked apart (as test/fragment-attacks.test.ts). */
function scriptOutsideAvatars(html: string): string[] {
  const rest = html.replace(
    /<svg class="avatar avatar-32 photo" width="32" height="32" viewBox="0 0 2 2" aria-hidden="true"><circle cx="1" cy="1" r="1" fill="#[0-9a-f]{6}"\/><text x="1" y="1.35" font-size="1" text-anchor="middle" fill="#fff">[^<>"]*<\/text><\/svg>/g,
    '',
  )
  const found = scriptIn(rest)
  if (/<svg/i.test(rest)) found.push('an <svg> that is not the avatar')
  return found
}

/** Anything in a response that looks like an internal error leaking out. */
const leaks = (text: string) => /at \S+ \(|node_modules|TypeError|RangeError|ReferenceError|SyntaxError|stack/i.test(text)

describe('an attacker: hostile Accept-Language', () => {
  const hostile = [
    'de;q=0.5,'.repeat(20_000),
    Array.from({ length: 5000 }, (_, i) => `x${i};q=0.${i % 10}`).join(','),
    'de\u0001',
    '\u0001de',
    'de\u007f;q=1',
    'd\u00e9, \u00e9s',
    'de;q=1e309',
    'de;q=-1',
    'de;q=NaN',
    'de;q=Infinity',
    'de;q=0.0000001',
    'de;q=0.5;q=0.9',
    ';;;,,,;q=1',
    '*',
    '*;q=0',
    '__proto__, constructor, toString, hasOwnProperty',
    '\tde\t;\tq\t=\t0.9',
    'de-' + 'x'.repeat(10_000),
    '%64%65',
    '=de',
  ]

  it('never makes the plain form, emailed links or problem details fail, leak or answer slowly', async () => {
    await t.setSettings(openSettings)
    for (const header of hostile) {
      const started = Date.now()
      const answers = [
        await form({ comment: 'No name' }, { 'Accept-Language': header }),
        await t.request('/mail/confirm?t=forged', { headers: { 'Accept-Language': header } }),
        await t.postJson('/api/v1/articles/al-1/comments', { body: 'No name' }, { 'Accept-Language': header }),
      ]
      expect(Date.now() - started, header.slice(0, 40)).toBeLessThan(2000)
      for (const res of answers) {
        expect(res.status, header.slice(0, 40)).toBeLessThan(500)
        const text = await res.text()
        expect(leaks(text), `${header.slice(0, 40)}: ${text.slice(0, 200)}`).toBe(false)
        const language = res.headers.get('content-language')
        if (language !== null) expect(['de', 'es']).toContain(language)
        const lang = /<html lang="([^"]*)">/.exec(text)?.[1]
        if (lang !== undefined) expect(['en', 'de', 'es']).toContain(lang)
      }
    }
  })

  it('weighs a q above 1 as no more than 1, as it does any other weight that is not a qvalue', () => {
    // A qvalue is 0 to 1 with three decimals at most (RFC 9110 §12.4.2); Parley reads one it cannot
    // parse (`q=abc`, `q=-1`) as the default 1: `q=1.5` cannot then outrank an earlier q=1.
    expect(negotiateLanguage('es, de;q=1.5', 'en')).toBe('es')
    expect(negotiateLanguage('es, de;q=1.999', 'en')).toBe('es')
    expect(negotiateLanguage('es, de;q=-1', 'en')).toBe('es')
  })

  it('keeps the first of equally weighted languages wherever they stand in the header', () => {
    // A French reader who reads German before Spanish, both at 0.8: German.
    expect(negotiateLanguage('fr-FR, fr;q=0.9, de;q=0.8, es;q=0.8', 'en')).toBe('de')
    expect(negotiateLanguage('it, es;q=0.5, en;q=0.5', 'de')).toBe('es')
  })

  it('answers NUL and control bytes on the wire with a 400, not a 5xx', async () => {
    const server = await serveTestApp(t)
    try {
      for (const value of ['de\u0000', 'de\u0001es', 'de\r es', '\u00ff\u00fe']) {
        const raw = await new Promise<string>((resolve) => {
          const socket = connect(server.port, '127.0.0.1', () => {
            socket.write(
              Buffer.from(
                `POST /api/v1/articles/al-2/comments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nAccept-Language: ${value}\r\nConnection: close\r\n\r\n{}`,
                'latin1',
              ),
            )
          })
          let data = ''
          socket.on('data', (chunk) => (data += chunk.toString('latin1')))
          socket.on('close', () => resolve(data))
          socket.on('error', () => resolve(data))
        })
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0)
        expect(status, JSON.stringify(value)).toBeGreaterThanOrEqual(400)
        expect(status, JSON.stringify(value)).toBeLessThan(500)
        expect(leaks(raw)).toBe(false)
      }
    } finally {
      await server.close()
    }
  })
})

describe('an attacker: lang= on the fragment and the read cache', () => {
  it('never serves one language’s copy to another, however lang= is spelled', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'lc-1', { name: 'Ana', body: 'Hallo' })
    const german = (await fragment('lc-1', '?lang=de')).html
    expect(german).toContain('sagt:')
    // The German copy is kept; the English readers' URL is another key.
    for (const query of [
      '',
      '?lang=en',
      '?lang=EN',
      '?lang=en-GB',
      '?lang=en_US',
      '?lang=fr',
      '?lang=zz',
      '?lang=',
      '?lang=d',
      '?lang=dee',
    ]) {
      const { res, html } = await fragment('lc-1', query)
      expect(res.status, query).toBe(200)
      expect(html, query).toContain('<span class="says">says:</span>')
      expect(html, query).not.toContain('sagt:')
    }
    // Spellings of German: German, whether kept or not.
    for (const query of ['?lang=DE', '?lang=de-DE', '?lang=de_DE', '?lang=De-aT', '?lang=de-1996']) {
      const { res, html } = await fragment('lc-1', query)
      expect(res.status, query).toBe(200)
      expect(html, query).toContain('sagt:')
    }
  })

  it('keeps no copy for a spelling other than two lowercase letters, and refuses or ignores junk without a 5xx', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'lc-2', { name: 'Ana', body: 'Hallo' })
    const cache = t.deps.readCache
    if (!cache) throw new Error('the read cache is on in this file')
    await fragment('lc-2', '?lang=de')
    await fragment('lc-2', '?lang=es')
    await fragment('lc-2')
    const kept = cache.size.entries
    const junk = [
      'DE',
      'Es',
      'de-DE',
      'de_DE',
      'de%00',
      '%00de',
      'de%0d%0aX-Injected:%201',
      '%20de',
      'de%20',
      'd%C3%A9',
      '..%2Fde',
      'de;',
      'de,es',
      '%E0%A4%A',
      'x'.repeat(35),
      'de&lang=es',
      'de&lang=de',
      '__proto__',
      'constructor',
    ]
    for (const value of junk) {
      const { res, html } = await fragment('lc-2', `?lang=${value}`)
      expect(res.status, value).toBeLessThan(500)
      expect(leaks(html), value).toBe(false)
      expect(res.headers.get('x-injected')).toBeNull()
    }
    const tooLong = await fragment('lc-2', `?lang=${'x'.repeat(36)}`)
    expect(tooLong.res.status).toBe(422)
    expect(await fragment('lc-2', '?lang[]=de').then((f) => f.res.status)).toBeLessThan(500)
    expect(cache.size.entries).toBe(kept)
  })

  it('keeps one copy per language however the query is percent-encoded', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'lc-5', { name: 'Ana', body: 'Hallo' })
    const cache = t.deps.readCache
    if (!cache) throw new Error('the read cache is on in this file')
    await fragment('lc-5', '?lang=de')
    const kept = cache.size.entries
    // The same read, spelled otherwise: answered, but (as keepableKey promises) not kept, or a
    // stranger makes endless copies of one page (every character of a cursor or zone has three spellings).
    for (const query of ['?lang=d%65', '?lang=%64e', '?lang=%64%65', '?lang=de&order=%6fldest', '?lang=de&limit=%35%30']) {
      const { res, html } = await fragment('lc-5', query)
      expect(res.status, query).toBe(200)
      expect(html, query).toContain('sagt:')
    }
    expect(cache.size.entries).toBe(kept)
  })

  it("follows a change of the site's language at once, for kept copies and revalidating readers alike", async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'lc-3', { name: 'Ana', body: 'Hola' })
    const english = await fragment('lc-3')
    expect(english.html).toContain('says:')
    const etag = english.res.headers.get('etag') ?? ''
    expect(etag).not.toBe('')
    await t.setSettings({ language: 'es' })
    const spanish = await fragment('lc-3')
    expect(spanish.html).toContain('dice:')
    const revalidated = await fragment('lc-3', '', { 'If-None-Match': etag })
    expect(revalidated.res.status).toBe(200)
    expect(revalidated.html).toContain('dice:')
    // A kept two-letter code Parley does not ship follows the setting too.
    await t.setSettings({ language: 'en' })
    expect((await fragment('lc-3', '?lang=fr')).html).toContain('says:')
    await t.setSettings({ language: 'de' })
    expect((await fragment('lc-3', '?lang=fr')).html).toContain('sagt:')
  })
})

describe('an attacker: /widget-xx.js', () => {
  it('serves only the shipped catalogs, under their one spelling, and nothing else', async () => {
    const de = await t.request('/widget-de.js')
    expect(de.status).toBe(200)
    expect(de.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(de.headers.get('x-content-type-options')).toBe('nosniff')
    expect(de.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    const deBody = await de.text()
    expect(deBody).toContain('Schreibe einen Kommentar')
    const es = await t.request('/widget-es.js')
    expect(es.status).toBe(200)
    const esBody = await es.text()
    expect(esBody).toContain('Deja una respuesta')
    // 304 on its own ETag.
    const again = await t.request('/widget-de.js', { headers: { 'If-None-Match': de.headers.get('etag') ?? '' } })
    expect(again.status).toBe(304)

    const paths = [
      '/widget-en.js',
      '/widget-fr.js',
      '/widget-zz.js',
      '/widget-DE.js',
      '/widget-De.js',
      '/widget-dee.js',
      '/widget-d.js',
      '/widget-de.json',
      '/widget-de.jsx',
      '/widget-de.js/',
      '/widget-de.js/..',
      '/widget-de.js%00',
      '/widget-de%00.js',
      '/widget-..%2Fwidget.js',
      '/widget-%2e%2e.js',
      '/widget-..js',
      '/widget-../admin/admin.js',
      '/%2e%2e/widget-de.js',
      '/widget-de%2Ejs',
      '/widget-%64%65.js',
      '/widget-d%65.js',
      '/widget-__.js',
      '/widget-pr.js',
      '/widget-to.js',
      '/WIDGET-DE.JS',
      '/widget-\u00e9s.js',
    ]
    for (const path of paths) {
      const res = await t.request(path)
      const body = await res.text()
      expect(res.status, path).toBeLessThan(500)
      expect(leaks(body), path).toBe(false)
      // Whatever answers 200 is one of the two catalogs, byte for byte (a decoded spelling of one at most).
      if (res.status === 200) expect([deBody, esBody], path).toContain(body)
      else expect(res.status, path).toBe(404)
    }
    // A language Parley does not ship, in any case: not found.
    for (const path of ['/widget-en.js', '/widget-fr.js', '/widget-DE.js']) expect((await t.request(path)).status, path).toBe(404)
  })
})

describe('an attacker: markup through translated templates', () => {
  it('escapes names in the German and Spanish fragment', async () => {
    await t.setSettings(openSettings)
    const root = await postComment(t, 'mk-1', { name: HOSTILE_NAME, body: 'Erster' })
    await postComment(t, 'mk-1', { name: 'Ben', body: 'Zweiter', parentId: root.comment.id })
    for (const lang of ['de', 'es']) {
      const { html } = await fragment('mk-1', `?lang=${lang}`)
      expect(scriptOutsideAvatars(html)).toEqual([])
      expect(html).not.toContain('<img src=x')
      // The template's own placeholders are not filled a second time from the name.
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;{0}{1}$&amp;')
    }
  })

  it("escapes titles and names in German emails, readers' and moderators', and keeps them to one subject line", async () => {
    await t.setSettings({ ...openSettings, language: 'de', siteName: 'Tagesblatt', allowedOrigins: [BLOG] })
    const mod = await signIn(t)
    await mod.send('PUT', '/api/v1/moderation/notifications', { held: true, reported: true, every: true, digest: 'off' })
    const title = `${HOSTILE_TITLE}\r\nBcc: victim@example.com`
    const first = await t.postJson('/api/v1/articles/mk-2/comments', {
      name: HOSTILE_NAME,
      email: 'follower@example.com',
      body: 'Ich folge',
      subscribeComments: true,
      article: { url: `${BLOG}/mk-2`, title },
    })
    expect(first.status).toBe(201)
    const mails = await inbox.deliver()
    expect(mails.length).toBeGreaterThan(0)
    const confirmation = mails.find((m) => m.to[0] === 'follower@example.com')
    expect(confirmation).toBeDefined()
    await inbox.follow(inbox.linkIn(confirmation!, 'E-Mail-Adresse bestätigen'))
    const other = await postComment(t, 'mk-2', { name: HOSTILE_NAME, body: 'Antwort' })
    await t.request(`/api/v1/comments/${other.comment.id}/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'other', note: '<script>alert(3)</script>' }),
    })
    t.advance(16 * 60)
    const more = [...mails, ...(await inbox.deliver())]
    expect(more.some((m) => m.to[0] === 'follower@example.com' && /Kommentar/.test(m.mail.subject ?? ''))).toBe(true)
    for (const mail of more) {
      const html = typeof mail.mail.html === 'string' ? mail.mail.html : ''
      expect(scriptIn(html), mail.mail.subject).toEqual([])
      expect(html).not.toContain('<script>alert')
      expect(html).not.toContain('<img src=x')
      expect(mail.to).not.toContain('victim@example.com')
      expect(mail.mail.subject ?? '').not.toMatch(/[\r\n]/)
      expect(mail.mail.headerLines.some((h) => /^bcc$/i.test(h.key))).toBe(false)
    }
  })

  it('escapes names on the German pages emailed links open', async () => {
    await t.setSettings({ ...openSettings, moderation: 'all', language: 'de' })
    const mod = await signIn(t)
    await mod.send('PUT', '/api/v1/moderation/notifications', { held: true, reported: false, every: false, digest: 'off' })
    await t.postJson('/api/v1/articles/mk-3/comments', { name: HOSTILE_NAME, email: 'x@example.com', body: '<b>fett</b> {0}' })
    const held = (await inbox.deliver()).find((m) => m.to[0] === mod.email)
    expect(held).toBeDefined()
    for (const language of ['de', 'es', 'en']) {
      const page = await t.request(inbox.linkIn(held!, 'Freigeben'), { headers: { 'Accept-Language': language } })
      const text = await page.text()
      expect(page.status).toBe(200)
      expect(scriptIn(text)).toEqual([])
      expect(text).not.toContain('<img src=x')
    }
  })
})

describe('a German or Spanish publisher: the plain form without JavaScript', () => {
  it('answers too fast, closed comments and a held comment in German, with the way back in German', async () => {
    await t.setSettings({ ...openSettings, floodSeconds: 60, allowedOrigins: [BLOG] })
    const de = { 'Accept-Language': 'de-DE,de;q=0.9,en;q=0.5' }
    const fields = { author: 'Jutta', email: 'jutta@example.com' }
    const first = await form({ ...fields, comment: 'Erster Beitrag' }, de)
    expect(first.status).toBe(201)
    const firstPage = await first.text()
    expect(firstPage).toContain('<html lang="de">')
    expect(firstPage).toContain('Kommentar erhalten')
    expect(firstPage).toContain('Danke: Dein Kommentar ist veröffentlicht.')
    expect(firstPage).toContain('Nutze die Zurück-Schaltfläche')

    const fast = await form({ ...fields, comment: 'Zu schnell' }, { ...de, Referer: `${BLOG}/artikel/` })
    expect(fast.status).toBe(429)
    const fastPage = await fast.text()
    expect(fastPage).toContain('<p><strong>Fehler:</strong> Du schreibst Kommentare zu schnell. Mach mal langsam.</p>')
    expect(fastPage).toContain(`<a id="back" href="${BLOG}/artikel/">« Zurück</a>`)

    const mod = await signIn(t)
    await mod.send('PUT', '/api/v1/moderation/articles/form-1', { open: false })
    t.advance(120)
    const closed = await form({ ...fields, comment: 'Geschlossen?' }, de)
    const closedPage = await closed.text()
    expect(closed.status).toBeLessThan(500)
    expect(closedPage).toContain('Die Kommentarfunktion ist für diesen Beitrag leider geschlossen.')
    expect(closedPage).not.toContain('Sorry, comments are closed')

    await t.setSettings({ floodSeconds: 0, moderation: 'all' })
    const heldEs = await form(
      { comment_post_ID: 'form-2', author: 'Lucía', email: 'l@example.com', comment: 'Hola' },
      { 'Accept-Language': 'es-MX' },
    )
    const heldPage = await heldEs.text()
    expect(heldPage).toContain('<html lang="es">')
    expect(heldPage).toContain('Tu comentario está pendiente de moderación.')
  })

  it("answers a refused form sent in the wrong encoding in the reader's language too", async () => {
    await t.setSettings(openSettings)
    // A theme whose form says enctype="text/plain": the refusal's page is still the reader's.
    const res = await t.request('/comment-form', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'Accept-Language': 'de' },
      body: 'comment=Hallo',
    })
    expect(res.status).toBe(415)
    const page = await res.text()
    expect(page).toContain('<html lang="de">')
    expect(page).toContain('Fehler beim Absenden des Kommentars')
  })
})

describe('a German or Spanish publisher: emails', () => {
  it('emails a German reader with no English sentence left: the confirmation, the approval, new comments (one and several)', async () => {
    await t.setSettings({ ...openSettings, moderation: 'all', language: 'de', siteName: 'Tagesblatt' })
    const follow = await t.postJson('/api/v1/articles/em-1/comments', {
      name: 'Leserin',
      email: 'leserin@example.com',
      body: 'Ich folge',
      subscribeComments: true,
      notifyApproval: true,
      article: { title: 'Brücke' },
    })
    expect(follow.status).toBe(201)
    const own = ((await follow.json()) as { comment: { id: number } }).comment.id
    const [confirmation] = (await inbox.deliver()).filter((m) => m.to[0] === 'leserin@example.com')
    expect(confirmation?.mail.subject).toBe('[Tagesblatt] Bestätige deine E-Mail-Adresse für Kommentar-Benachrichtigungen')
    expect(confirmation?.mail.text).toContain('neue Kommentare zu „Brücke“')
    expect(confirmation?.mail.text).toContain('die Freigabe eines Kommentars zu „Brücke“')
    expect((await inbox.follow(inbox.linkIn(confirmation!, 'E-Mail-Adresse bestätigen'))).status).toBe(200)

    const mod = await signIn(t)
    expect((await mod.send('PATCH', `/api/v1/moderation/comments/${own}`, { status: 'approved' })).status).toBe(200)
    const [approved] = (await inbox.deliver()).filter((m) => m.to[0] === 'leserin@example.com')
    expect(approved?.mail.subject).toBe('[Tagesblatt] Dein Kommentar zu „Brücke“ wurde freigegeben')

    await t.setSettings({ moderation: 'rules' })
    await postComment(t, 'em-1', { name: 'Bernd', body: 'Eine Antwort' })
    const [one] = (await inbox.deliver()).filter((m) => m.to[0] === 'leserin@example.com')
    expect(one?.mail.subject).toBe('[Tagesblatt] Neuer Kommentar zu „Brücke“')
    expect(one?.mail.text).toContain('Bernd schrieb:')

    await postComment(t, 'em-1', { name: 'Carla', body: 'Zweite' })
    await postComment(t, 'em-1', { name: 'Dora', body: 'Dritte' })
    t.advance(15 * 60)
    const [two] = (await inbox.deliver()).filter((m) => m.to[0] === 'leserin@example.com')
    expect(two?.mail.subject).toBe('[Tagesblatt] 2 neue Kommentare zu „Brücke“')
    expect(two?.mail.text).toContain('2 neue Kommentare zu „Brücke“:')

    const sentences = englishSentences(en.mail)
    for (const mail of [confirmation!, approved!, one!, two!]) {
      const html = typeof mail.mail.html === 'string' ? mail.mail.html : ''
      for (const sentence of sentences) {
        expect(mail.mail.text, sentence).not.toContain(sentence)
        expect(html, sentence).not.toContain(sentence)
      }
      expect(html).toContain('<html lang="de">')
    }
  })

  it("emails a Spanish moderator in Spanish, with no English word in what Parley wrote (the comment's status included)", async () => {
    await t.setSettings({ ...openSettings, moderation: 'all', language: 'es', siteName: 'El Diario' })
    const mod = await signIn(t)
    await mod.send('PUT', '/api/v1/moderation/notifications', { held: true, reported: true, every: false, digest: 'off' })
    await t.postJson('/api/v1/articles/em-2/comments', {
      name: 'Lucía',
      email: 'lucia@example.com',
      body: 'Una pregunta',
      article: { title: 'El puente' },
    })
    const [held] = (await inbox.deliver()).filter((m) => m.to[0] === mod.email)
    expect(held?.mail.subject).toBe('[El Diario] Por favor, modera: «El puente»')
    const text = held?.mail.text ?? ''
    expect(text).toContain('Un comentario nuevo en «El puente» espera tu aprobación')
    expect(text).toContain('Autor: Lucía')
    // The comment's status as the reader of this email says it, not Parley's code for it.
    const status = /^Estado: (.*)$/m.exec(text)?.[1]
    expect(status).toBeDefined()
    expect(['pending', 'approved', 'spam', 'trash']).not.toContain(status)
    for (const sentence of englishSentences(en.mail)) expect(text, sentence).not.toContain(sentence)
  })
})
