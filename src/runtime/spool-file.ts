import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { SpoolUpload } from '../deps.js'

/**
 * Spools an upload to a file only this process's user can read (mode 0600, in a directory of its
 * own made by mkdtemp, mode 0700: an export holds every commenter's email address), then reads it
 * back for `use`. The directory is removed when `use` ends, throws, or the upload fails.
 *
 * @example
 * const spool = spoolToFile()
 * const summary = await spool(uploadBytes(body, 30_000, request.signal), (file) => importComments(db, secrets, file, options))
 */
export function spoolToFile(dir = tmpdir()): SpoolUpload {
  return async (upload, use) => {
    const folder = await mkdtemp(join(dir, 'parley-upload-'))
    try {
      const path = join(folder, 'upload')
      await pipeline(upload, createWriteStream(path, { flags: 'wx', mode: 0o600 }))
      const file = createReadStream(path, { highWaterMark: 256 * 1024 })
      try {
        return await use(file)
      } finally {
        file.destroy()
      }
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  }
}
