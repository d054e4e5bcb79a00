// Prints how fast the reference dataset is generated, validated and streamed as voters, and the
// memory it takes. Run: npm run bench -w @hpe/reference-data (figures go to docs/performance.md).
import { performance } from 'node:perf_hooks';
import { generateReferenceDataset, generateVoters, loadReferenceDataset } from '../src/index.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function time<T>(runs: number, f: () => T): { ms: number; value: T } {
  const samples: number[] = [];
  let value = f(); // warm-up
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = f();
    samples.push(performance.now() - t);
  }
  return { ms: median(samples), value };
}

const seed = 'haiphong-2026';
const gen = time(20, () => generateReferenceDataset({ seed }));
const json = JSON.stringify(gen.value);
const load = time(20, () => loadReferenceDataset(JSON.parse(json)));
console.log(`dataset: ${(json.length / 1024).toFixed(0)} KiB of JSON`);
console.log(`generate: ${gen.ms.toFixed(1)} ms (median of 20)`);
console.log(`parse + validate + verify figures: ${load.ms.toFixed(1)} ms (median of 20)`);

const heapBefore = process.memoryUsage().heapUsed;
let voters = 0;
let peakHeap = heapBefore;
const t = performance.now();
for (const _voter of generateVoters(gen.value, { seed })) {
  voters++;
  if ((voters & 0xffff) === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}
const seconds = (performance.now() - t) / 1000;
console.log(
  `voters: ${voters.toLocaleString('en')} in ${seconds.toFixed(2)} s = ${Math.round(voters / seconds).toLocaleString('en')} voters/s; ` +
    `heap grew by at most ${((peakHeap - heapBefore) / 2 ** 20).toFixed(1)} MiB while streaming`,
);
