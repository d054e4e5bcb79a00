// Where the embedded stack listens when nothing is configured. Fixed, unusual ports so the stack
// does not collide with a PostgreSQL or NATS the machine already runs on their standard ports.
export const embeddedDefaults = {
  postgresPort: 54329,
  natsPort: 42229,
  natsMonitorPort: 8229,
  gatewayPort: 8080,
  database: 'election',
} as const;

export const defaultDatabaseUrl = `postgresql://postgres@127.0.0.1:${embeddedDefaults.postgresPort}/${embeddedDefaults.database}`;
export const defaultNatsUrl = `nats://127.0.0.1:${embeddedDefaults.natsPort}`;
