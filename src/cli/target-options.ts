import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { type StorageTarget, parseTarget, parseTargets } from '../storage/target.js';
import type { RunOptions } from './options.js';

/** The single-target flags of push and finish (otherwise targets come from the config). */
export interface TargetFlags {
  bucket?: string;
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  profile?: string;
  envPrefix?: string;
}

export function addTargetOptions(command: Command): Command {
  return command
    .addOption(new Option('--bucket <name>', 'single target: the bucket (replaces config targets)').env('DELTAWARM_BUCKET'))
    .addOption(new Option('--endpoint <url>', 'single target: endpoint of a non-AWS store').env('DELTAWARM_ENDPOINT'))
    .addOption(new Option('--region <region>', 'single target: region').env('DELTAWARM_REGION'))
    .option('--force-path-style', 'single target: path-style URLs (Ceph RGW, MinIO)')
    .option('--profile <name>', 'single target: credentials from this AWS profile')
    .option('--env-prefix <prefix>', 'single target: credentials from PREFIXACCESS_KEY_ID / PREFIXSECRET_ACCESS_KEY');
}

export function resolveTargets(flags: TargetFlags, options: Pick<RunOptions, 'prefix' | 'config'>): StorageTarget[] {
  const singleOnly = (['endpoint', 'region', 'forcePathStyle', 'profile', 'envPrefix'] as const).find((name) => flags[name] !== undefined);
  if (flags.bucket) {
    const raw = { name: flags.bucket, bucket: flags.bucket, prefix: options.prefix, endpoint: flags.endpoint, region: flags.region, forcePathStyle: flags.forcePathStyle, profile: flags.profile, envPrefix: flags.envPrefix };
    return [parseTarget(Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined)), 'flags')];
  }
  if (singleOnly) throw new UsageError(`--${singleOnly.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --bucket (or targets in the config)`);
  const configured = options.config.targets;
  if (configured === undefined) throw new UsageError('no targets: pass --bucket NAME or add "targets" to deltawarm.config.json');
  const withPrefix = Array.isArray(configured) ? configured.map((entry) => (entry && typeof entry === 'object' && !('prefix' in entry) ? { ...entry, prefix: options.prefix } : entry)) : configured;
  return parseTargets(withPrefix, `config ${options.config.source}`);
}
