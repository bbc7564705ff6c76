/** A port of WordPress's is_email(): the same addresses pass and fail as on a WordPress site. */
export function isEmail(email: string): boolean {
  if (email.length < 6) return false
  const at = email.indexOf('@', 1)
  if (at === -1) return false
  const local = email.slice(0, at)
  const domain = email.slice(at + 1)
  if (!/^[a-zA-Z0-9!#$%&'*+/=?^_`{|}~.-]+$/.test(local)) return false
  if (/\.{2,}/.test(domain)) return false
  if (trimChars(domain, ' \t\n\r\0\x0B.') !== domain) return false
  const subs = domain.split('.')
  if (subs.length < 2) return false
  return subs.every((sub) => trimChars(sub, ' \t\n\r\0\x0B-') === sub && /^[a-z0-9-]+$/i.test(sub))
}

function trimChars(value: string, chars: string): string {
  let start = 0
  let end = value.length
  while (start < end && chars.includes(value[start] ?? '')) start++
  while (end > start && chars.includes(value[end - 1] ?? '')) end--
  return value.slice(start, end)
}
