/** Which claims of the site's token carry what (setting `identityClaims`); `sub` is always the subject. */
export interface ClaimMap {
  name: string
  email: string
  avatar: string
  /** The claim that marks a subscriber (`commentPolicy: subscribers`). */
  entitlement: string
  /** The value of `entitlement` that marks one (also in a list, or a space-separated scope); null: any true value. */
  entitlementValue: string | null
}

export const defaultClaimMap: ClaimMap = {
  name: 'name',
  email: 'email',
  avatar: 'picture',
  entitlement: 'subscriber',
  entitlementValue: null,
}

/** A reader signed in with the site, as its token says. */
export interface Identity {
  /** The site's id of the account (`sub`): what links the reader's comments. */
  subject: string
  name: string | null
  email: string | null
  /** An https URL, or none. */
  avatarUrl: string | null
  subscriber: boolean
}

const MAX_NAME = 245
const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]{1,253}$/

function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null
  const trimmed = value.trim()
  return trimmed === '' ? null : Array.from(trimmed).slice(0, max).join('')
}

function httpsUrl(value: unknown): string | null {
  const raw = text(value, 2000)
  if (!raw) return null
  try {
    const url = new URL(raw)
    return url.protocol === 'https:' && !url.username && !url.password ? url.href : null
  } catch {
    return null
  }
}

function entitled(value: unknown, wanted: string | null): boolean {
  if (wanted === null) return value === true || value === 'true' || value === 1 || (Array.isArray(value) && value.length > 0)
  if (value === wanted) return true
  if (Array.isArray(value)) return value.includes(wanted)
  return typeof value === 'string' && value.split(/\s+/).includes(wanted)
}

/** The reader as the verified claims describe them, each claim checked for what it may be. */
export function identityFrom(claims: Record<string, unknown>, map: ClaimMap): Identity | null {
  const subject = typeof claims.sub === 'string' ? claims.sub : null
  if (!subject || subject.length > 255) return null
  const email = text(claims[map.email], 254)
  return {
    subject,
    name: text(claims[map.name], MAX_NAME),
    email: email && EMAIL.test(email) ? email : null,
    avatarUrl: httpsUrl(claims[map.avatar]),
    subscriber: entitled(claims[map.entitlement], map.entitlementValue),
  }
}
