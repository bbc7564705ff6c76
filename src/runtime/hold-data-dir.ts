import { DataDirLocked, lockDataDir, type DataDirLock, type LockHolder } from '../db/data-dir-lock.js'
import { makePrivateDirectory } from '../db/private-directory.js'

/**
 * The embedded data directory for this process alone (the server, or a command), made if missing;
 * when another live process holds it, says so in one line and exits 2 before anything is opened.
 */
export async function holdDataDir(dir: string, holder: LockHolder): Promise<DataDirLock> {
  await makePrivateDirectory(dir)
  try {
    return await lockDataDir(dir, holder)
  } catch (error) {
    if (!(error instanceof DataDirLocked)) throw error
    console.error(error.message)
    process.exit(2)
  }
}
