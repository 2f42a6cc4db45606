import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { EnvironmentError } from '../errors.js';

interface Pending {
  resolve: (bytes: Uint8Array) => void;
  reject: (error: Error) => void;
}

/**
 * Reads blob contents through one long-lived `git cat-file --batch`: one process for every
 * blob of a run, instead of one per asset and version.
 */
export class BlobReader {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private chunks: Buffer[] = [];
  private received = 0;
  /** Bytes the object at the front needs, so that a large blob is joined once, not per chunk. */
  private needed = 0;
  private failure: Error | undefined;

  constructor(dir: string) {
    this.child = spawn('git', ['cat-file', '--batch'], { cwd: dir });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.on('error', (error) => this.fail(new EnvironmentError(`git cat-file failed: ${error.message}`)));
    this.child.on('close', () => this.fail(new EnvironmentError('git cat-file exited early')));
    this.child.stdin.on('error', (error) => this.fail(new EnvironmentError(`git cat-file failed: ${error.message}`)));
  }

  read(blob: string): Promise<Uint8Array> {
    if (this.failure) return Promise.reject(this.failure);
    // One name per line: a newline in a name would put every later answer out of step.
    if (/[\r\n]/.test(blob)) return Promise.reject(new EnvironmentError(`git object name ${JSON.stringify(blob.slice(0, 60))} holds a line break`));
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin.write(`${blob}\n`);
    });
  }

  close(): void {
    this.failure ??= new EnvironmentError('blob reader closed');
    this.child.stdin.end();
  }

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.received += chunk.length;
    if (this.received < this.needed) return;
    this.buffer = Buffer.concat([this.buffer, ...this.chunks]);
    this.chunks = [];
    this.received = this.buffer.length;
    this.needed = 0;
    while (this.takeOne());
    this.received = this.buffer.length;
  }

  /** Parses `<sha> blob <size>\n<bytes>\n` or `<name> missing\n` off the front of the buffer. */
  private takeOne(): boolean {
    const newline = this.buffer.indexOf(0x0a);
    if (newline < 0 || this.pending.length === 0) return false;
    const header = this.buffer.subarray(0, newline).toString('utf8');
    // A name may be `REV:PATH` with spaces in PATH, so match the header from its end.
    const found = /^[0-9a-f]+ \S+ (\d+)$/.exec(header);
    if (!found) {
      this.buffer = this.buffer.subarray(newline + 1);
      this.pending.shift()?.reject(new EnvironmentError(`git object ${header.replace(/ (missing|ambiguous)$/, '')} is ${header.endsWith(' ambiguous') ? 'ambiguous' : 'missing'}`));
      return true;
    }
    const end = newline + 1 + Number(found[1]);
    if (this.buffer.length < end + 1) {
      this.needed = end + 1;
      return false;
    }
    const bytes = new Uint8Array(this.buffer.subarray(newline + 1, end));
    this.buffer = this.buffer.subarray(end + 1);
    this.pending.shift()?.resolve(bytes);
    return true;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.splice(0)) waiter.reject(this.failure);
  }
}
