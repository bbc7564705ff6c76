import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { routeDocs } from '../app.js'
import { CLIENT_FILES } from '../http/client-files.js'
import { fromSource } from '../runtime/from-source.js'

// `npm run static:write`: the built files the Worker serves from its static assets (its bundle
// carries neither their sources nor the OpenAPI generator). A test fails while a copy here differs
// from what the sources build.
export const STATIC_DIR = fileURLToPath(new URL('../static', import.meta.url))

/** Every built file, by its path under src/static. */
export async function builtStaticFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = { '/openapi.json': `${JSON.stringify(await fromSource.openApiDocument(routeDocs), null, 2)}\n` }
  for (const path of CLIENT_FILES) files[path] = await fromSource.clientFiles.text(path)
  return files
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, text] of Object.entries(await builtStaticFiles())) {
    const file = join(STATIC_DIR, path)
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, text)
    console.log(`Wrote ${file}`)
  }
}
