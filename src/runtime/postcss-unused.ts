/**
 * Stands in for postcss in the Workers bundle (wrangler.toml `[alias]`): sanitize-html loads it
 * at start-up but calls it only to parse style attributes, which Parley never allows
 * (`parseStyleAttributes: false`). Reaching this is a bug, so it says so loudly.
 */
export function parse(): never {
  throw new Error('postcss is not bundled on Workers: style attributes are never parsed')
}
