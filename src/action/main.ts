import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main as runCli } from '../cli/main.js';
import type { CliIO } from '../cli/io.js';
import type { CoverageReport } from '../report/coverage.js';
import { type Inputs, cliArguments, commandOf, inputVariable } from './inputs.js';

/** The process as the Action sees it; injected for tests. */
export interface ActionEnv {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: (text: string) => void;
}

/**
 * GitHub Action entry: runs the deltawarm CLI with the step's inputs, appends the Markdown
 * report to the job summary, sets outputs, and turns a failure into an error annotation.
 */
export async function runAction(host: ActionEnv): Promise<number> {
  try {
    return await runActionSteps(host);
  } catch (error) {
    host.stdout(`::error title=deltawarm::${escapeData((error as Error).message)}\n`);
    return 2;
  }
}

async function runActionSteps(host: ActionEnv): Promise<number> {
  const inputs: Inputs = (name) => (host.env[inputVariable(name)] ?? '').trim();
  const command = commandOf(inputs);
  if (!command) {
    host.stdout(`::error title=deltawarm::input "command" must be plan, build, push or finish, got "${inputs('command')}"\n`);
    return 2;
  }
  // The runner empties RUNNER_TEMP after the job; the report stays there for later steps.
  const scratch = await mkdtemp(join(host.env.RUNNER_TEMP ?? tmpdir(), 'deltawarm-'));
  const reportFile = join(scratch, 'report.json');
  const errors: string[] = [];
  const io: CliIO = {
    stdout: host.stdout,
    stderr: (text) => {
      errors.push(...text.split('\n').filter((line) => line.startsWith('deltawarm: ')));
      host.stdout(text);
    },
    env: host.env,
    cwd: host.cwd,
    isTTY: false,
  };
  const code = await runCli(['node', 'deltawarm', ...cliArguments(command, inputs, reportFile, host.env.GITHUB_STEP_SUMMARY)], io);
  for (const error of errors) host.stdout(`::error title=deltawarm ${command}::${escapeData(error.replace(/^deltawarm: /, ''))}\n`);
  const report = await readFile(reportFile, 'utf8').then((text) => JSON.parse(text) as CoverageReport | FinishReport, () => undefined);
  if (report) await setOutputs(host.env.GITHUB_OUTPUT, report, reportFile);
  if (code !== 0 && errors.length === 0) host.stdout(`::error title=deltawarm ${command}::the run found a failure (exit ${code}); see the report above\n`);
  return code;
}

/** What `finish --report` writes: the coverage reports are the shards'. */
interface FinishReport {
  release: string;
  shards: number;
}

async function setOutputs(file: string | undefined, report: CoverageReport | FinishReport, reportFile: string): Promise<void> {
  if (!file) return;
  if (!('totals' in report)) return appendFile(file, `release=${report.release}\nreport=${reportFile}\n`);
  const outputs: Record<string, string | number> = {
    release: report.release,
    coverage: report.totals.coverage.toFixed(4),
    patches: report.totals.patches,
    'old-versions': report.totals.oldVersions,
    'stored-bytes': report.totals.storedBytes,
    failed: report.totals.failed,
    report: reportFile,
  };
  await appendFile(file, Object.entries(outputs).map(([name, value]) => `${name}=${value}\n`).join(''));
}

/** Workflow commands end at a newline and treat % specially. */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
