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
