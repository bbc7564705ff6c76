import * as z from 'zod/mini'
import { LANGUAGES } from '../i18n/languages.js'
import { DOCS } from '../docs-flag.js'
import '../zod-issues.js'

import { asOrigin, originProblem } from './site-origin.js'
import { COMMENT_POLICIES } from './comment-policy.js'

/** The longest flood wait there is: flood marks older than this decide nothing. */
export const MAX_FLOOD_SECONDS = 86_400

/** The site's own filter service (API.md, Webhooks): its signing secret is kept apart, sealed. */
export const filterWebhookSchema = z.strictObject({
  url: z.string().check(z.maxLength(2000)),
  timeoutMs: z.optional(z.int().check(z.minimum(100), z.maximum(30_000))),
  includeEmail: z.optional(z.boolean()),
})

/** PostgreSQL's text and jsonb cannot hold NUL: refused as a field error, never a 500. */
const noNul = () => z.regex(/^[^\u0000]*$/, 'must not contain a NUL character')

const claimName = z.string().check(z.minLength(1), z.maxLength(200), noNul())

/** Which claims of the site's identity token carry what (`sub` is always the account). */
export const identityClaimsSchema = z.strictObject({
  name: claimName,
  email: claimName,
  avatar: claimName,
  entitlement: claimName.check(z.describe(DOCS ? 'The claim that marks a subscriber.' : '')),
  entitlementValue: z
    .nullable(z.string().check(z.minLength(1), z.maxLength(200), noNul()))
    .check(
      z.describe(DOCS ? 'The value of `entitlement` that marks one (in a list or a space-separated scope too); null: any true value.' : ''),
    ),
})

const originWords =
  'An origin as browsers send it, such as https://news.example; a root address (https://News.example/) is stored as its origin'

function originCheck(value: string, ctx: z.core.$RefinementCtx<string>): void {
  const problem = originProblem(value)
  if (problem !== null) ctx.addIssue({ code: 'invalid_format', format: 'origin', message: problem, input: value })
}

const fields = {
  siteName: z.string().check(
    z.maxLength(200),
    // Well-formed (a lone surrogate cannot be stored as JSON) and on one line (it heads a subject).
    z.overwrite((name) =>
      name
        .toWellFormed()
        .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
        .trim(),
    ),
    z.describe(DOCS ? "The site's name, as emails name it (WordPress's Site Title): `[Site] Please moderate: …`. Empty: none." : ''),
  ),
  requireNameEmail: z.boolean(),
  moderation: z.enum(['rules', 'all']),
  previouslyApproved: z.boolean(),
  maxLinks: z.int().check(z.minimum(0), z.maximum(1000)),
  moderationKeys: z.array(z.string().check(z.maxLength(500), noNul())).check(z.maxLength(10_000)),
  disallowedKeys: z.array(z.string().check(z.maxLength(500), noNul())).check(z.maxLength(10_000)),
  threadDepth: z.int().check(z.minimum(2), z.maximum(10)),
  editWindowSeconds: z.int().check(z.minimum(0), z.maximum(31_536_000)),
  floodSeconds: z.int().check(z.minimum(0), z.maximum(MAX_FLOOD_SECONDS)),
  closeAfterDays: z.nullable(z.int().check(z.minimum(1), z.maximum(36_500))),
  allowedOrigins: z
    .array(z.string().check(z.maxLength(2000), z.overwrite(asOrigin), z.superRefine(originCheck), z.describe(originWords)))
    .check(z.maxLength(100)),
  registerArticles: z.boolean(),
  ipRetentionDays: z.int().check(z.minimum(0), z.maximum(3650)),
  purgeAfterDays: z.int().check(z.minimum(0), z.maximum(3650)),
  filterWebhook: z.nullable(filterWebhookSchema),
  commentPolicy: z
    .enum(COMMENT_POLICIES)
    .check(
      z.describe(
        DOCS
          ? "Who may comment: `anyone` (guests too), `signed-in` (readers with the site's identity token), `subscribers` (signed in, with the entitlement claim). An article's own policy overrides it."
          : '',
      ),
    ),
  loginUrl: z.nullable(
    z
      .string()
      .check(
        z.maxLength(2000),
        z.url({ protocol: /^https?$/ }),
        z.describe(
          DOCS ? 'The site\'s login page, where "Log in to comment" leads (the widget adds `redirect_to` with the article\'s URL).' : '',
        ),
      ),
  ),
  identityClaims: identityClaimsSchema,
  bannedComments: z
    .enum(['refuse', 'spam'])
    .check(
      z.describe(
        DOCS
          ? "What becomes of a banned commenter's comment: `refuse` (403 `commenter_banned`, with a message) or `spam` (taken, and silently put with the spam)."
          : '',
      ),
    ),
  language: z
    .enum(LANGUAGES)
    .check(
      z.describe(
        DOCS
          ? "The readers' language where the page does not say (`en`, `de`, `es`): the emails, the plain form's pages without `Accept-Language`, the thread fragment without `lang`. The widget follows the page's `lang`."
          : '',
      ),
    ),
  votes: z
    .boolean()
    .check(
      z.describe(
        DOCS
          ? 'Readers may upvote approved comments (one vote per reader), threads show the counts and can be read `order=top`. Off: no counts, no vote buttons, votes refused (`votes_off`); the votes already given are kept.'
          : '',
      ),
    ),
}

/** The site's settings (API.md, Settings). */
export const settingsSchema = z.object(fields)
export type Settings = z.infer<typeof settingsSchema>

/** A change to some settings; a key that is not a setting is refused. */
export const settingsPatchSchema = z.partial(z.strictObject(fields))

/** WordPress's Discussion screen defaults. */
export const defaultSettings: Settings = {
  siteName: '',
  requireNameEmail: true,
  moderation: 'rules',
  previouslyApproved: true,
  maxLinks: 2,
  moderationKeys: [],
  disallowedKeys: [],
  threadDepth: 5,
  editWindowSeconds: 900,
  floodSeconds: 15,
  closeAfterDays: null,
  allowedOrigins: [],
  registerArticles: true,
  ipRetentionDays: 30,
  purgeAfterDays: 30,
  filterWebhook: null,
  commentPolicy: 'anyone',
  loginUrl: null,
  identityClaims: { name: 'name', email: 'email', avatar: 'picture', entitlement: 'subscriber', entitlementValue: null },
  bannedComments: 'refuse',
  language: 'en',
  votes: true,
}

/** Stored overrides merged over the defaults; a stored value that no longer validates falls back to its default. */
export function resolveSettings(stored: Record<string, unknown>): Settings {
  const merged: Record<string, unknown> = { ...defaultSettings }
  for (const [key, value] of Object.entries(stored)) {
    const field = settingsSchema.shape[key as keyof Settings]
    if (field && field.safeParse(value).success) merged[key] = value
  }
  return settingsSchema.parse(merged)
}
