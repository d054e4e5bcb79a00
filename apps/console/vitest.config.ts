// Component tests in jsdom, in the city's time zone, with the JSON report the test summary reads
// (the same shape as vitest.shared.ts, which runs in node and cannot render React).
import { defineConfig } from 'vitest/config';

process.env.TZ = 'Asia/Ho_Chi_Minh';

export default defineConfig({
  resolve: { conditions: ['source'] },
  test: {
    include: ['src/**/*.unit.test.{ts,tsx}'],
    environment: 'jsdom',
    testTimeout: 10_000,
    hookTimeout: 10_000,
    passWithNoTests: true,
    env: { TZ: 'Asia/Ho_Chi_Minh' },
    reporters: ['default', 'json'],
    outputFile: { json: '.reports/unit.json' },
  },
});
