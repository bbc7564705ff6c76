// What the widget's build and its host page add to the browser's own types.

/** Stylesheets are imported as their minified text (src/widget/build-widget.ts). */
declare module '*.css' {
  const text: string
  export default text
}

/** Turnstile's api.js, once loaded. */
interface Window {
  turnstile?: import('./types.js').Turnstile
}

/** The widget's API for the page (main.js): `Parley.identity({ token, refresh, logout })`. */
interface Window {
  Parley?: Record<string, unknown>
}

/** The widget's catalogs other than English, each registered by its own script (catalogs/*.js). */
interface Window {
  ParleyCatalogs?: Record<string, import('./messages.js').Catalog>
}
