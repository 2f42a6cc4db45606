import { Command } from 'commander';
import { buildCommand } from './commands/build.js';
import { finishCommand } from './commands/finish.js';
import { planCommand } from './commands/plan.js';
import { pushCommand } from './commands/push.js';
import { trafficCommand } from './commands/traffic.js';
import { verifyCommand } from './commands/verify.js';
import { EXIT, errorLine, errorObject, exitCodeFor } from './exit-code.js';
import { type CliIO, processIO } from './io.js';
import { version } from './version.js';
import { redactCredentials } from '../text/redact.js';

/** Runs the CLI with `argv` (as process.argv) and returns the exit code. */
export async function main(argv: string[], given: CliIO = processIO()): Promise<number> {
  const io = redacted(given);
  let exitCode: number = EXIT.ok;
  const setExitCode = (code: number) => void (exitCode = code);
  const program = new Command('deltawarm')
    .description('Prewarm incremental patches for web assets from git history')
    .version(version)
    .showHelpAfterError('(run deltawarm --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  for (const command of [planCommand(io, setExitCode), buildCommand(io, setExitCode), pushCommand(io, setExitCode), verifyCommand(io, setExitCode), finishCommand(io, setExitCode), trafficCommand(io, setExitCode)]) {
    program.addCommand(command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }));
  }
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    const line = errorLine(error);
    if (line) io.stderr(`${line}\n`);
    const object = wantsJson(argv) ? errorObject(error) : undefined;
    if (object) io.stdout(JSON.stringify(object) + '\n');
    if (io.env.DELTAWARM_DEBUG && error instanceof Error) io.stderr(`${error.stack}\n`);
    return exitCodeFor(error);
  }
}

/** Everything the CLI prints goes through here: no credentials of a URL ever reach a log. */
function redacted(io: CliIO): CliIO {
  return { ...io, stdout: (text) => io.stdout(redactCredentials(text)), stderr: (text) => io.stderr(redactCredentials(text)) };
}

/** Read from argv itself: the error may come before commander has parsed any option. */
function wantsJson(argv: string[]): boolean {
  const args = argv.slice(2);
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}
