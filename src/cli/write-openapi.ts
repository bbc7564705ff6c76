import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { routeDocs } from '../app.js'
import { generatedOpenApi } from '../openapi/openapi-document.js'

// `npm run openapi:write`: the document the Worker serves as it is (its bundle leaves the
// generator out). A test fails while this copy differs from what the routes generate.
export const PREBUILT_OPENAPI = fileURLToPath(new URL('../static/openapi.json', import.meta.url))

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(PREBUILT_OPENAPI, `${JSON.stringify(await generatedOpenApi(routeDocs), null, 2)}\n`)
  console.log(`Wrote ${PREBUILT_OPENAPI}`)
}
