import { beforeEach, describe, expect, it } from 'vitest'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { mailHarness } from './support/mail-harness.js'
import { negotiateLanguage } from '../src/i18n/languages.js'
import { en } from '../src/i18n/en.js'
import { textsFor } from '../src/i18n/texts.js'

const t = await setupTestApp({ readCache: true })
const inbox = mailHarness(t)
beforeEach(() => t.setSettings(openSettings))

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  t.request('/comment-form', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ comment_post_ID: 'lang-1', ...fields }).toString(),
  })

/** Every key path of a catalog, its texts and functions alike. */
const keysOf = (value: object, prefix = ''): string[] =>
  Object.entries(value).flatMap(([key, inner]) =>
    inner !== null && typeof inner === 'object' ? keysOf(inner as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  )

describe('languages', () => {
  it('ships German and Spanish catalogs with every English key, none left in English where the words differ', () => {
    const [de, es] = [textsFor('de'), textsFor('es')]
    expect(de).not.toBe(en)
    expect(keysOf(de)).toEqual(keysOf(en))
    expect(keysOf(es)).toEqual(keysOf(en))
    const same = (other: object) =>
      keysOf(en).filter((key) => {
        const pick = (root: object) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], root)
        const [a, b] = [pick(en), pick(other)]
        return typeof a === 'string' && a === b && a.length > 6
      })
    // Words the same in both (an address's "URL", a status) are short; a sentence left in English is a missing translation.
    expect(same(de)).toEqual([])
    expect(same(es)).toEqual([])
  })

  it("negotiates Accept-Language by weight, then order, among the languages shipped, else the site's", () => {
    expect(negotiateLanguage('fr-CH, fr;q=0.9, de;q=0.8, en;q=0.7', 'en')).toBe('de')
    expect(negotiateLanguage('es-MX,es;q=0.9', 'en')).toBe('es')
    expect(negotiateLanguage('de;q=0, es;q=0.1', 'en')).toBe('es')
    expect(negotiateLanguage('fr, it', 'de')).toBe('de')
    expect(negotiateLanguage('en;q=0.5, de;q=0.5', 'es')).toBe('en')
    expect(negotiateLanguage(undefined, 'es')).toBe('es')
    expect(negotiateLanguage('de;q=abc, x'.repeat(300), 'en')).toBe('de')
  })

  it("answers the plain form in the reader's language (Accept-Language), else the site's, with WordPress's own words", async () => {
    const german = await form({ comment: 'Ohne Namen' }, { 'Accept-Language': 'de-DE,de;q=0.9,en;q=0.5' })
    expect(german.status).toBe(422)
    const page = await german.text()
    expect(page).toContain('<html lang="de">')
    expect(page).toContain('<title>Fehler beim Absenden des Kommentars</title>')
    expect(page).toContain('<p><strong>Fehler:</strong> Bitte fülle die erforderlichen Felder aus.</p>')

    await t.setSettings({ ...openSettings, language: 'es' })
    const spanish = await (await form({ comment: '' })).text()
    expect(spanish).toContain('<html lang="es">')
    expect(spanish).toContain('Por favor, rellena los campos obligatorios.')
    // The reader's browser wins over the site's language.
    expect(await (await form({ comment: '' }, { 'Accept-Language': 'en-GB' })).text()).toContain('Please fill the required fields.')
  })

  it("gives API clients WordPress's messages in the language they ask for, codes unchanged", async () => {
    const res = await t.postJson('/api/v1/articles/lang-2/comments', { body: 'Hola' }, { 'Accept-Language': 'es' })
    expect(res.status).toBe(422)
    expect(res.headers.get('content-language')).toBe('es')
    const problem = await res.json()
    expect(problem.code).toBe('validation_failed')
    expect(problem.errors.map((e: { message: string }) => e.message)).toContain('Por favor, rellena los campos obligatorios.')
    const english = await (await t.postJson('/api/v1/articles/lang-2/comments', { body: 'Hi' })).json()
    expect(english.errors.map((e: { message: string }) => e.message)).toContain('Please fill the required fields.')
  })

  it("renders the fragment in the page language (lang=), else the site's, kept in the read cache per language", async () => {
    const first = await postComment(t, 'lang-3', { name: 'Ana', body: 'Hallo' })
    await postComment(t, 'lang-3', { name: 'Ben', body: 'Antwort', parentId: first.comment.id })
    const html = async (query: string) => (await t.request(`/api/v1/articles/lang-3/comments.html${query}`)).text()
    const german = await html('?lang=de')
    expect(german).toContain('<span class="says">sagt:</span>')
    expect(german).toContain('aria-label="Antworte auf Ana">Antworten</a>')
    expect(german).toContain('data-parley-lang="de"')
    // The date through Intl, in German (a month's name is the same whatever the day).
    const month = new Intl.DateTimeFormat('de', { month: 'long', timeZone: 'UTC' }).format(t.now())
    expect(german).toContain(month)
    expect(await html('?lang=de_DE')).toBe(german)
    expect(await html('?lang=es')).toContain('<span class="says">dice:</span>')
    // A language Parley does not ship: the site's.
    expect(await html('?lang=fr')).toContain('<span class="says">says:</span>')
    await t.setSettings({ ...openSettings, language: 'es' })
    expect(await html('')).toContain('Responder a Ana')
    expect(await html('?lang=en')).toContain('Reply to Ana')
  })

  it("emails in the site's language and shows emailed links' pages in the reader's", async () => {
    await t.setSettings({ ...openSettings, moderation: 'all', language: 'de', siteName: 'Tagesblatt' })
    const mod = await signIn(t)
    await mod.send('PUT', '/api/v1/moderation/notifications', { held: true, reported: false, every: false, digest: 'off' })
    await t.postJson('/api/v1/articles/lang-4/comments', {
      name: 'Leserin',
      email: 'leserin@example.com',
      body: 'Eine Frage',
      article: { title: 'Brücke' },
    })
    const mails = await inbox.deliver()
    const held = mails.find((m) => m.to[0] === mod.email)
    expect(held?.mail.subject).toBe('[Tagesblatt] Bitte moderieren: „Brücke“')
    expect(held?.mail.text).toContain('Ein neuer Kommentar zu „Brücke“ wartet auf deine Freigabe')
    expect(held?.mail.html).toContain('<html lang="de">')
    const approve = inbox.linkIn(held!, 'Freigeben')
    const page = await t.request(approve, { headers: { 'Accept-Language': 'es' } })
    const text = await page.text()
    expect(text).toContain('<html lang="es">')
    expect(text).toContain('¿Aprobar este comentario?')
  })
})
