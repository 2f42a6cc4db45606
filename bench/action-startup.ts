/**
 * The Action's own start-up: `node action/index.js` as the runner starts it, up to the point
 * where deltawarm's work would begin. An unknown `command` input makes the Action stop right
 * there (after loading the whole bundle and reading its inputs), so the process wall time is
 * the start-up. Bare `node -e ""` runs alternate with it as the baseline; medians are reported.
 * Run alone: node --import tsx bench/action-startup.ts [--runs=15]
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../fixtures/git-fixture.js';
import { median } from '../src/report/coverage.js';

const BUNDLE = fileURLToPath(new URL('../action/index.js', import.meta.url));

function timeProcess(args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  return performance.now() - started;
}

export async function main(args: string[] = []): Promise<string> {
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 15);
  const scratch = makeTempDir('deltawarm-bench-action-');
  const env = { PATH: process.env.PATH, RUNNER_TEMP: scratch, GITHUB_OUTPUT: join(scratch, 'output'), INPUT_COMMAND: 'stop-before-work' };
  const node: number[] = [];
  const action: number[] = [];
  timeProcess([BUNDLE], env);
  for (let i = 0; i < runs; i++) {
    node.push(timeProcess(['-e', ''], env));
    action.push(timeProcess([BUNDLE], env));
  }
  const [bare, startup] = [median(node), median(action)];
  return [
    `Node ${process.versions.node}, ${runs} runs each, alternating; bundle ${(statSync(BUNDLE).size / 1e6).toFixed(2)} MB.`,
    '',
    '| process | median wall |',
    '| --- | ---: |',
    `| \`node -e ""\` (baseline) | ${bare.toFixed(0)} ms |`,
    `| \`node action/index.js\` to the start of deltawarm's work | ${startup.toFixed(0)} ms |`,
    `| the Action's own share (difference) | ${(startup - bare).toFixed(0)} ms |`,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await main(process.argv.slice(2)));
