import * as z from 'zod'

const originPattern = /^https?:\/\/[^/?#\s]+$/

/** The site's own filter service (API.md, Webhooks): its signing secret is kept apart, sealed. */
export const filterWebhookSchema = z
  .object({
    url: z.string().max(2000),
    timeoutMs: z.number().int().min(100).max(30_000).optional(),
    includeEmail: z.boolean().optional(),
  })
  .strict()

const fields = {
  requireNameEmail: z.boolean(),
  moderation: z.enum(['rules', 'all']),
  previouslyApproved: z.boolean(),
  maxLinks: z.number().int().min(0).max(1000),
  moderationKeys: z.array(z.string().max(500)).max(10_000),
  disallowedKeys: z.array(z.string().max(500)).max(10_000),
  threadDepth: z.number().int().min(2).max(10),
  editWindowSeconds: z.number().int().min(0).max(31_536_000),
  floodSeconds: z.number().int().min(0).max(86_400),
  closeAfterDays: z.number().int().min(1).max(36_500).nullable(),
  allowedOrigins: z.array(z.string().regex(originPattern, 'an origin such as https://news.example')).max(100),
  registerArticles: z.boolean(),
  ipRetentionDays: z.number().int().min(0).max(3650),
  purgeAfterDays: z.number().int().min(0).max(3650),
  filterWebhook: filterWebhookSchema.nullable(),
}

/** The site's settings (API.md, Settings). */
export const settingsSchema = z.object(fields)
export type Settings = z.infer<typeof settingsSchema>

/** A change to some settings; a key that is not a setting is refused. */
export const settingsPatchSchema = z.object(fields).partial().strict()

/** WordPress's Discussion screen defaults. */
export const defaultSettings: Settings = {
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
