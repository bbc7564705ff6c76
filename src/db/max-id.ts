/** The largest id a table holds (PostgreSQL integer). */
export const MAX_ID = 2_147_483_647
