/**
 * Avatars are a colour, not an image (API.md): both the widget and the plain page draw a
 * coloured initial, the colour given by the comment's `avatar` (0 to 7, three keyed bits of the
 * commenter's address). Classes, not style attributes,
 * so that a strict `style-src` never has to allow inline styles.
 */
export const avatarColors = ['#2271b1', '#8a2424', '#1e7a4b', '#7a4a9e', '#a35400', '#0f6d7a', '#6b5b2e', '#b0316b'] as const

/** The palette as `.av0 … .av7` rules. */
export const avatarCss = avatarColors.map((color, i) => `.av${i}{background:${color}}`).join('')

/** The palette index for an avatar, or 0 for a commenter without one (or a value from elsewhere). */
export function avatarIndex(avatar: number | null): number {
  return avatar !== null && Number.isInteger(avatar) && avatar >= 0 && avatar < avatarColors.length ? avatar : 0
}
