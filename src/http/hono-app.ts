import { HonoBase } from 'hono/hono-base'
import { TrieRouter } from 'hono/router/trie-router'
import type { BlankEnv, BlankSchema, Env, Schema } from 'hono/types'

/**
 * Hono with the router Parley's routes run on. Hono's default tries its RegExpRouter first and
 * falls back to the TrieRouter for routes that one cannot take, and Parley's routes always led to
 * the fallback (its SmartRouter answered `SmartRouter + TrieRouter`): the same matching, without
 * two routers' code in every bundle (1.5 KiB of the Worker's 200 gzipped).
 */
export class Hono<E extends Env = BlankEnv, S extends Schema = BlankSchema, BasePath extends string = '/'> extends HonoBase<
  E,
  S,
  BasePath
> {
  constructor() {
    super({ router: new TrieRouter() })
  }
}
