import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SIM, SIM_LOG_FORMATS, type SimOptions, simulateDeploys, writeDeployTree, writeSimLog } from '../../fixtures/traffic-sim.js';
import { directoryStore } from '../history/store.js';
import { analyzeTraffic } from './analyze.js';
import { tallyToCsv } from './csv.js';
import { readDeploys } from './deploys.js';
import { readLogs } from './read-logs.js';

const dir = mkdtempSync(join(tmpdir(), 'deltawarm-traffic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Populations with different visit rhythms against different deploy cadences. */
const scenarios: [string, SimOptions][] = [
  ['daily deploys, mixed visitors, window 5', { ...DEFAULT_SIM, visitors: 1500 }],
  ['ten deploys a day, weekly visitors, window 10', { ...DEFAULT_SIM, seed: 7, deploys: 90, deployEveryHours: 2.4, window: 10, visitors: 2000, meanIntervalDays: [7], skipShare: 0.05 }],
  ['weekly deploys, daily visitors, window 3', { ...DEFAULT_SIM, seed: 3, deploys: 20, deployEveryHours: 168, window: 3, visitors: 600, meanIntervalDays: [1, 2] }],
];

describe.each(scenarios)('deltawarm traffic on simulated traffic: %s', (name, options) => {
  const tree = join(dir, name.replace(/\W+/g, '-'));
  const deploys = simulateDeploys(options);
  writeDeployTree(tree, deploys);

  it.each(SIM_LOG_FORMATS)('recovers the simulated figures from a %s log (gzip and plain)', async (format) => {
    const file = join(tree, `${format}.log${format === 'cloudfront' ? '.gz' : ''}`);
    const truth = writeSimLog(file, format, options, deploys);
    const { tally, files } = await readLogs([file]);
    expect(files[0]!.format).toBe(format === 'cloudflare' || format === 'fastly' ? 'jsonl' : format);
    const history = await readDeploys(directoryStore(tree));
    const report = analyzeTraffic(tally, history);
    // The split of misses needs the window the deploys were built with: inferred from the manifests it is a lower bound.
    const told = analyzeTraffic(tally, history, { window: options.window });

    expect(report.visits).toBe(truth.visits);
    expect(report.newVisits).toBe(truth.newVisits);
    expect(report.returningByBehind).toEqual(truth.returningByBehind);
    for (const target of [0.9, 0.99]) {
      const recommended = analyzeTraffic(tally, history, { target }).recommendedVersions;
      expect(recommended).toBe(truth.recommended(target));
    }
    expect(Math.abs(report.incrementalShare! - truth.incrementalShare)).toBeLessThan(0.01);
    expect(told.downloads).toMatchObject({ patched: truth.patched, failed: truth.failed, skipped: truth.skipped, behindWindow: truth.behindWindow, added: 0 });
    expect(report.downloads.skipped + report.downloads.behindWindow).toBe(truth.skipped + truth.behindWindow);
    const inferred = report.deploys.map((deploy) => deploy.window);
    expect(Math.max(...inferred)).toBe(options.window);
    expect(inferred.filter((window) => window === options.window).length).toBeGreaterThan(inferred.length / 2);
    expect(report.bytes.deltawarm).toBeLessThan(report.bytes.plainHttp);
  });

  it('reads the CSV the SQL produces into the same report', async () => {
    const file = join(tree, 'combined-for-csv.log');
    writeSimLog(file, 'combined', options, deploys);
    const { tally } = await readLogs([file]);
    const csv = join(tree, 'athena.csv');
    writeFileSync(csv, tallyToCsv(tally));
    const fromLog = analyzeTraffic(tally, await readDeploys(directoryStore(tree)));
    const fromCsv = analyzeTraffic((await readLogs([csv])).tally, await readDeploys(directoryStore(tree)));
    expect(fromCsv).toEqual(fromLog);
  });
});
