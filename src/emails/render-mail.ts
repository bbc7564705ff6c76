import { html, joinHtml, safeHref, trusted, type SafeHtml } from '../pages/html.js'
import type { MailArticle, MailComment, MailContent, MailSite, ModeratedComment, RenderedMail } from '../notifications/mail-content.js'
import { MAIL_ACTIONS } from '../notifications/mail-links.js'
import { textsFor, type Texts } from '../i18n/texts.js'

type T = Texts['mail']

/** The article as a reader knows it: its title, else its URL, else its key (all a moderator then has to go by). */
const titleOf = (t: T, article: MailArticle): string => article.title || article.url || article.key || t.untitled

/** The shell every email shares: one column, inline styles (mail clients drop style sheets), a footer. */
function page(body: SafeHtml, footer: SafeHtml, site: MailSite): string {
  return html`<!doctype html>
<html lang="${site.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>
<body style="margin:0;padding:16px;background:#f6f7f7;font:15px/1.5 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif;color:#1d2327">
<div style="max-width:600px;margin:0 auto;background:#fff;padding:20px;border:1px solid #dcdcde">${body}</div>
<div style="max-width:600px;margin:12px auto;color:#646970;font-size:13px">${site.name ? html`<p style="margin:0 0 6px">${site.name}</p>` : ''}${footer}</div>
</body></html>`.markup
}

const button = (href: string, label: string, colour = '#2271b1') =>
  html`<a href="${safeHref(href)}" style="display:inline-block;margin:4px 8px 4px 0;padding:8px 14px;background:${colour};color:#fff;text-decoration:none;border-radius:3px">${label}</a>`

const link = (href: string, label: string) => html`<a href="${safeHref(href)}" style="color:#2271b1">${label}</a>`

function articleLink(t: T, article: MailArticle): SafeHtml {
  return article.url ? link(article.url, titleOf(t, article)) : html`${titleOf(t, article)}`
}

function quote(t: T, comment: MailComment): SafeHtml {
  return html`<div style="margin:12px 0;padding:8px 12px;border-left:3px solid #dcdcde">
<p style="margin:0 0 6px"><strong>${t.thread.wrote(comment.authorName)}</strong></p>
<div>${trusted(comment.html)}</div>
${comment.link ? html`<p style="margin:6px 0 0;font-size:13px">${link(comment.link, t.thread.view)}</p>` : ''}
</div>`
}

const textQuote = (t: T, comment: MailComment): string =>
  [t.thread.wrote(comment.authorName), comment.body, comment.link ? `${t.thread.view}: ${comment.link}` : ''].filter(Boolean).join('\n')

function readerFooter(t: T, content: { unsubscribeThread?: string; unsubscribeAll: string }): { html: SafeHtml; text: string } {
  return {
    html: joinHtml(
      [
        content.unsubscribeThread ? link(content.unsubscribeThread, t.unsubscribe.thread) : null,
        link(content.unsubscribeAll, t.unsubscribe.all),
      ].filter((part) => part !== null),
      ' · ',
    ),
    text: [
      content.unsubscribeThread ? `${t.unsubscribe.thread}: ${content.unsubscribeThread}` : '',
      `${t.unsubscribe.all}: ${content.unsubscribeAll}`,
    ]
      .filter(Boolean)
      .join('\n'),
  }
}

function checksText(t: T, comment: ModeratedComment): string {
  if (comment.checks.length === 0) return t.moderator.noChecks
  return comment.checks.map((check) => `${check.filter}: ${check.verdict} (${check.reason})`).join('; ')
}

/** Readers' reports, each reason in words (a reason Parley does not know, as given) and its note. */
function reportsText(t: T, comment: ModeratedComment): string {
  const words = (reason: string) =>
    Object.hasOwn(t.moderator.reasons, reason) ? t.moderator.reasons[reason as keyof T['moderator']['reasons']] : reason
  return comment.reports.map((r) => (r.note ? `${words(r.reason)}: ${r.note}` : words(r.reason))).join('; ')
}

function moderatedHtml(t: T, comment: ModeratedComment): SafeHtml {
  return html`<p style="margin:0 0 4px">${articleLink(t, comment.article)}</p>
<table style="border-collapse:collapse;font-size:14px">
<tr><td style="padding:2px 12px 2px 0;color:#646970">${t.moderator.author}</td><td>${comment.authorName}</td></tr>
${comment.authorEmail ? html`<tr><td style="padding:2px 12px 2px 0;color:#646970">${t.moderator.email}</td><td>${comment.authorEmail}</td></tr>` : ''}
${comment.authorUrl ? html`<tr><td style="padding:2px 12px 2px 0;color:#646970">${t.moderator.url}</td><td>${comment.authorUrl}</td></tr>` : ''}
<tr><td style="padding:2px 12px 2px 0;color:#646970">${t.moderator.status}</td><td>${t.moderator.statuses[comment.status]}</td></tr>
<tr><td style="padding:2px 12px 2px 0;color:#646970">${t.moderator.checks}</td><td>${checksText(t, comment)}</td></tr>
${comment.reports.length > 0 ? html`<tr><td style="padding:2px 12px 2px 0;color:#646970">${t.moderator.reports}</td><td>${reportsText(t, comment)}</td></tr>` : ''}
</table>
<div style="margin:12px 0;padding:8px 12px;border-left:3px solid #dcdcde">${trusted(comment.html)}</div>
<p>${button(comment.actions.approve, t.moderator.actions.approve, '#008a20')}${button(comment.actions.spam, t.moderator.actions.spam, '#b32d2e')}${button(comment.actions.trash, t.moderator.actions.trash, '#646970')}</p>
<p style="font-size:13px">${link(comment.details, t.moderator.details)}</p>`
}

function moderatedText(t: T, comment: ModeratedComment): string {
  return [
    `${titleOf(t, comment.article)}${comment.article.url ? `\n${comment.article.url}` : ''}`,
    `${t.moderator.author}: ${comment.authorName}`,
    comment.authorEmail ? `${t.moderator.email}: ${comment.authorEmail}` : '',
    comment.authorUrl ? `${t.moderator.url}: ${comment.authorUrl}` : '',
    `${t.moderator.status}: ${t.moderator.statuses[comment.status]}`,
    `${t.moderator.checks}: ${checksText(t, comment)}`,
    comment.reports.length > 0 ? `${t.moderator.reports}: ${reportsText(t, comment)}` : '',
    `${t.moderator.comment}:\n${comment.body}`,
    MAIL_ACTIONS.map((action) => `${t.moderator.actions[action]}: ${comment.actions[action]}`).join('\n'),
    `${t.moderator.details}: ${comment.details}`,
  ]
    .filter(Boolean)
    .join('\n')
}

/**
 * An email's subject, plain text and HTML from its content. Every value goes through the `html`
 * template (escaped), the comments' stored HTML aside, which the sanitizer made when they were
 * posted and the thread serves as it is.
 */
export function renderMail(content: MailContent, site: MailSite): RenderedMail {
  const rendered = renderParts(textsFor(site.language).mail, content)
  // WordPress's subjects start with the site's name in brackets: `[Site] Please moderate: "Title"`.
  const subject = site.name ? `[${site.name}] ${rendered.subject}` : rendered.subject
  return {
    // A subject is one header line: no title or name may start another.
    subject: subject.replace(/[\r\n\t\u2028\u2029]+/g, ' ').trim(),
    text: site.name ? `${rendered.text}\n${site.name}` : rendered.text,
    html: page(rendered.body, rendered.footer, site),
  }
}

/** An email before its shell: its HTML body and footer, the text whole. */
interface Parts {
  subject: string
  text: string
  body: SafeHtml
  footer: SafeHtml
}

const parts = (body: SafeHtml, footer: SafeHtml) => ({ body, footer })

function renderParts(t: T, content: MailContent): Parts {
  switch (content.kind) {
    case 'confirm': {
      const footer = readerFooter(t, content)
      const asked = content.asked.map((a) =>
        a.kind === 'thread' ? t.confirm.thread(titleOf(t, a.article)) : t.confirm.approval(titleOf(t, a.article)),
      )
      return {
        subject: t.subject.confirm,
        text: [
          t.confirm.intro,
          asked.map((a) => `- ${a}`).join('\n'),
          `${t.confirm.action}: ${content.confirmUrl}`,
          t.confirm.ignore,
          '--',
          footer.text,
        ].join('\n\n'),
        ...parts(
          html`<p>${t.confirm.intro}</p><ul>${asked.map((a) => html`<li>${a}</li>`)}</ul><p>${button(content.confirmUrl, t.confirm.action)}</p><p>${t.confirm.ignore}</p>`,
          footer.html,
        ),
      }
    }
    case 'thread':
    case 'approved': {
      const title = titleOf(t, content.article)
      const footer = readerFooter(t, content)
      const intro = content.kind === 'thread' ? t.thread.intro(title, content.comments.length) : t.approved.intro(title)
      return {
        subject: content.kind === 'thread' ? t.subject.thread(title, content.comments.length) : t.subject.approved(title),
        text: [intro, ...content.comments.map((c) => textQuote(t, c)), '--', footer.text].join('\n\n'),
        ...parts(
          html`<p>${content.kind === 'thread' ? intro : t.approved.intro(title)}</p>${content.comments.map((c) => quote(t, c))}`,
          footer.html,
        ),
      }
    }
    case 'held':
    case 'reported':
    case 'new': {
      const title = titleOf(t, content.comment.article)
      const heading = t.moderator[content.kind](title)
      return {
        subject: t.subject[content.kind](title),
        text: [heading, moderatedText(t, content.comment), '--', `${t.moderator.prefs} ${content.prefsUrl}`].join('\n\n'),
        ...parts(
          html`<p><strong>${heading}</strong></p>${moderatedHtml(t, content.comment)}`,
          html`${t.moderator.prefs} ${link(content.prefsUrl, content.prefsUrl)}`,
        ),
      }
    }
    case 'digest': {
      const heading = t.moderator.digest(content.comments.length)
      return {
        subject: t.subject.digest(content.comments.length),
        text: [
          heading,
          ...content.comments.map((c) => moderatedText(t, c)),
          `${t.moderator.queue}: ${content.queueUrl}`,
          '--',
          `${t.moderator.prefs} ${content.prefsUrl}`,
        ].join('\n\n'),
        ...parts(
          html`<p><strong>${heading}</strong></p>${joinHtml(
            content.comments.map((c) => moderatedHtml(t, c)),
            html`<hr style="border:0;border-top:1px solid #dcdcde;margin:20px 0">`,
          )}<p>${link(content.queueUrl, t.moderator.queue)}</p>`,
          html`${t.moderator.prefs} ${link(content.prefsUrl, content.prefsUrl)}`,
        ),
      }
    }
  }
}
