import type { Context } from 'hono'
import { Hono } from '../http/hono-app.js'
import type { AppEnv } from '../app-env.js'
import { COMMENTER_RULE_KINDS, type CommenterRuleKind } from '../db/schema.js'
import { AppError } from '../errors.js'
import { toId } from '../http/row-ids.js'
import { addRule, listRules, removeRule, type NewRule } from '../moderation/commenter-rules.js'
import { localAdminPath, withNotice } from '../admin-pages/admin-urls.js'
import { noticeFor } from '../admin-pages/notices.js'
import { bansPage } from '../admin-pages/bans-page.js'
import { messagePage } from '../admin-pages/layout.js'
import { moderationContext } from './moderation-routes.js'
import { action, page, type PageSession } from './admin-page-guard.js'
import type { PostedForm } from './posted-form.js'

const isKind = (value: string | undefined): value is CommenterRuleKind =>
  value !== undefined && (COMMENTER_RULE_KINDS as readonly string[]).includes(value)

/** A ban or trust as the dashboard's forms post it; undefined when the form is not one. */
export function ruleOfForm(form: PostedForm, now: Date): Omit<NewRule, 'commentId' | 'value'> | undefined {
  const kind = form.text('kind')
  const verb = form.text('action')
  const days = form.text('days') ?? ''
  if (!isKind(kind) || (verb !== 'ban' && verb !== 'trust') || !/^\d{0,4}$/.test(days)) return undefined
  return {
    action: verb,
    kind,
    reason: form.text('reason') ?? null,
    expiresAt: days ? new Date(now.getTime() + Number(days) * 86_400_000) : null,
  }
}

async function showBans(c: Context<AppEnv>, session: PageSession, extra: Partial<Parameters<typeof bansPage>[0]> = {}) {
  const { deps } = c.env
  return bansPage({ session, rules: await listRules(deps.db, deps.secrets), now: deps.clock(), ...extra })
}

/** The Bans page: every ban and trust, removable, and bans by email, address, network or domain. */
export const adminBanPages = new Hono<AppEnv>()
  .get(
    '/bans',
    page('moderator', async (c, session) => {
      const notice = noticeFor(c.req.query('done'), undefined)
      return showBans(c, session, { notice: notice ? { text: notice } : undefined })
    }),
  )
  .post(
    '/bans',
    action('moderator', async (c, session, form) => {
      const ctx = moderationContext(c)
      const rule = ruleOfForm(form, ctx.now)
      if (!rule) return messagePage({ status: 422, title: 'Not a ban', message: 'That form is not one of the Bans page.', session })
      const typed = { kind: form.text('kind') ?? '', value: form.text('value') ?? '', reason: form.text('reason') ?? '' }
      try {
        await addRule(ctx, { ...rule, value: typed.value })
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 422) throw error
        const errors = (error.errors ?? []).map((e) => ({ ...e, field: 'value' }))
        return showBans(c, session, { errors, typed, status: 422, notice: { text: errors[0]?.message ?? error.detail, error: true } })
      }
      return c.redirect(withNotice('/admin/bans', rule.action === 'ban' ? 'banned' : 'trusted'), 303)
    }),
  )
  .post(
    '/bans/:id/remove',
    action('moderator', async (c, _session, form) => {
      const id = toId(c.req.param('id') ?? '')
      if (id === undefined) throw new AppError('not_found', 'There is no such ban or trust.')
      await removeRule(moderationContext(c), id)
      return c.redirect(withNotice(localAdminPath(form.text('back')) ?? '/admin/bans', 'rule-removed'), 303)
    }),
  )
