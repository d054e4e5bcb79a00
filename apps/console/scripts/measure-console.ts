// Prints the console's load figures on the local stack (issue #6): the built bundle (raw and
// gzip), the load time from navigation start to the overview's figures painted in headless
// Chromium (cold: a fresh profile; warm: a reload with the cache filled), and the time from the
// POST of a turnout report to the overview showing it through /live. A measurement, not a test:
// it asserts nothing. Run: `npm run measure -w @hpe/console` (needs `npm run build` first).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  apiAs,
  onElectionDay,
  openBrowser,
  startStack,
  type RunningStack,
} from '../src/testing/real-stack.test-support.js';

const runs = 5;
const reportsTimed = 10;
const dist = fileURLToPath(new URL('../dist', import.meta.url));

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (values: readonly number[]): string => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return `median ${at(0.5).toFixed(0)} ms, min ${(sorted[0] ?? NaN).toFixed(0)}, max ${(sorted.at(-1) ?? NaN).toFixed(0)} (n=${sorted.length})`;
};

function bundle(): void {
  const files = [
    'index.html',
    ...readdirSync(join(dist, 'assets'))
      .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
      .map((f) => join('assets', f)),
  ];
  let raw = 0;
  let gzip = 0;
  console.log('bundle (apps/console/dist):');
  for (const file of files) {
    const body = readFileSync(join(dist, file));
    const zipped = gzipSync(body, { level: 9 }).length;
    raw += statSync(join(dist, file)).size;
    gzip += zipped;
    console.log(
      `  ${file.padEnd(40)} ${kb(body.length).padStart(11)}  gzip ${kb(zipped).padStart(10)}`,
    );
  }
  console.log(`  ${'total'.padEnd(40)} ${kb(raw).padStart(11)}  gzip ${kb(gzip).padStart(10)}`);
}

/** Marks, in the page's own clock (ms since navigation start), when the overview's figures and
 * its chart first appear. */
const paintProbe = `
  window.__painted = {};
  new MutationObserver(() => {
    const p = window.__painted;
    if (p.figures === undefined && document.querySelector('[data-testid="as-of"]')) p.figures = performance.now();
    if (p.chart === undefined && document.querySelector('[data-testid="turnout-chart"] svg')) p.chart = performance.now();
  }).observe(document, { childList: true, subtree: true });
`;

interface Painted {
  readonly figures: number;
  readonly chart: number;
}

async function loadTimes(stack: RunningStack): Promise<void> {
  const ops = await apiAs(stack.gateway, 'ops');
  const session = JSON.stringify({
    username: 'ops',
    accessToken: ops.token,
    role: 'ops',
    scope: {},
    expiresAt: Date.now() + 3_600_000,
  });
  const cold: number[] = [];
  const coldChart: number[] = [];
  const warm: number[] = [];
  const warmChart: number[] = [];
  for (let i = 0; i < runs; i++) {
    const browser = await openBrowser();
    try {
      await browser.context.addInitScript(
        `localStorage.setItem('hpe.console.session', ${JSON.stringify(session)});${paintProbe}`,
      );
      for (const [figures, chart] of [
        [cold, coldChart],
        [warm, warmChart],
      ] as const) {
        if (figures === cold) await browser.page.goto(`${stack.gateway}/`);
        else await browser.page.reload();
        await browser.page
          .locator('[data-testid="turnout-chart"] svg')
          .first()
          .waitFor({ state: 'attached' });
        const painted = (await browser.page.evaluate('window.__painted')) as Painted;
        figures.push(painted.figures);
        chart.push(painted.chart);
      }
    } finally {
      await browser.close();
    }
  }
  console.log(
    'load, navigation start → overview figures painted (headless Chromium, local stack):',
  );
  console.log(`  cold (fresh profile)   ${ms(cold)}`);
  console.log(`  warm (reload, cached)  ${ms(warm)}`);
  console.log('  … → turnout chart drawn (its chunk loads after the figures):');
  console.log(`  cold                   ${ms(coldChart)}`);
  console.log(`  warm                   ${ms(warmChart)}`);
}

async function reportToScreen(stack: RunningStack): Promise<void> {
  const admin = await apiAs(stack.gateway, 'admin');
  const { communes } = await admin.get<{ communes: { communeId: string; electionDate: string }[] }>(
    '/communes',
  );
  const communeId = communes.find((c) => c.electionDate === '2026-03-15')?.communeId ?? '';
  const { pollingAreas } = await admin.get<{
    pollingAreas: { pollingAreaId: string; votersOnList: number }[];
  }>(`/polling-areas?communeId=${communeId}`);
  const ops = await apiAs(stack.gateway, 'ops');
  const browser = await openBrowser();
  const latencies: number[] = [];
  try {
    const page = browser.page;
    await browser.context.addInitScript(
      `localStorage.setItem('hpe.console.session', ${JSON.stringify(
        JSON.stringify({
          username: 'ops',
          accessToken: ops.token,
          role: 'ops',
          scope: {},
          expiresAt: Date.now() + 3_600_000,
        }),
      )});`,
    );
    await page.goto(`${stack.gateway}/`);
    await page.getByText('Trực tuyến').waitFor();
    const voted = page.locator('.kpi', { hasText: 'Cử tri đã bỏ phiếu' }).locator('.kpi-value');
    for (const area of pollingAreas.slice(0, reportsTimed)) {
      const reporter = await apiAs(stack.gateway, `pa-${area.pollingAreaId}`);
      await reporter.post(`/polling-areas/${area.pollingAreaId}/open`, {
        at: onElectionDay('07:00'),
      });
      // Settle: the opening has reached the screen before the clock starts.
      await page.waitForTimeout(1_500);
      const before = (await voted.textContent()) ?? '';
      // The page notes, on its own clock (the same machine's), when the figure changes.
      await page.evaluate((old) => {
        const w = window as unknown as { changedAt?: number };
        w.changedAt = undefined;
        const observer = new MutationObserver(() => {
          const kpi = [...document.querySelectorAll('.kpi')].find((k) =>
            k.textContent?.includes('Cử tri đã bỏ phiếu'),
          );
          if (kpi?.querySelector('.kpi-value')?.textContent !== old) {
            w.changedAt = Date.now();
            observer.disconnect();
          }
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      }, before);
      const started = Date.now();
      await reporter.post(`/polling-areas/${area.pollingAreaId}/turnout-reports`, {
        asOf: onElectionDay('09:00'),
        votersVoted: Math.round(area.votersOnList * 0.3),
      });
      await page.waitForFunction(
        () => (window as unknown as { changedAt?: number }).changedAt !== undefined,
        undefined,
        { timeout: 30_000 },
      );
      const changedAt = await page.evaluate(
        () => (window as unknown as { changedAt?: number }).changedAt ?? NaN,
      );
      latencies.push(changedAt - started);
    }
  } finally {
    await browser.close();
  }
  console.log('POST of a turnout report (201) → the overview shows it, through /live:');
  console.log(`  ${ms(latencies)}`);
}

const started = Date.now();
bundle();
const stack = await startStack();
try {
  // The reports timed first also give the overview a timeline to draw for the load figures.
  await reportToScreen(stack);
  await loadTimes(stack);
} finally {
  await stack.down();
}
console.log(`(measured in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
