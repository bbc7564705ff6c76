import { deData } from './de.js'
import { esData } from './es.js'
import { registerTexts } from './texts.js'
import type { CatalogData } from './catalog-data.js'
import type { Texts } from './en.js'
import type { Language } from './languages.js'

/** Every catalog but English, as data: what the Worker's static assets hold (/i18n/LANG.json). */
export const catalogData: Record<Exclude<Language, 'en'>, CatalogData<Texts>> = { de: deData, es: esData }

/** Registers them all (the Node entry, the tools and the tests: their code is at hand). */
export function registerAllLanguages(): void {
  for (const [language, data] of Object.entries(catalogData)) registerTexts(language as Exclude<Language, 'en'>, data)
}
