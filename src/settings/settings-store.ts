import { eq, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { settings } from '../db/schema.js'
import { resolveSettings, settingsSchema, type Settings } from './settings-schema.js'

export interface LoadedSettings {
  values: Settings
  revision: number
  /** The filter webhook's signing secret, sealed (see `Secrets.seal`). */
  filterSecretSealed: string | null
}

/**
 * Settings change rarely and are read on every request, so each instance keeps them for
 * `ttlMs`. A change made through this store is seen at once here; other instances see it
 * within the TTL.
 *
 * With `shareLoads`, requests that miss together wait for one load. A Worker turns it off: its
 * store outlives requests, and a load driven by one request's connection must not be awaited by
 * another, which would hang if the first were cancelled.
 */
export class SettingsStore {
  private cached: { loaded: LoadedSettings; at: number } | undefined
  private pending: Promise<LoadedSettings> | undefined
  // Bumped by invalidate(): a load that began before must not keep what it read.
  private generation = 0

  constructor(
    private readonly ttlMs = 1000,
    private readonly now: () => number = Date.now,
    private readonly shareLoads = true,
  ) {}

  async get(db: Db): Promise<LoadedSettings> {
    const hit = this.cached
    if (hit && this.now() - hit.at < this.ttlMs) return hit.loaded
    if (!this.shareLoads) return this.load(db)
    if (this.pending) return this.pending
    const pending = this.load(db).finally(() => {
      if (this.pending === pending) this.pending = undefined
    })
    this.pending = pending
    return pending
  }

  /** Validates and stores a partial update; unknown keys are the caller's to refuse. */
  async update(
    db: Db,
    patch: Partial<Settings>,
    now: Date,
    filterSecretSealed?: string | null,
  ): Promise<{ before: Settings; loaded: LoadedSettings }> {
    const current = await this.load(db)
    const next = settingsSchema.parse({ ...current.values, ...patch })
    const secret = filterSecretSealed === undefined ? current.filterSecretSealed : filterSecretSealed
    const [row] = await db
      .insert(settings)
      .values({ id: 1, value: next, revision: 1, filterSecret: secret, updatedAt: now })
      .onConflictDoUpdate({
        target: settings.id,
        set: { value: next, revision: sql`${settings.revision} + 1`, updatedAt: now, filterSecret: secret },
      })
      .returning({ revision: settings.revision })
    const loaded = { values: next, revision: row?.revision ?? current.revision + 1, filterSecretSealed: secret }
    this.cached = { loaded, at: this.now() }
    return { before: current.values, loaded }
  }

  /** Forgets the kept settings, also those of a load still running (the read cache calls it on a change). */
  invalidate(): void {
    this.generation++
    this.cached = undefined
    this.pending = undefined
  }

  private async load(db: Db): Promise<LoadedSettings> {
    const generation = this.generation
    const [row] = await db
      .select({ value: settings.value, revision: settings.revision, filterSecret: settings.filterSecret })
      .from(settings)
      .where(eq(settings.id, 1))
    const loaded = {
      values: resolveSettings(row?.value ?? {}),
      revision: row?.revision ?? 0,
      filterSecretSealed: row?.filterSecret ?? null,
    }
    if (generation === this.generation) this.cached = { loaded, at: this.now() }
    return loaded
  }
}
