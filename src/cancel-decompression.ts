/**
 * Cancels the reader of a DecompressionStream one macrotask later. Node's may have decompressed
 * bytes queued for its next tick: cancelled before they come, they are thrown uncaught, which stops
 * the server (nodejs/node#64529, seen here as 1 request in 10 of a gzip bomb refused with 413); one
 * macrotask later they have come and gone into the stream's queue.
 *
 * @example
 * if (size > max) await cancelDecompression(reader)
 */
export async function cancelDecompression(reader: ReadableStreamDefaultReader<Uint8Array>, reason?: unknown): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0))
  await reader.cancel(reason).catch(() => undefined)
}
