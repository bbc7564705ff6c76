/**
 * Every text of Parley's emails, in one catalog (issue 20 adds languages). The moderators' emails
 * follow WordPress's own (wp_notify_moderator, wp_notify_postauthor), so a site's moderators
 * recognise them.
 */
export const mailTexts = {
  untitled: 'an article',
  subject: {
    confirm: 'Confirm your email address for comment notifications',
    thread: (title: string, count: number) => (count === 1 ? `New comment on “${title}”` : `${count} new comments on “${title}”`),
    approved: (title: string) => `Your comment on “${title}” was approved`,
    held: (title: string) => `Please moderate: “${title}”`,
    reported: (title: string) => `Reported comment: “${title}”`,
    new: (title: string) => `Comment: “${title}”`,
    digest: (count: number) => (count === 1 ? '1 comment needs your attention' : `${count} comments need your attention`),
  },
  confirm: {
    intro: 'Someone, probably you, asked to be emailed at this address about:',
    thread: (title: string) => `new comments on “${title}”`,
    approval: (title: string) => `the approval of a comment on “${title}”`,
    action: 'Confirm your email address',
    ignore:
      'If it was not you, ignore this email: none of this is sent unless the button is pressed. To get no such email again, stop all comment emails below.',
  },
  thread: {
    intro: (title: string, count: number) => (count === 1 ? `A new comment on “${title}”:` : `${count} new comments on “${title}”:`),
    wrote: (name: string) => `${name} wrote:`,
    view: 'View the comment',
  },
  approved: {
    intro: (title: string) => `Your comment on “${title}” has been approved and is now published.`,
  },
  moderator: {
    held: (title: string) => `A new comment on “${title}” is waiting for your approval`,
    reported: (title: string) => `A comment on “${title}” was reported by a reader`,
    new: (title: string) => `New comment on “${title}”`,
    digest: (count: number) => (count === 1 ? 'This comment waits for you:' : `These ${count} comments wait for you:`),
    author: 'Author',
    email: 'Email',
    url: 'URL',
    comment: 'Comment',
    status: 'Status',
    checks: 'Spam checks',
    noChecks: 'none ran',
    reports: 'Reports',
    actions: { approve: 'Approve it', spam: 'Spam it', trash: 'Trash it' },
    details: 'Open in the dashboard',
    queue: 'Open the moderation queue',
    prefs: 'You get these emails because of your notification settings:',
  },
  unsubscribe: {
    thread: 'Stop emails about this article',
    all: 'Stop all comment emails',
  },
} as const
