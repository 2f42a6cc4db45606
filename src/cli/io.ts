/** The process as the CLI sees it; injected so tests run the real CLI in-process. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** stderr is a terminal (spinners allowed). */
  isTTY: boolean;
}

export function processIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    // A terminal that reports no width (some CI pseudo-terminals) makes ora redraw without end.
    isTTY: Boolean(process.stderr.isTTY) && process.stderr.columns > 0,
  };
}
