import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../db/database.js'

/** The mail queue at a glance (the dashboard's notifications page): emails by state, over the 30 days they are kept. */
export interface MailStats {
  queued: number
  sent: number
  failed: number
  dropped: number
}

export async function mailStats(db: Db): Promise<MailStats> {
  const rows = await queryRows<{ state: string; n: number | string }>(
    db,
    sql`select state, count(*) as n from mail_messages group by state`,
  )
  const stats: MailStats = { queued: 0, sent: 0, failed: 0, dropped: 0 }
  for (const row of rows) {
    const n = Number(row.n)
    if (row.state === 'queued' || row.state === 'sending') stats.queued += n
    else if (row.state === 'sent' || row.state === 'failed' || row.state === 'dropped') stats[row.state] += n
  }
  return stats
}
