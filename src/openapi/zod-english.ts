import * as z from 'zod/mini'
import en from 'zod/v4/locales/en.js'

// zod/mini ships without messages (classic zod loads these itself); API.md's field errors quote
// them. Imported for this effect by every module that defines schemas. The one locale, not
// `z.locales`, whose namespace would bring all of them into the Worker's bundle.
z.config(en())
