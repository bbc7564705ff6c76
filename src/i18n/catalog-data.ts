/**
 * A catalog as data (JSON): each text English makes with a function is a template here, its
 * arguments `{0}`, `{1}`…, or a pair chosen by the first number among them (`one` for 1). The
 * Worker loads other languages' catalogs as static assets in this form, so its bundle carries
 * English alone; Node imports them.
 */
export type Template = string | { one: string; other: string }

export type CatalogData<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => string ? Template : T[K] extends string ? string : CatalogData<T[K]>
}

function fill(template: Template, args: unknown[]): string {
  const count = args.find((arg) => typeof arg === 'number')
  const text = typeof template === 'string' ? template : count === 1 ? template.one : template.other
  return text.replace(/\{(\d)\}/g, (_, index: string) => {
    const arg = args[Number(index)]
    return typeof arg === 'string' || typeof arg === 'number' ? String(arg) : ''
  })
}

/** A catalog shaped as `base` (English) from its data: a function where English has one. */
export function hydrate<T extends object>(base: T, data: CatalogData<T>): T {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(base)) {
    const given = (data as Record<string, unknown>)[key]
    if (typeof value === 'function') {
      const template = given as Template
      out[key] = (...args: unknown[]) => fill(template, args)
    } else if (typeof value === 'string') out[key] = given
    else out[key] = hydrate(value as object, given as CatalogData<object>)
  }
  return out as T
}
