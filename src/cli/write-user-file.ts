import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { redactCredentials } from '../text/redact.js';

/** Writes a file the user named with a flag (credentials in URLs redacted); failing to is their environment, not a bug. */
export async function writeUserFile(cwd: string, path: string, flag: string, content: string): Promise<void> {
  const file = resolve(cwd, path);
  try {
    await writeFile(file, redactCredentials(content));
  } catch (error) {
    throw new EnvironmentError(`cannot write ${flag} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (check the path)`);
  }
}
