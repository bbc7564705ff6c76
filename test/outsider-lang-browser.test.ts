import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { reports } from '../src/db/schema.js'
import { setupTestApp } from './support/test-app.js'
import { browserSession } from './support/browser-session.js'
import { loopbackServer } from './support/loopback-server.js'
import { signIn } from './support/moderators.js'
import { openSettings, postComment } from './support/seed.js'

/**
 * An outsider's browser tests of the languages feature: a German or Spanish publisher who follows
 * the README embeds the widget on a page in their language (and, for the attacker's part, a page
 * whose catalog script cannot load). Each asserts what should happen: a failing one shows a defect.
 */

declare global {
  interface Window {
    __violations?: string[]
  }
}

const t = await setupTestApp()
const session = browserSession(t)

/**
 * The publisher's article page, as the README's embed: `<html lang>` (and `dir`), the element, the
 * script; `csp` and `nonce` for a page with its own Content-Security-Policy.
 */
async function site(options: { lang: string; dir?: string; article: string; csp?: (parley: string) => string; nonce?: string }) {
  const host = await loopbackServer((_req, res) => {
    const headers: Record<string, string> = { 'Content-Type': 'text/html; charset=utf-8' }
    if (options.csp) headers['Content-Security-Policy'] = options.csp(session.url())
    res.writeHead(200, headers)
    res.end(`<!doctype html><html lang="${options.lang}"${options.dir ? ` dir="${options.dir}"` : ''}><head><title>Artikel</title></head><body>
<article><h1>Artikel</h1></article>
<parley-comments article="${options.article}"></parley-comments>
<script src="${session.url()}/widget.js"${options.nonce ? ` nonce="${options.nonce}"` : ''} async></script>
</body></html>`)
  })
  await t.setSettings({ ...openSettings, allowedOrigins: [host.url] })
  return host
}

/** A fresh profile on `url`, CSP violations recorded (`commit`: without waiting for the page's load event). */
const open = (url: string, waitUntil: 'load' | 'commit' = 'load'): Promise<Page> =>
  session.open(url, {
    waitUntil,
    viewport: { width: 1000, height: 900 },
    init: () => {
      window.__violations = []
      document.addEventListener('securitypolicyviolation', (e) => window.__violations?.push(`${e.violatedDirective} ${e.blockedURI}`))
    },
  })

const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true })
const field = (page: Page, label: string) => page.getByRole('textbox', { name: new RegExp(`^${label}( \\*)?$`) })
const announced = (page: Page, text: string) => page.locator('[role=status]', { hasText: text }).waitFor()

/** Everything a reader sees or hears of the widget: its text and its controls' names. */
const widgetWords = (page: Page) =>
  page.locator('parley-comments').evaluate((host) => {
    const root = host.shadowRoot ?? host
    const labels = Array.from(root.querySelectorAll('[aria-label]')).map((node) => node.getAttribute('aria-label') ?? '')
    const values = Array.from(root.querySelectorAll('input[type=submit]')).map((node) => (node as HTMLInputElement).value)
    return [root.textContent ?? '', ...labels, ...values].join('\n')
  })

/**
 * The widget's English sentences (messages.js) that the German catalog does not share: any of them
 * on a German page is English left where a German reader sees it.
 */
const englishOnly = (() => {
  const source = readFileSync(new URL('../src/widget/client/messages.js', import.meta.url), 'utf8')
  const block = source.slice(source.indexOf('const en = (num) => ({'), source.indexOf('/** @typedef {ReturnType<typeof en>} Messages */'))
  const german = readFileSync(new URL('../src/widget/client/catalogs/de.js', import.meta.url), 'utf8')
  return [...block.matchAll(/'([^'\\]{9,})'/g)]
    .map((match) => (match[1] ?? '').trim())
    .filter((text) => text.length > 8 && !german.includes(text))
})()

const englishIn = (words: string) => englishOnly.filter((sentence) => words.includes(sentence))

async function postAs(page: Page, values: { body: string; name?: string; email?: string }, button = 'Kommentar abschicken') {
  await field(page, button === 'Kommentar abschicken' ? 'Kommentar' : 'Comentario').fill(values.body)
  const name = field(page, button === 'Kommentar abschicken' ? 'Name' : 'Nombre')
  if (values.name !== undefined) await name.fill(values.name)
  const email = field(page, button === 'Kommentar abschicken' ? 'E-Mail' : 'Correo electrónico')
  if (values.email !== undefined) await email.fill(values.email)
  await page.getByRole('button', { name: button }).click()
}

describe('a German publisher embeds the widget as the README says', () => {
  it('posts, replies, edits and votes in German, with no English word in the widget', async () => {
    const host = await site({ lang: 'de-DE', article: 'de-1' })
    await postComment(t, 'de-1', { name: 'Ana', body: 'Erster Kommentar.' })
    const page = await open(`${host.url}/artikel`)
    await heading(page, '1 Kommentar').waitFor()
    await heading(page, 'Schreibe einen Kommentar').waitFor()

    const vote = page.getByRole('button', { name: /^Für den Kommentar von Ana stimmen/ })
    await vote.click()
    await announced(page, 'Abgestimmt: 1 Stimme.')

    await postAs(page, { body: 'Mein Beitrag.', name: 'Jutta', email: 'jutta@example.com' })
    await announced(page, 'Dein Kommentar wurde veröffentlicht.')
    await heading(page, '2 Kommentare').waitFor()

    await page.getByRole('button', { name: 'Antworte auf Ana' }).click()
    await heading(page, 'Antworte auf Ana Antworten abbrechen').or(heading(page, 'Antworte auf Ana')).first().waitFor()
    t.advance(60)
    await postAs(page, { body: 'Meine Antwort.' })
    await page.locator('ol.children li .comment-content', { hasText: 'Meine Antwort.' }).waitFor()

    await page.getByRole('button', { name: 'Deinen Kommentar bearbeiten' }).first().click()
    await page.getByRole('textbox', { name: 'Deinen Kommentar bearbeiten' }).fill('Mein Beitrag, korrigiert.')
    await page.getByRole('button', { name: 'Speichern' }).click()
    await announced(page, 'Dein Kommentar wurde gespeichert.')

    expect(englishIn(await widgetWords(page))).toEqual([])
    expect(await page.evaluate(() => window.__violations)).toEqual([])
  })

  it('thanks a German reader for a report in German', async () => {
    const host = await site({ lang: 'de', article: 'de-2' })
    await postComment(t, 'de-2', { name: 'Spammy', body: 'Billige Uhren bei example.com' })
    const page = await open(`${host.url}/artikel`)
    await page.getByRole('button', { name: 'Den Kommentar von Spammy melden' }).click()
    await page.getByLabel('Warum sollte die Moderation sich diesen Kommentar ansehen?').selectOption('spam')
    await page.getByLabel('Noch etwas hinzuzufügen? (optional)').fill('Auf jedem Artikel.')
    await page.getByRole('button', { name: 'Meldung senden' }).click()
    await announced(page, 'Danke. Die Moderation sieht es sich an.')
    expect(await t.deps.db.select({ reason: reports.reason }).from(reports)).toEqual([{ reason: 'spam' }])
    // What stays in the comment's place is the reader's language too.
    await page.locator('p.notice').first().waitFor()
    expect(await page.locator('p.notice').allTextContents()).toEqual(['Danke. Die Moderation sieht es sich an.'])
    expect(englishIn(await widgetWords(page))).toEqual([])
  })

  it('says a missing name and posting too fast in German, with the right plural for one second', async () => {
    const host = await site({ lang: 'de', article: 'de-3' })
    await t.setSettings({ floodSeconds: 1 })
    const page = await open(`${host.url}/artikel`)
    await postAs(page, { body: 'Ohne Namen' })
    await page.locator('.comment-form-author .field-error', { hasText: 'Bitte fülle die erforderlichen Felder aus.' }).waitFor()
    await postAs(page, { body: 'Erster.', name: 'Jutta', email: 'jutta@example.com' })
    await announced(page, 'Dein Kommentar wurde veröffentlicht.')
    // The server's clock stands still: the next comment is refused with one second to wait.
    await postAs(page, { body: 'Zweiter.' })
    const error = page.locator('#form-error')
    await error.getByText(/^Du schreibst Kommentare zu schnell\./).waitFor()
    expect(await error.textContent()).toBe('Du schreibst Kommentare zu schnell. Bitte warte 1 Sekunde und versuche es dann noch einmal.')
  })

  it('says comments are closed in German', async () => {
    const host = await site({ lang: 'de', article: 'de-4' })
    await postComment(t, 'de-4', { name: 'Ana', body: 'Vor dem Schluss.' })
    const mod = await signIn(t)
    expect((await mod.send('PUT', '/api/v1/moderation/articles/de-4', { open: false })).status).toBe(200)
    const page = await open(`${host.url}/artikel`)
    await heading(page, '1 Kommentar').waitFor()
    await page.locator('parley-comments p.closed').waitFor()
    expect(await page.locator('parley-comments p.closed').textContent()).toBe('Die Kommentare sind geschlossen.')
  })

  it("titles the must-log-in box in German where the site's readers must sign in", async () => {
    const host = await site({ lang: 'de', article: 'de-5' })
    await t.setSettings({ commentPolicy: 'signed-in', loginUrl: 'https://news.example/login' })
    const page = await open(`${host.url}/artikel`)
    await page.getByText('Du musst', { exact: false }).first().waitFor()
    expect(await page.locator('parley-comments .comment-reply-title').first().textContent()).toBe('Schreibe einen Kommentar')
    expect(englishIn(await widgetWords(page))).toEqual([])
  })

  it('loads more comments in German', async () => {
    const host = await site({ lang: 'de-AT', article: 'de-6' })
    for (let i = 1; i <= 23; i++) await postComment(t, 'de-6', { body: `Kommentar ${i}` })
    const page = await open(`${host.url}/artikel`)
    await heading(page, '23 Kommentare').waitFor()
    await page.getByRole('button', { name: 'Weitere Kommentare laden' }).click()
    await announced(page, '3 weitere Kommentare geladen.')
    expect(await page.locator('.comment-list > li').count()).toBe(23)
  })

  it("loads /widget-de.js under a strict CSP that allows the widget's script by its nonce alone", async () => {
    const host = await site({
      lang: 'de',
      article: 'de-7',
      nonce: 'n0nc3',
      csp: (origin) => `default-src 'none'; script-src 'nonce-n0nc3'; connect-src ${origin}`,
    })
    await postComment(t, 'de-7', { name: 'Ana', body: 'Hallo.' })
    const page = await open(`${host.url}/artikel`)
    await heading(page, '1 Kommentar').waitFor()
    await heading(page, 'Schreibe einen Kommentar').waitFor()
    expect(await page.evaluate(() => window.__violations)).toEqual([])
  })

  it('falls back to English, and keeps the page alive, when the German words cannot load', async () => {
    // The publisher's CSP names the widget's file alone (a path-restricted source; a blocker dropping
    // /widget-de.js does the same): messages.js promises "A catalog that cannot load leaves the widget in English".
    const host = await site({ lang: 'de', article: 'de-8', csp: (origin) => `script-src ${origin}/widget.js; connect-src ${origin}` })
    await postComment(t, 'de-8', { name: 'Ana', body: 'Hallo.' })
    const page = await open(`${host.url}/artikel`, 'commit')
    // Time for the widget and its catalog's refusal; then a frozen page answers no script.
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const alive = await Promise.race([
      page.evaluate(() => 'alive'),
      new Promise<string>((resolve) => setTimeout(() => resolve('frozen'), 5000)),
    ])
    expect(alive).toBe('alive')
    await heading(page, '1 Comment').waitFor({ timeout: 5000 })
  })
})

describe('a Spanish publisher embeds the widget', () => {
  it('posts, deletes and reads refusals in Spanish', async () => {
    const host = await site({ lang: 'es-MX', article: 'es-1' })
    await postComment(t, 'es-1', { name: 'Lucía', body: 'Primero.' })
    const page = await open(`${host.url}/articulo`)
    await heading(page, '1 comentario').waitFor()
    await heading(page, 'Deja una respuesta').waitFor()
    await postAs(page, { body: 'Sin nombre' }, 'Publicar el comentario')
    await page.getByText('Por favor, rellena los campos obligatorios.').first().waitFor()
    await postAs(page, { body: 'Mi comentario.', name: 'Pablo', email: 'pablo@example.com' }, 'Publicar el comentario')
    await heading(page, '2 comentarios').waitFor()
    await page.getByRole('button', { name: 'Borrar tu comentario' }).click()
    await page.getByRole('button', { name: 'Borrar', exact: true }).click()
    await announced(page, 'Tu comentario fue borrado.')
    await heading(page, '1 comentario').waitFor()
  })
})

describe('a German publisher over the server-rendered thread', () => {
  it("keeps the thread's language when the widget loads the next page of it", async () => {
    const form = readFileSync(new URL('fixtures/wordpress/comment-form.html', import.meta.url), 'utf8')
      .replace('https://example.com/wp-comments-post.php', `${session.url()}/comment-form`)
      .replaceAll("value='123'", "value='de-9'")
    const host = await loopbackServer(async (_req, res) => {
      // The plugin sends the site's locale: lang=de_DE.
      const fragment = await (await fetch(`${session.url()}/api/v1/articles/de-9/comments.html?limit=1&lang=de_DE`)).text()
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      res.end(`<!doctype html><html lang="de-DE"><head><title>Beitrag</title></head><body>
<div id="comments" class="comments-area"><parley-comments article="de-9">
${fragment}
${form}
</parley-comments></div>
<script src="${session.url()}/widget.js" async></script>
</body></html>`)
    })
    await t.setSettings({ ...openSettings, allowedOrigins: [host.url] })
    await postComment(t, 'de-9', { name: 'Ana', body: 'Seite eins.' })
    await postComment(t, 'de-9', { name: 'Ben', body: 'Seite zwei.' })
    const page = await open(`${host.url}/beitrag`)
    await page.locator('.parley-actions').first().waitFor()
    await page.getByRole('button', { name: 'Neuere Kommentare' }).click()
    await page.locator('#comment-2 .comment-content', { hasText: 'Seite zwei.' }).waitFor()
    expect(await page.locator('#comment-2 .says').textContent()).toBe('sagt:')
    await announced(page, '1 weiterer Kommentar geladen.')
  })
})

describe('right to left', () => {
  it("lays a comment's header out from the right on a dir=rtl page", async () => {
    const host = await site({ lang: 'he', dir: 'rtl', article: 'rtl-1' })
    await postComment(t, 'rtl-1', { name: 'Dana', body: 'שלום' })
    const page = await open(`${host.url}/article`)
    await heading(page, '1 Comment').waitFor()
    const [avatar, name, section] = await Promise.all([
      page.locator('.comment-meta .avatar').first().boundingBox(),
      page.locator('.comment-meta .fn').first().boundingBox(),
      page.locator('parley-comments section.parley').boundingBox(),
    ])
    // The avatar first, from the right: right of the name, at the section's right edge.
    expect(avatar!.x).toBeGreaterThan(name!.x)
    expect(Math.abs(avatar!.x + avatar!.width - (section!.x + section!.width))).toBeLessThan(40)
    // The form's fields start from the right too.
    const comment = await field(page, 'Comment').boundingBox()
    expect(Math.abs(comment!.x + comment!.width - (section!.x + section!.width))).toBeLessThan(40)
  })
})
