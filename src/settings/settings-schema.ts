import { z } from 'zod'

const originPattern = /^https?:\/\/[^/?#\s]+$/

/** The site's settings; defaults follow WordPress's Discussion screen (API.md, Settings). */
export const settingsSchema = z.object({
  requireNameEmail: z.boolean().default(true),
  moderation: z.enum(['rules', 'all']).default('rules'),
  previouslyApproved: z.boolean().default(true),
  maxLinks: z.number().int().min(0).max(1000).default(2),
  moderationKeys: z.array(z.string().max(500)).max(10_000).default([]),
  disallowedKeys: z.array(z.string().max(500)).max(10_000).default([]),
  threadDepth: z.number().int().min(2).max(10).default(5),
  editWindowSeconds: z.number().int().min(0).max(31_536_000).default(900),
  floodSeconds: z.number().int().min(0).max(86_400).default(15),
  closeAfterDays: z.number().int().min(1).max(36_500).nullable().default(null),
  allowedOrigins: z.array(z.string().regex(originPattern, 'an origin such as https://news.example')).max(100).default([]),
  registerArticles: z.boolean().default(true),
  ipRetentionDays: z.number().int().min(0).max(3650).default(30),
})

export type Settings = z.infer<typeof settingsSchema>

export const defaultSettings: Settings = settingsSchema.parse({})

/** Stored overrides merged over the defaults; a stored value that no longer validates falls back to its default. */
export function resolveSettings(stored: Record<string, unknown>): Settings {
  const parsed = settingsSchema.safeParse(stored)
  if (parsed.success) return parsed.data
  const merged: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(stored)) {
    const field = settingsSchema.shape[key as keyof Settings]
    if (field && field.safeParse(value).success) merged[key] = value
  }
  return settingsSchema.parse(merged)
}
