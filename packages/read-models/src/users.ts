// The gateway's accounts: the demo users the embedded stack seeds from the reference tables
// (design/api.md, Auth), and the one look-up the gateway needs at login.
import { hashPassword, type ScryptCost } from './password-hash.js';
import { createReadModelClient } from './client.js';

export const roles = ['admin', 'ops', 'police', 'auditor', 'commune', 'reporter'] as const;
export type Role = (typeof roles)[number];

/** The demo password when DEMO_PASSWORD is not set; refused outside demo mode. */
export const defaultDemoPassword = 'election-day-2026';

export interface UserRow {
  readonly username: string;
  readonly passwordHash: string;
  readonly role: Role;
  readonly scopeCommuneId: string | null;
  readonly scopePollingAreaId: string | null;
}

export interface DemoUsersOutcome {
  /** Rows inserted by this run (0 when every demo user was already there). */
  readonly created: number;
  /** Demo users the reference tables call for. */
  readonly expected: number;
  readonly elapsedMs: number;
}

const cityWideUsers: readonly { username: string; role: Role }[] = [
  { username: 'admin', role: 'admin' },
  { username: 'ops', role: 'ops' },
  { username: 'police', role: 'police' },
  { username: 'auditor', role: 'auditor' },
];

/**
 * Seeds `admin`, `ops`, `police`, `auditor`, one `commune-<communeId>` per commune and one
 * `pa-<pollingAreaId>` per polling area, all with `password`. Users already present are left as
 * they are (ON CONFLICT DO NOTHING), so a later run with another password changes nothing.
 *
 * Every demo user shares the demo password, so one scrypt hash (one salt) is derived per run and
 * stored for all of them: a per-user salt would only hide that they share a password everyone
 * knows, and would cost ~2,700 derivations (minutes at OWASP cost) on every fresh stack.
 */
export async function seedDemoUsers(
  databaseUrl: string,
  { password, cost }: { password: string; cost?: ScryptCost },
): Promise<DemoUsersOutcome> {
  const started = performance.now();
  const prisma = createReadModelClient(databaseUrl, { maxConnections: 2 });
  try {
    const [communes, areas] = await Promise.all([
      prisma.commune.findMany({ select: { communeId: true }, orderBy: { communeId: 'asc' } }),
      prisma.pollingArea.findMany({
        select: { pollingAreaId: true, communeId: true },
        orderBy: { pollingAreaId: 'asc' },
      }),
    ]);
    const expected = cityWideUsers.length + communes.length + areas.length;
    const existing = await prisma.user.count();
    if (existing >= expected) {
      // Every demo user is probably there already: skip the scrypt derivation, check exactly below.
      const names = [
        ...cityWideUsers.map((u) => u.username),
        ...communes.map((c) => `commune-${c.communeId}`),
        ...areas.map((a) => `pa-${a.pollingAreaId}`),
      ];
      const present = await prisma.user.count({ where: { username: { in: names } } });
      if (present === expected) {
        return { created: 0, expected, elapsedMs: Math.round(performance.now() - started) };
      }
    }
    const passwordHash = await hashPassword(password, cost);
    const { count } = await prisma.user.createMany({
      data: [
        ...cityWideUsers.map((u) => ({ username: u.username, passwordHash, role: u.role })),
        ...communes.map((c) => ({
          username: `commune-${c.communeId}`,
          passwordHash,
          role: 'commune',
          scopeCommuneId: c.communeId,
        })),
        ...areas.map((a) => ({
          username: `pa-${a.pollingAreaId}`,
          passwordHash,
          role: 'reporter',
          scopeCommuneId: a.communeId,
          scopePollingAreaId: a.pollingAreaId,
        })),
      ],
      skipDuplicates: true,
    });
    return { created: count, expected, elapsedMs: Math.round(performance.now() - started) };
  } finally {
    await prisma.$disconnect();
  }
}
