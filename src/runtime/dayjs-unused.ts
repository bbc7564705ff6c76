/**
 * Stands in for dayjs in the Workers bundle (wrangler.toml `[alias]`): sanitize-html needs only
 * launder's `naughtyHref`, but launder loads dayjs for its date helpers, which nothing here calls.
 */
export default function dayjs(): never {
  throw new Error("dayjs is not bundled on Workers: launder's date helpers are never used")
}
