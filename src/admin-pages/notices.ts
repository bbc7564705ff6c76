import type { CommentStatus } from '../db/schema.js'

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many.replace('#', String(n)))

const statusWords: Record<CommentStatus, string> = {
  approved: 'approved',
  pending: 'held for moderation',
  spam: 'marked as spam',
  trash: 'moved to the trash',
}

const fixed: Record<string, string> = {
  edited: 'Comment saved.',
  replied: 'Reply published.',
  deleted: 'Comment deleted permanently.',
  opened: 'Comments are open on that article.',
  closed: 'Comments are closed on that article.',
  settings: 'Settings saved.',
  notifications: 'Notification settings saved.',
  'moderator-added': 'Moderator added.',
  'moderator-saved': 'Moderator saved.',
  unchanged: 'Nothing changed.',
  kept: 'Reports dismissed: the comment stays as it is.',
  banned: 'Commenter banned.',
  trusted: 'Commenter trusted: their comments skip moderation.',
  'rule-removed': 'Ban or trust removed.',
  'held-all': 'Every comment on that article now waits for a moderator.',
  'by-rules': "Comments on that article follow the site's rules again.",
  'note-added': 'Note added.',
  'note-removed': 'Note removed.',
  featured: "Comment featured: readers see it as an editor's pick.",
  unfeatured: 'Comment no longer featured.',
}

/**
 * The message for `?done=…&n=…` after a form POST redirected back (POST-redirect-GET). Only these
 * known codes are shown, so a crafted link cannot put words on the page.
 */
export function noticeFor(done: string | undefined, count: string | undefined): string | undefined {
  if (!done) return undefined
  // Own keys only: `constructor` and its like are on every object.
  if (Object.hasOwn(statusWords, done)) {
    const n = count && /^\d{1,4}$/.test(count) ? Number(count) : 1
    if (n === 0) return 'Nothing changed.'
    return `${plural(n, 'Comment', '# comments')} ${statusWords[done as CommentStatus]}.`
  }
  if (done === 'undone') {
    const n = count && /^\d{1,4}$/.test(count) ? Number(count) : 0
    return n === 0
      ? 'Nothing to undo: those comments were changed since.'
      : `Undone: ${plural(n, 'the comment is', '# comments are')} back where ${n === 1 ? 'it was' : 'they were'}.`
  }
  return Object.hasOwn(fixed, done) ? fixed[done] : undefined
}
