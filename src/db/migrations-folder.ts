import { fileURLToPath } from 'node:url'

// Two levels below the repository root, as `npm start`'s bundle (dist/node/node.js) is: the path holds in both.
export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url))
