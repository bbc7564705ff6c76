/**
 * The stand-in for Resend's API that test-workers/global-setup.ts runs in Node, on 127.0.0.1, for
 * the mail transport's test inside workerd: its URL reaches the tests through vitest's provide/inject.
 *
 * POST /emails         200 with an id, as Resend takes a message
 * POST /status/NNN     NNN with Resend's error body, its message quoting the recipient
 * POST /silent         never answered
 * GET  /received       the POSTs so far, as {@link ReceivedMail}
 */
export interface ReceivedMail {
  path: string
  headers: Record<string, string>
  body: string
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The stand-in's origin, e.g. http://127.0.0.1:40123. */
    mailApiUrl: string
  }
}
