/**
 * `npm run bench`: runs each benchmark section in turn and prints its report.
 * Arguments are passed to every section (e.g. --baselines=none).
 */
import { main as diffEngine } from './diff-engine.js';

const sections: Array<[name: string, run: (args: string[]) => Promise<string>]> = [['diff engine', diffEngine]];

for (const [name, run] of sections) {
  process.stderr.write(`== ${name}\n`);
  console.log(await run(process.argv.slice(2)));
}
