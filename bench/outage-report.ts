import type { OutageReport } from './outage-bench.js'

const ms = (value: number | null) => (value === null ? 'never' : `${value} ms`)

/** The outage bench's figures as the terminal shows them. */
export function outageTable(report: OutageReport): string {
  const lines = [
    `Database outages (DB_TIMEOUT_MS ${report.dbTimeoutMs}; deadline ${report.deadlineMs} ms; recovery budget ${report.recoveryBudgetMs} ms; ` +
      `${report.traffic.writers} writers and ${report.traffic.readers} readers)`,
  ]
  for (const o of report.outages) {
    lines.push(
      `\n${o.outage}, read cache ${o.readCache ? 'on' : 'off'}: database down ${o.downMs} ms${o.hogSlots === undefined ? '' : ` (hog held ${o.hogSlots} slots, ended ${o.hogTerminated} Parley backends)`}`,
      `  requests ${o.requests}: ${Object.entries(o.statuses)
        .map(([status, n]) => `${status} ×${n}`)
        .join(', ')}`,
      `  longest ${o.slowestMs} ms; past the deadline ${o.overDeadline} (hangs past ${report.hangLimitMs} ms: ${o.hangs}); over DB_TIMEOUT_MS ${o.overDbTimeout}; ` +
        `failures took ${ms(o.failureMedianMs)} (median); failures other than 503 unavailable + Retry-After: ${o.badFailures}`,
      `  after the database was back: first 201 ${ms(o.firstSubmitOkMs)}, first 200 read ${ms(o.firstReadOkMs)}, steady ${ms(o.steadyMs)} (last failure ${ms(o.lastFailureMs)})` +
        `${o.readCache ? `, read cache listening ${ms(o.listenerBackMs)}` : ''}`,
      `  new comment in the next thread read: right after recovery ${o.freshAfterRecovery ? 'yes' : 'NO'}, 3 s later ${o.freshSettled ? 'yes' : 'NO'}`,
    )
  }
  for (const run of report.runs) {
    lines.push(
      `\nread cache ${run.readCache ? 'on' : 'off'}: accepted (201) ${run.accepted}, lost ${run.lost}; stored without a 201 ${run.storedWithoutAnswer}`,
    )
  }
  lines.push(report.passed ? 'PASSED' : 'FAILED')
  return lines.join('\n')
}
