/** The languages whose widget words are a script of their own (/widget-LANG.js, src/widget/client/catalogs); English is in /widget.js. */
export const WIDGET_CATALOGS = ['de', 'es'] as const
