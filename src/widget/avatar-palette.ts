/**
 * Avatars are a keyed hash, not an image (API.md): both the widget and the plain page draw a
 * coloured initial, the colour picked by the hash's first byte. Classes, not style attributes,
 * so that a strict `style-src` never has to allow inline styles.
 */
export const avatarColors = ['#2271b1', '#8a2424', '#1e7a4b', '#7a4a9e', '#a35400', '#0f6d7a', '#6b5b2e', '#b0316b'] as const

/** The palette as `.av0 … .av7` rules. */
export const avatarCss = avatarColors.map((color, i) => `.av${i}{background:${color}}`).join('')

/** The palette index for an avatar hash (hex), or 0 for a commenter without one. */
export function avatarIndex(avatar: string | null): number {
  return avatar ? parseInt(avatar.slice(0, 2), 16) % avatarColors.length || 0 : 0
}
