import { pathToFileURL } from 'node:url';

/** Runs a benchmark's `main` when its file is the script node was started with, printing its report. */
export function runIfMain(moduleUrl: string, main: (args: string[]) => Promise<string>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  main(process.argv.slice(2)).then(
    (report) => console.log(report),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
