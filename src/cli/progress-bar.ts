/**
 * One line redrawn in place on a terminal: bytes read of the file, comments read, and the rate.
 * Drawn at most ten times a second, so that drawing never slows the import it reports on.
 */
export function progressBar(totalBytes: number, out: NodeJS.WriteStream = process.stdout) {
  const started = Date.now()
  let drawnAt = 0
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1)
  const draw = (bytes: number, comments: number, note: string) => {
    const fraction = totalBytes > 0 ? Math.min(1, bytes / totalBytes) : 1
    const width = 24
    const filled = Math.round(fraction * width)
    const seconds = Math.max(0.001, (Date.now() - started) / 1000)
    const line =
      `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ` +
      `${mb(bytes)}/${mb(totalBytes)} MB · ${comments.toLocaleString('en-US')} comments · ${Math.round(comments / seconds).toLocaleString('en-US')}/s${note}`
    out.write(`\r${line.slice(0, (out.columns || 120) - 1).padEnd((out.columns || 120) - 1)}`)
  }
  return {
    update(progress: { bytes: number; comments: number }) {
      const now = Date.now()
      if (now - drawnAt < 100) return
      drawnAt = now
      draw(progress.bytes, progress.comments, progress.bytes >= totalBytes ? ' · linking threads…' : '')
    },
    done() {
      out.write('\n')
    },
  }
}
