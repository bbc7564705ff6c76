import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  schema: ['./src/db/schema.ts', './src/db/mail-schema.ts', './src/db/desk-schema.ts'],
  out: './drizzle',
  dialect: 'postgresql',
})
