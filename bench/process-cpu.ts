import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { promisify } from 'node:util'

/**
 * CPU seconds spent so far (user + system, every thread) by one process, and by every local
 * PostgreSQL process, from /proc (Linux): the hot bench divides them by the posts accepted, a
 * figure that holds still where throughput on a shared 2-core machine does not.
 */
let ticks: Promise<number> | undefined
const clockTicks = () =>
  (ticks ??= promisify(execFile)('getconf', ['CLK_TCK']).then(
    ({ stdout }) => Number(stdout.trim()) || 100,
    () => 100,
  ))

async function statOf(pid: string): Promise<{ comm: string; seconds: number } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    const close = stat.lastIndexOf(')')
    const fields = stat.slice(close + 2).split(' ')
    // utime and stime: fields 14 and 15 of proc(5), 12 and 13 after the command.
    return { comm: stat.slice(stat.indexOf('(') + 1, close), seconds: (Number(fields[11]) + Number(fields[12])) / (await clockTicks()) }
  } catch {
    return undefined
  }
}

export async function processCpuSeconds(pid: number): Promise<number> {
  return (await statOf(String(pid)))?.seconds ?? NaN
}

/** Every process named `postgres` (the server and its backends); backends that exited in between are not counted. */
export async function postgresCpuSeconds(): Promise<number> {
  let total = 0
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    const stat = await statOf(pid)
    if (stat?.comm === 'postgres') total += stat.seconds
  }
  return total
}
