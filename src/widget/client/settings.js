// @ts-check
/** @import { TurnstileSettings } from './types.js' */

// The server fills these lines in as it serves the script (`servedWidget` in
// src/widget/widget-settings.ts looks for each, byte for byte): leave them as they are.

/**
 * This deployment's Turnstile settings.
 * @type {TurnstileSettings}
 */
export const TURNSTILE = null

/**
 * Whether the form offers email notifications: true where the deployment can send mail.
 * @type {boolean}
 */
export const NOTIFY = false
