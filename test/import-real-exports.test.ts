import { describe, expect, it } from 'vitest'
import { setupTestApp } from './support/test-app.js'
import { signIn } from './support/moderators.js'
import { counts, fixture, importOk, postImport, tableSnapshot } from './support/imports.js'
import { countExport, realExports } from './support/export-counts.js'

const t = await setupTestApp()

/** Not well-formed on purpose (WordPress's importer falls back to a regex parser for them; Parley refuses them whole). */
const malformed: Record<string, string> = {
  'wordpress/importer-tests/wpi-crazy-cdata.xml': 'line 18, column 72: the string "]]>" is disallowed in char data',
  'wordpress/importer-tests/wpi-malformed-simple.xml': 'line 14, column 0: unclosed tag: item',
  'wordpress/importer-tests/wpi-malformed.xml': 'line 90, column 10: unexpected close tag',
}

describe('importing every real export there is, twice', () => {
  it.each(realExports())(
    '%s: every comment in once (as counted apart), nothing changed the second time, or refused with its position',
    async (name) => {
      const admin = await signIn(t, 'admin')
      const file = fixture(name)
      const refusal = malformed[name]
      if (refusal) {
        const res = await postImport(t, admin, file)
        expect(res.status).toBe(422)
        expect((await res.json()).detail).toBe(`The file cannot be imported (nothing was): ${refusal}.`)
        expect(await counts(t)).toEqual({ articles: 0, comments: 0 })
        return
      }
      const { comments, pings } = countExport(file)
      const first = await importOk(t, admin, file)
      expect(first.errors).toEqual([])
      expect({ comments: first.comments, pings: first.details.pings }).toEqual({ comments, pings })
      expect((await counts(t)).comments).toBe(comments)

      const before = await tableSnapshot(t)
      const second = await importOk(t, admin, file)
      expect(second).toMatchObject({ articles: 0, comments: 0, errors: [], details: { alreadyImported: comments, removedBefore: 0 } })
      expect(await tableSnapshot(t)).toEqual(before)
      // Nothing is said again about comments skipped as here already (no email, no id, a text cut…):
      // what a second import reports is what it did.
      expect(second.warnings.filter((w: { record: string }) => w.record === 'comment')).toEqual([])
      expect(second.details.warningCount).toBe(second.warnings.length)
    },
  )

  it('warns about a comment when it is imported, not again when a re-import skips it', async () => {
    const admin = await signIn(t, 'admin')
    // Its one comment has no email address.
    const file = fixture('wordpress/importer-tests/wpi-valid-wxr-1.0.xml')
    const first = await importOk(t, admin, file)
    const commentWarnings = first.warnings.filter((w: { record: string }) => w.record === 'comment')
    expect(commentWarnings.length).toBeGreaterThan(0)
    const second = await importOk(t, admin, file)
    expect(second).toMatchObject({
      comments: 0,
      details: { alreadyImported: first.comments, warningCount: first.details.warningCount - commentWarnings.length },
    })
  })

  it('keeps every comment of two sites whose comment ids overlap, imported one after the other (theme test data, then theme preview)', async () => {
    const admin = await signIn(t, 'admin')
    const unit = fixture('wordpress/themeunittestdata.wordpress.xml')
    const preview = fixture('wordpress/theme-preview.xml')
    // Both sites have a comment 2: the preview's is another comment, not one imported before.
    expect(await importOk(t, admin, unit)).toMatchObject({ comments: 29 })
    expect(await importOk(t, admin, preview)).toMatchObject({ comments: 2, details: { alreadyImported: 0 } })
    expect((await counts(t)).comments).toBe(29 + 2)
    const before = await tableSnapshot(t)
    expect(await importOk(t, admin, unit)).toMatchObject({ comments: 0, details: { alreadyImported: 29 } })
    expect(await importOk(t, admin, preview)).toMatchObject({ comments: 0, details: { alreadyImported: 2 } })
    expect(await tableSnapshot(t)).toEqual(before)
  })

  it('accounts for every comment of every real export imported one after the other into one Parley', async () => {
    const admin = await signIn(t, 'admin')
    let total = 0
    for (const name of realExports().filter((name) => !malformed[name])) {
      const file = fixture(name)
      const { comments } = countExport(file)
      const summary = await importOk(t, admin, file)
      expect(summary.errors).toEqual([])
      // Imported, or the same source, site and id as one here already: never dropped unsaid.
      expect(summary.comments + summary.details.alreadyImported).toBe(comments)
      const taken = summary.warnings.filter((w: { reason: string }) =>
        w.reason.startsWith('a comment with its source and id was imported before'),
      ).length
      // Comments taken for one imported before are so only when they are the same site's (several
      // importer test files are all http://localhost/, each with its own comment 1): said each time
      // the dates differ.
      expect(summary.details.alreadyImported).toBeGreaterThanOrEqual(taken)
      total += summary.comments
    }
    expect((await counts(t)).comments).toBe(total)
  })
})
