// The read models' Prisma client, on node-postgres through @prisma/adapter-pg (no binary engine).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.js';

export function createReadModelClient(
  databaseUrl: string,
  { maxConnections = 10 } = {},
): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: maxConnections });
  return new PrismaClient({ adapter });
}

export type { PrismaClient };
