/** Who may comment (setting `commentPolicy`, an article's own over it). */
export const COMMENT_POLICIES = ['anyone', 'signed-in', 'subscribers'] as const
export type CommentPolicy = (typeof COMMENT_POLICIES)[number]

export const isPolicy = (value: unknown): value is CommentPolicy => COMMENT_POLICIES.includes(value as CommentPolicy)
