// @ts-check
/** @import { TurnstileSettings } from './types.js' */

/**
 * This deployment's Turnstile settings. The server fills this line in as it serves the script
 * (`servedWidget` in src/widget/widget-settings.ts looks for it, byte for byte): leave it as it is.
 * @type {TurnstileSettings}
 */
export const TURNSTILE = null
