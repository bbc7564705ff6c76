/**
 * Random bytes from the platform's CSPRNG (crypto.getRandomValues, on Node and Workers), drawn in
 * blocks: each call into it costs several microseconds on a virtual machine, and a submission
 * needs three small draws (its token, its sealed email's nonce, its event's id). Node's own
 * randomUUID buffers the same way. Bytes handed out are never handed out again.
 */
const BLOCK = 4096
let block: Uint8Array<ArrayBuffer> | undefined
let offset = BLOCK

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  if (length > BLOCK / 4) return crypto.getRandomValues(new Uint8Array(length))
  if (!block || offset + length > BLOCK) {
    // Filled on first use, not at load: Workers refuse randomness outside a request.
    block = crypto.getRandomValues(new Uint8Array(BLOCK))
    offset = 0
  }
  const bytes = block.slice(offset, offset + length)
  block.fill(0, offset, offset + length)
  offset += length
  return bytes
}
