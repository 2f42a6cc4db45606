import { Command } from 'commander';
import { EXIT } from '../exit-code.js';
import type { CliIO } from '../io.js';
import { addRunOptions } from '../options.js';
import { emitReport } from '../report-output.js';
import { runPrewarm } from '../run-prewarm.js';

/** `deltawarm plan`: the coverage report of a dry run; writes nothing but the report files asked for. */
export function planCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return addRunOptions(new Command('plan'))
    .description('compute and verify every patch, print the coverage report, publish nothing')
    .action(async (_flags, command: Command) => {
      const { options, result } = await runPrewarm(command, io);
      await emitReport(result.report, options.output, io);
      setExitCode(result.report.failures.length > 0 ? EXIT.failure : EXIT.ok);
    });
}
