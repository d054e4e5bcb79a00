// The Node driver's command line: runs the shared k6 scenario definitions here, where k6 is not
// installed. `node --import tsx load-tests/src/driver/cli.ts --help` lists the options.
import { parseArgs } from 'node:util';
import {
  isScenarioName,
  parseDuration,
  scenarioNames,
  type ScenarioName,
} from '../scenarios/definitions.ts';
import { runLoad } from './run-load.ts';

const usage = `usage: node --import tsx load-tests/src/driver/cli.ts [options]
  --base-url URL        gateway (default http://127.0.0.1:8080)
  --password PW         demo users' password (default election-day-2026)
  --scale N             share of the full-day pace (default 0.01)
  --duration D          per scenario, e.g. 60s, 5m (default 60s)
  --scenarios a,b       of ${scenarioNames.join(', ')} (default all)
  --fixture PATH        fixture.json from make-fixture (default load-tests/fixture/fixture.json)
  --summary PATH        JSON summary (default load-tests/.reports/driver-summary.json)
  --max-vus N           override every scenario's maxVUs
  --enforce-thresholds  exit 99 when a threshold fails (errors < 0.1 %, p99 < 100 ms)
exit: 0 ok, 1 reconciliation mismatch, 2 bad usage, 99 thresholds failed (when enforced)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'base-url': { type: 'string', default: 'http://127.0.0.1:8080' },
      password: { type: 'string', default: 'election-day-2026' },
      scale: { type: 'string', default: '0.01' },
      duration: { type: 'string', default: '60s' },
      scenarios: { type: 'string', default: scenarioNames.join(',') },
      fixture: {
        type: 'string',
        default: new URL('../../fixture/fixture.json', import.meta.url).pathname,
      },
      summary: {
        type: 'string',
        default: new URL('../../.reports/driver-summary.json', import.meta.url).pathname,
      },
      'max-vus': { type: 'string' },
      'enforce-thresholds': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const scale = Number(values.scale);
  const names = values.scenarios
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !isScenarioName(n));
  const maxVUs = values['max-vus'] === undefined ? undefined : Number(values['max-vus']);
  try {
    parseDuration(values.duration);
  } catch {
    console.error(`bad --duration ${values.duration}\n${usage}`);
    return 2;
  }
  if (
    !(scale > 0) ||
    unknown.length > 0 ||
    names.length === 0 ||
    (maxVUs !== undefined && !(maxVUs >= 1))
  ) {
    console.error(
      `${unknown.length > 0 ? `unknown scenarios: ${unknown.join(', ')}\n` : ''}${usage}`,
    );
    return 2;
  }
  return runLoad({
    baseUrl: values['base-url'].replace(/\/+$/, ''),
    password: values.password,
    scale,
    duration: values.duration,
    scenarios: names as ScenarioName[],
    fixturePath: values.fixture,
    summaryPath: values.summary,
    ...(maxVUs === undefined ? {} : { maxVUs: Math.floor(maxVUs) }),
    progressEveryMs: 5_000,
    enforceThresholds: values['enforce-thresholds'],
    log: (line) => console.log(line),
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
