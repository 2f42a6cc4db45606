/**
 * `deltawarm traffic` over a large plain log: the simulator writes a combined-format access log
 * of about SIZE_MB (default 1000) into a temp dir (deleted afterwards; nothing committed), then
 * the log is read and analysed in this process. Reports the wall time of reading + analysis,
 * MB/s, and the peak RSS sampled every 100 ms (memory must stay bounded: the tally grows with
 * distinct objects, not requests). Target: 1 GB in under 60 s on the 2-core machine.
 *
 *   node --import tsx bench/traffic-read.ts [SIZE_MB]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SIM, simulateDeploys, writeDeployTree, writeSimLog } from '../fixtures/traffic-sim.js';
import { directoryStore } from '../src/history/store.js';
import { traffic } from '../src/traffic/traffic.js';
import { runIfMain } from './run-if-main.js';

/** Bytes of combined log per simulated visit, measured on a small run, to size the population. */
const BYTES_PER_VISIT = 1810;

export async function main(args: string[]): Promise<string> {
  const sizeMb = Number(args[0] ?? 1000);
  const dir = mkdtempSync(join(tmpdir(), 'deltawarm-bench-traffic-'));
  try {
    const options = { ...DEFAULT_SIM, seed: 5, deploys: 100, deployEveryHours: 8, window: 10, visitors: 400_000, meanIntervalDays: [1, 3, 10], noisePerVisit: 4, maxVisits: Math.round((sizeMb * 1e6) / BYTES_PER_VISIT) };
    const deploys = simulateDeploys(options);
    writeDeployTree(dir, deploys);
    const log = join(dir, 'access.log');
    let start = performance.now();
    const truth = writeSimLog(log, 'combined', options, deploys);
    const generated = (performance.now() - start) / 1000;
    const bytes = statSync(log).size;
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const before = process.memoryUsage().rss;
    start = performance.now();
    const { report, files } = await traffic({ logs: [log], history: directoryStore(dir), window: options.window });
    const seconds = (performance.now() - start) / 1000;
    clearInterval(sampler);
    const ok = report.visits === truth.visits && report.recommendedVersions === truth.recommended(0.99);
    return [
      `log: ${(bytes / 1e6).toFixed(0)} MB combined, ${files[0]!.lines.toLocaleString('en-US')} lines, ${truth.visits.toLocaleString('en-US')} visits (generated in ${generated.toFixed(1)} s)`,
      `read + analyse: ${seconds.toFixed(1)} s, ${(bytes / 1e6 / seconds).toFixed(1)} MB/s (1 GB would take ${((1e9 / bytes) * seconds).toFixed(1)} s; target < 60 s)`,
      `memory: RSS ${(before / 1e6).toFixed(0)} MB before, peak ${(peak / 1e6).toFixed(0)} MB during`,
      `report matches the simulation: ${ok ? 'yes' : 'NO'} (recommended --versions ${report.recommendedVersions}, incremental share ${(report.incrementalShare! * 100).toFixed(2)} %)`,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, main);
