import type { Context } from 'hono'
import type { AppEnv } from '../app-env.js'

type Fields = Record<string, string | File | (string | File)[]>

/** A posted HTML form: text fields by name, repeated names (checkboxes) as lists. */
export class PostedForm {
  private constructor(private readonly fields: Fields) {}

  /** Anything but a readable form (another type, a broken body) reads as an empty form. */
  static async read(c: Context<AppEnv>): Promise<PostedForm> {
    const type = c.req.header('content-type') ?? ''
    if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return new PostedForm({})
    return new PostedForm(await c.req.parseBody({ all: true }).catch(() => ({})))
  }

  /** The field's first text value. */
  text(name: string): string | undefined {
    return this.list(name)[0]
  }

  /** Every text value of the field. */
  list(name: string): string[] {
    const value = this.fields[name]
    const values = Array.isArray(value) ? value : value === undefined ? [] : [value]
    return values.filter((v): v is string => typeof v === 'string')
  }

  /** A checkbox: ticked when sent at all. */
  checked(name: string): boolean {
    return this.list(name).length > 0
  }
}
