// The read models' Prisma client, on node-postgres through @prisma/adapter-pg (no binary engine).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.js';

export function createReadModelClient(
  databaseUrl: string,
  { maxConnections = 10 } = {},
): PrismaClient {
  // The adapter reads timestamptz as session-local text and drops its offset (prisma/orm#26786):
  // with the server in Asia/Ho_Chi_Minh every instant came back 7 hours late. A UTC session makes
  // the text it reads already UTC.
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: maxConnections,
    options: '-c TimeZone=UTC',
  });
  return new PrismaClient({ adapter });
}

export type { PrismaClient };
