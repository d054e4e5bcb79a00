// One test configuration for every workspace: three tiers told apart by file name
// (*.unit.test.ts, *.int.test.ts, *.e2e.test.ts), the city's time zone, JSON reports for the summary.
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

export type Tier = 'unit' | 'int' | 'e2e';

const integrationSetup = fileURLToPath(
  new URL('./packages/test-kit/dist/global-setup.js', import.meta.url),
);

const timeouts: Record<Tier, number> = { unit: 10_000, int: 60_000, e2e: 300_000 };

export function tierConfig(tier: Tier, overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  process.env.TZ = 'Asia/Ho_Chi_Minh';
  return defineConfig({
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      include: [`src/**/*.${tier}.test.{ts,tsx}`, `test/**/*.${tier}.test.{ts,tsx}`],
      environment: 'node',
      testTimeout: timeouts[tier],
      hookTimeout: timeouts[tier],
      passWithNoTests: true,
      env: { TZ: 'Asia/Ho_Chi_Minh' },
      globalSetup: tier === 'unit' ? [] : [integrationSetup],
      // Integration and end-to-end files share one PostgreSQL and one nats-server per run;
      // running them one at a time keeps a 2-core machine predictable.
      fileParallelism: tier === 'unit',
      reporters: ['default', 'json'],
      outputFile: { json: `.reports/${tier}.json` },
      ...overrides,
    },
  });
}
