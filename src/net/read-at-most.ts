/**
 * An outside service's answer as text, read up to `maxBytes` and no further (a filter's verdict, an
 * email API's error): a service that streams on (misconfigured, or someone else's server behind a
 * URL an admin mistyped) must not fill the memory of the process that asked it. The rest is
 * cancelled; an answer cut short then fails to parse, and the caller treats it as no answer.
 */
export async function readAtMost(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const next = await reader.read()
      if (next.done) break
      // A fetch body's chunks are bytes; Node's types leave them untyped.
      const value = next.value as Uint8Array
      const room = maxBytes - size
      chunks.push(value.byteLength > room ? value.subarray(0, room) : value)
      size += Math.min(value.byteLength, room)
      if (size >= maxBytes) {
        await reader.cancel().catch(() => undefined)
        break
      }
    }
  } finally {
    reader.releaseLock()
  }
  const all = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    all.set(chunk, at)
    at += chunk.byteLength
  }
  return new TextDecoder().decode(all)
}
