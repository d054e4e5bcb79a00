// Prisma CLI settings. The CLI is used here only to generate the client; migrations are applied by
// src/migrate.ts (Prisma's schema engine cannot be downloaded on our build machines), and
// `prisma migrate deploy` accepts the same folder elsewhere.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:54329/election',
  },
});
