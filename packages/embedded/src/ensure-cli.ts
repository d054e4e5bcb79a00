#!/usr/bin/env node
// `ensure-cli postgres nats-server chromium`: installs the missing system tools once, before tests
// or the stack run several things in parallel that would otherwise race on apt's lock.
import { ensureSystemTools, type SystemTool } from './system-packages.js';

const known: readonly SystemTool[] = ['postgres', 'nats-server', 'chromium'];
const wanted = process.argv.slice(2);
const unknown = wanted.filter((t) => !known.includes(t as SystemTool));
if (unknown.length > 0) {
  console.error(`unknown tool(s): ${unknown.join(', ')}; known: ${known.join(', ')}`);
  process.exit(2);
}
ensureSystemTools(wanted as SystemTool[], (line) => console.log(line)).then(
  (found) => {
    for (const t of wanted as SystemTool[]) console.log(`${t}: ${found[t] ?? 'missing'}`);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
