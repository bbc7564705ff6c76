import type { FieldError } from '../errors.js'
import type { Settings } from '../settings/settings-schema.js'

type SimpleKey = Exclude<keyof Settings, 'filterWebhook' | 'identityClaims'>

/** One setting on the form: how it is typed in, and WordPress's words for it where it has some. */
export interface SettingField {
  key: SimpleKey
  kind: 'boolean' | 'integer' | 'integer-or-empty' | 'lines' | 'choice' | 'text' | 'text-or-empty'
  label: string
  help?: string
  choices?: { value: string; label: string }[]
}

export const SETTING_GROUPS: { legend: string; fields: SettingField[] }[] = [
  {
    legend: 'The site',
    fields: [{ key: 'siteName', kind: 'text', label: 'Site name', help: 'How notification emails name the site. Empty: none.' }],
  },
  {
    legend: 'Before a comment appears',
    fields: [
      {
        key: 'moderation',
        kind: 'choice',
        label: 'Hold comments for moderation',
        choices: [
          { value: 'rules', label: 'When the rules below say so' },
          { value: 'all', label: 'Always: every comment must be approved by hand' },
        ],
      },
      { key: 'previouslyApproved', kind: 'boolean', label: 'Comment author must have a previously approved comment' },
      { key: 'requireNameEmail', kind: 'boolean', label: 'Comment author must fill out name and email' },
      { key: 'maxLinks', kind: 'integer', label: 'Hold a comment with this many links or more' },
      {
        key: 'moderationKeys',
        kind: 'lines',
        label: 'Comment moderation words',
        help: 'Hold a comment that contains any of these in its text, name, URL, email, IP or user agent. One per line.',
      },
      {
        key: 'disallowedKeys',
        kind: 'lines',
        label: 'Disallowed comment keys',
        help: 'The same, but the comment goes to spam. One per line.',
      },
      {
        key: 'bannedComments',
        kind: 'choice',
        label: "A banned commenter's comment",
        help: 'Bans are made from a comment or on the Bans page.',
        choices: [
          { value: 'refuse', label: 'Refused, with "You cannot comment on this site."' },
          { value: 'spam', label: 'Taken, and silently put with the spam' },
        ],
      },
    ],
  },
  {
    legend: 'Threads and articles',
    fields: [
      { key: 'threadDepth', kind: 'integer', label: 'Threaded comments, levels deep', help: '2 to 10.' },
      { key: 'closeAfterDays', kind: 'integer-or-empty', label: 'Close comments on articles older than (days)', help: 'Empty: never.' },
      { key: 'registerArticles', kind: 'boolean', label: 'Register an unknown article with its first comment' },
      {
        key: 'language',
        kind: 'choice',
        label: "Readers' language",
        help: "Emails, the plain form's pages and the server-rendered thread, where the reader's browser or page does not say. The widget follows the page's lang.",
        choices: [
          { value: 'en', label: 'English' },
          { value: 'de', label: 'Deutsch' },
          { value: 'es', label: 'Español' },
        ],
      },
      {
        key: 'votes',
        kind: 'boolean',
        label: 'Readers may upvote comments',
        help: 'Off: no counts and no vote buttons; votes given are kept.',
      },
      {
        key: 'allowedOrigins',
        kind: 'lines',
        label: 'Sites that embed the comments',
        help: 'Origins such as https://news.example, one per line.',
      },
    ],
  },
  {
    legend: 'Readers signed in with the site',
    fields: [
      {
        key: 'commentPolicy',
        kind: 'choice',
        label: 'Who may comment',
        help: "Signed-in readers post with the site's identity token (PARLEY_SSO_SECRET or PARLEY_SSO_JWKS_URL). An article can say otherwise.",
        choices: [
          { value: 'anyone', label: 'Anyone: guests and signed-in readers' },
          { value: 'signed-in', label: 'Users must be registered and logged in to comment' },
          { value: 'subscribers', label: 'Subscribers only' },
        ],
      },
      { key: 'loginUrl', kind: 'text-or-empty', label: 'Login page', help: 'Where "Log in to comment" leads. Empty: no link.' },
    ],
  },
  {
    legend: 'Limits and retention',
    fields: [
      { key: 'editWindowSeconds', kind: 'integer', label: 'Authors may edit or withdraw a comment for (seconds)' },
      { key: 'floodSeconds', kind: 'integer', label: 'Seconds between two comments from one person', help: '0 turns flood control off.' },
      { key: 'ipRetentionDays', kind: 'integer', label: 'Forget IP addresses and user agents after (days)', help: '0: keep them.' },
      { key: 'purgeAfterDays', kind: 'integer', label: 'Delete spam and trash after (days)', help: '0: keep them.' },
    ],
  },
]

const allFields = SETTING_GROUPS.flatMap((group) => group.fields)

/** The form's typed-in fields and its boxes, by input name: what a refused form shows back. */
export const TEXT_INPUTS = [
  ...allFields.filter((f) => f.kind !== 'boolean').map((f) => f.key),
  'filterWebhook.url',
  'filterWebhook.timeoutMs',
]
export const BOX_INPUTS = [...allFields.filter((f) => f.kind === 'boolean').map((f) => f.key), 'filterWebhook.includeEmail']

/** How a setting's current value is written into its input. */
export function formValue(field: SettingField, settings: Settings): string {
  const value = settings[field.key]
  if (Array.isArray(value)) return value.join('\n')
  return value === null ? '' : String(value)
}

const wholeNumber = /^-?\d{1,12}$/

/**
 * The posted form as a settings change (every field of the form, so an unticked box is false),
 * still to be checked against `settingsPatchSchema`; text that is no number is an error here.
 */
export function readSettingsForm(text: (name: string) => string | undefined): { patch: Record<string, unknown>; errors: FieldError[] } {
  const patch: Record<string, unknown> = {}
  const errors: FieldError[] = []
  const number = (key: string, raw: string): number | undefined => {
    if (wholeNumber.test(raw)) return Number(raw)
    errors.push({ field: key, code: 'invalid_type', message: 'Please enter a whole number.' })
    return undefined
  }
  for (const field of allFields) {
    // A field the posted form does not have (a page from before it existed) is left as it is; an unticked box is sent as nothing.
    if (field.kind !== 'boolean' && text(field.key) === undefined) continue
    const raw = (text(field.key) ?? '').trim()
    if (field.kind === 'boolean') patch[field.key] = raw !== ''
    else if (field.kind === 'choice' || field.kind === 'text') patch[field.key] = raw
    else if (field.kind === 'text-or-empty') patch[field.key] = raw === '' ? null : raw
    else if (field.kind === 'lines')
      patch[field.key] = raw
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '')
    else if (field.kind === 'integer-or-empty' && raw === '') patch[field.key] = null
    else {
      const value = number(field.key, raw)
      if (value !== undefined) patch[field.key] = value
    }
  }
  const hookUrl = (text('filterWebhook.url') ?? '').trim()
  if (hookUrl === '') patch.filterWebhook = null
  else {
    const timeout = (text('filterWebhook.timeoutMs') ?? '').trim()
    const timeoutMs = timeout === '' ? undefined : number('filterWebhook.timeoutMs', timeout)
    patch.filterWebhook = {
      url: hookUrl,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      includeEmail: (text('filterWebhook.includeEmail') ?? '') !== '',
    }
  }
  return { patch, errors }
}
