import { en, type Texts } from './en.js'
import { hydrate, type CatalogData } from './catalog-data.js'
import type { Language } from './languages.js'

export type { Texts }

/**
 * The catalogs at hand: English always; the others once registered, by the Node entry at start
 * (src/i18n/all-languages.ts) and by the Worker from its static assets (/i18n/LANG.json), so that
 * the Worker's bundle carries no catalog but English. A language not (yet) registered is English.
 */
const catalogs: Partial<Record<Language, Texts>> = { en }

export function registerTexts(language: Language, data: CatalogData<Texts>): void {
  catalogs[language] = hydrate(en, data)
}

export const hasTexts = (language: Language): boolean => catalogs[language] !== undefined

export const textsFor = (language: Language): Texts => catalogs[language] ?? en

/** WordPress's English messages by their text: how a refusal's English detail finds its key. */
const wordpressKeys = new Map(Object.entries(en.wordpress).map(([key, text]) => [text, key as keyof Texts['wordpress']]))

/**
 * A message the comment rules gave (their English, as the API answers it) in `language`, where it
 * is one of WordPress's messages; any other stays as it is (the API's own words are English).
 */
export function localizeMessage(message: string, language: Language): string {
  const key = wordpressKeys.get(message)
  return key === undefined ? message : textsFor(language).wordpress[key]
}
