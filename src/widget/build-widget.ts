import { build, transform, type Plugin } from 'esbuild'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { SETTINGS_PLACEHOLDERS } from './widget-settings.js'
import { WIDGET_CATALOGS } from './widget-catalogs.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ENTRY = 'src/widget/client/main.js'
const BANNER = '/*! Parley comments widget. Embed: <script src="…/widget.js" data-article="KEY" async></script> */'

/** A stylesheet imported by the widget's code is its minified text (it is adopted by a shadow root, not linked). */
const cssAsText: Plugin = {
  name: 'css-as-text',
  setup(builder) {
    builder.onLoad({ filter: /\.css$/ }, async ({ path }) => {
      const { code } = await transform(await readFile(path, 'utf8'), { loader: 'css', minify: true })
      return { contents: code.trim(), loader: 'text' }
    })
  },
}

/**
 * /widget.js as the server fills it in: src/widget/client bundled into one ES2017 script (not
 * minified, so that what publishers load stays readable), with the settings lines `servedWidget`
 * replaces. Written to src/static by `npm run build:widget`.
 */
export async function buildWidget(): Promise<string> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    target: 'es2017',
    charset: 'utf8',
    banner: { js: BANNER },
    plugins: [cssAsText],
    write: false,
    logLevel: 'silent',
  })
  const [output] = result.outputFiles
  if (!output) throw new Error(`esbuild wrote nothing for ${ENTRY}`)
  // Renamed or reformatted, a line would be served without this deployment's setting.
  for (const placeholder of Object.values(SETTINGS_PLACEHOLDERS)) {
    if (output.text.split(placeholder).length !== 2) {
      throw new Error(`The built widget must hold \`${placeholder}\` exactly once (src/widget/client/settings.js)`)
    }
  }
  return output.text
}

/** Each of those scripts, built as /widget.js is (readable ES2017), by its path. */
export async function buildWidgetCatalogs(): Promise<Record<`/widget-${(typeof WIDGET_CATALOGS)[number]}.js`, string>> {
  const built = await Promise.all(
    WIDGET_CATALOGS.map(async (lang) => {
      const result = await build({
        absWorkingDir: ROOT,
        entryPoints: [`src/widget/client/catalogs/${lang}.js`],
        bundle: true,
        format: 'iife',
        target: 'es2017',
        charset: 'utf8',
        write: false,
        logLevel: 'silent',
      })
      const [output] = result.outputFiles
      if (!output) throw new Error(`esbuild wrote nothing for the ${lang} catalog`)
      return [`/widget-${lang}.js`, output.text] as const
    }),
  )
  return Object.fromEntries(built) as Record<`/widget-${(typeof WIDGET_CATALOGS)[number]}.js`, string>
}
