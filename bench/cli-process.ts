/**
 * Runs the built CLI (dist/) as a child process and measures it from the inside: wall time,
 * CPU time of all its threads, and peak RSS (getrusage), reported by the child on exit.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../fixtures/git-fixture.js';

const MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

export interface ProcessRun {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  code: number;
}

const CHILD = `
const { main } = await import(process.argv[2]);
const code = await main(['node', 'deltawarm', ...process.argv.slice(3)]);
const usage = process.resourceUsage();
process.stderr.write('\\nBENCH ' + JSON.stringify({ cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, peakRssMb: usage.maxRSS / 1024, code }) + '\\n');
process.exit(code);
`;

/** A file, not --eval: worker threads inherit the process's exec arguments. */
const childScript = join(makeTempDir('deltawarm-bench-cli-'), 'measured-cli.mjs');
writeFileSync(childScript, CHILD);

/** `deltawarm ARGS` in a fresh process; stdout is discarded (it may be a long report). */
export async function runCliProcess(args: string[]): Promise<ProcessRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [childScript, MAIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.on('exit', (exit) => resolve(exit ?? 1)));
  const wallMs = performance.now() - started;
  const line = stderr.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line || code !== 0) throw new Error(`deltawarm ${args.join(' ')} exited with ${code}: ${stderr.slice(-500)}`);
  return { wallMs, ...(JSON.parse(line.slice(6)) as Omit<ProcessRun, 'wallMs'>) };
}
