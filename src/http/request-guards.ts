import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from '../app-env.js'
import { AppError } from '../errors.js'

export const MAX_BODY_BYTES = 1024 * 1024

/**
 * 413 before parsing anything larger than `maxSize`. A declared Content-Length decides without
 * touching the body: reading it, even one chunk, hands the socket to a web stream that pauses it,
 * and an early answer then leaves the rest of the body stuck on a connection the client reuses.
 * Only a body of unknown length (chunked) is counted while it streams.
 */
export function limitBody(
  maxSize = MAX_BODY_BYTES,
  respond?: (error: AppError, c: Context<AppEnv>) => Response,
): MiddlewareHandler<AppEnv> {
  const tooLarge = (c: Context<AppEnv>) => {
    const error = new AppError('payload_too_large', `The request body is larger than ${Math.round(maxSize / 1024)} KiB.`)
    if (respond) return respond(error, c)
    throw error
  }
  const streamed = bodyLimit({ maxSize, onError: tooLarge })
  return async (c, next) => {
    const length = c.req.header('content-length')
    if (length === undefined || !/^\d+$/.test(length) || c.req.header('transfer-encoding') !== undefined) return streamed(c, next)
    if (Number(length) > maxSize) return tooLarge(c)
    await next()
  }
}

const isJson = (type: string) => /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)

/**
 * JSON in, for every API request that carries a body: 415 for another content type, 400 when
 * the JSON does not parse. The parsed body is cached for the route's validator. On Node a body of
 * declared length (limitBody has let it through) is read from the socket directly (bodyText);
 * a chunked one goes through Request, whose stream limitBody counts, and a compressed one through
 * the Request decodeBody decompresses.
 */
export const requireJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const method = c.req.method
  if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH') return next()
  const type = c.req.header('content-type') ?? ''
  const length = c.req.header('content-length')
  const hasBody = (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined
  if (!isJson(type)) {
    if (!hasBody && !type) return next()
    throw new AppError('unsupported_media_type', 'Send the request body as application/json.')
  }
  // decodeBody marks a body it decompresses chunked: that one is read through its Request too.
  const direct = c.env.bodyText && length !== undefined && c.req.header('transfer-encoding') === undefined ? c.env.bodyText : undefined
  try {
    if (direct) {
      const text = await direct()
      JSON.parse(text)
      // Where Hono's c.req.json() and text() (and so the validator) find a body read before: a
      // promise of it, whatever BodyCache's type says.
      Object.assign(c.req.bodyCache, { text: Promise.resolve(text) })
    } else await c.req.json()
  } catch {
    throw new AppError('malformed_json', 'The request body is not valid JSON.')
  }
  return next()
}
