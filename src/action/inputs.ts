/**
 * Maps the Action's inputs to deltawarm CLI arguments, so that the Action and `npx deltawarm`
 * behave the same in every respect (options, config file, exit codes).
 */
export type Inputs = (name: string) => string;

/** The runner passes each input of a JavaScript action as this variable (hyphens are kept). */
export const inputVariable = (name: string) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

export const COMMANDS = ['plan', 'build', 'push', 'finish'] as const;
export type ActionCommand = (typeof COMMANDS)[number];

const lines = (value: string) => value.split('\n').map((line) => line.trim()).filter(Boolean);

/** Inputs that become one flag each when set; list inputs take one value per line. */
export const FLAGS: Array<[input: string, flag: string, kind: 'value' | 'list' | 'switch', commands?: readonly ActionCommand[]]> = [
  ['working-directory', '--repo', 'value'],
  ['config', '--config', 'value'],
  ['assets', '--assets', 'list'],
  ['versions', '--versions', 'value'],
  ['release', '--release', 'value'],
  ['concurrency', '--concurrency', 'value'],
  ['patch-format', '--patch-format', 'value'],
  ['prefix', '--prefix', 'value'],
  ['cdns', '--cdn', 'list'],
  ['max-patch-ratio', '--max-patch-ratio', 'value'],
  ['dir', '--dir', 'value'],
  ['history', '--history', 'value'],
  ['window', '--window', 'value'],
  ['hash-pattern', '--hash-pattern', 'value'],
  ['first-deploy', '--first-deploy', 'switch'],
  ['out', '--out', 'value', ['build', 'finish']],
  ['sw', '--sw', 'switch', ['build', 'push', 'finish']],
  ['sw-base', '--sw-base', 'value', ['build', 'push', 'finish']],
  ['sw-manifest', '--sw-manifest', 'value', ['build', 'push', 'finish']],
  ['shard', '--shard', 'value', ['build', 'push']],
  ['shards', '--shards', 'value', ['finish']],
  ['dry-run', '--dry-run', 'switch', ['push']],
  ['warm', '--warm', 'switch', ['push']],
];

export function commandOf(inputs: Inputs): ActionCommand | undefined {
  const command = inputs('command') || 'plan';
  return (COMMANDS as readonly string[]).includes(command) ? (command as ActionCommand) : undefined;
}

export function cliArguments(command: ActionCommand, inputs: Inputs, reportFile: string, summaryFile: string | undefined): string[] {
  const args: string[] = [command];
  for (const [input, flag, kind, commands] of FLAGS) {
    const value = inputs(input);
    if (value === '' || (commands && !commands.includes(command))) continue;
    if (kind === 'list') for (const item of lines(value)) args.push(flag, item);
    else if (kind === 'switch') {
      if (value === 'true') args.push(flag);
    } else args.push(flag, value);
  }
  args.push('--report', reportFile, '--quiet');
  if (summaryFile) args.push('--markdown', summaryFile);
  return args;
}
