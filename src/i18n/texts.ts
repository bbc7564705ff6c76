import { de } from './de.js'
import { en, type Texts } from './en.js'

export type { Texts }
import { es } from './es.js'
import type { Language } from './languages.js'

const catalogs: Record<Language, Texts> = { en, de, es }

export const textsFor = (language: Language): Texts => catalogs[language]

/** WordPress's English messages by their text: how a refusal's English detail finds its key. */
const wordpressKeys = new Map(Object.entries(en.wordpress).map(([key, text]) => [text, key as keyof Texts['wordpress']]))

/**
 * A message the comment rules gave (their English, as the API answers it) in `language`, where it
 * is one of WordPress's messages; any other stays as it is (the API's own words are English).
 */
export function localizeMessage(message: string, language: Language): string {
  const key = wordpressKeys.get(message)
  return key === undefined ? message : catalogs[language].wordpress[key]
}
