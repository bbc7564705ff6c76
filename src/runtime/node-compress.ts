import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import type { Compress } from '../deps.js'

const brotli = promisify(brotliCompress)
const gzipped = promisify(gzip)

/**
 * Brotli at quality 11 for what is compressed once per release (about 20% smaller than gzip, and
 * slow: tens of ms for the widget, paid once); quality 5 for thread pages and counts, compressed
 * once per change of an article (about 1 ms per 100 KB here, and still smaller than gzip's best).
 * Both run on libuv's thread pool, off the event loop.
 */
export const nodeCompress: Compress = async (body, coding, effort) => {
  if (coding === 'gzip') return gzipped(body, { level: effort === 'static' ? 9 : 6 })
  return brotli(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: effort === 'static' ? 11 : 5,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
    },
  })
}
