// Injection tokens: explicit, because type-only imports leave no runtime type for Nest to inject.
export const SETTINGS = Symbol('gateway settings');
export const PG_POOL = Symbol('PostgreSQL pool');
export const NATS = Symbol('NATS connection');
export const LOGGER = Symbol('logger');
export const PRISMA = Symbol('read models (Prisma)');
