import { widgetStyle } from './widget-style.js'
import { widgetCore } from './widget-core.js'
import { widgetThread } from './widget-thread.js'
import { widgetActions } from './widget-actions.js'
import { widgetForm } from './widget-form.js'
import { widgetMain } from './widget-main.js'
import { SETTINGS_PLACEHOLDER } from './widget-settings.js'

/**
 * The whole script, as src/static/widget.js holds it: the five parts in one function scope, the
 * stylesheet as data, and the settings line that the served copy fills in (`servedWidget`).
 */
export function widgetScript(): string {
  return `/*! Parley comments widget. Embed: <script src="…/widget.js" data-article="KEY" async></script> */
(function () {
'use strict';
var CSS = ${JSON.stringify(widgetStyle.replace(/\n/g, ''))};
${SETTINGS_PLACEHOLDER}
${widgetCore}${widgetThread}${widgetActions}${widgetForm}${widgetMain}})();
`
}
