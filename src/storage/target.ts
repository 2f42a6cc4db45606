import { UsageError } from '../errors.js';
import { prefixProblem } from '../history/read-back.js';
import type { StoredObject } from '../tree/stored-object.js';

/**
 * One S3-compatible store that receives the static tree. Every object goes to every target
 * that takes it; targets back each other up and are published independently.
 */
export interface StorageTarget {
  name: string;
  bucket: string;
  /** Key prefix inside the bucket, may be empty. */
  prefix: string;
  /** Endpoint URL of a non-AWS store (R2, Ceph RGW, MinIO...); absent for AWS S3. */
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  /**
   * `all`: the whole tree. `full`: a full-file fallback store, which receives only `full/`
   * keys and therefore no manifest (a manifest there would list patches the store lacks).
   */
  parts: TargetParts;
  /** Credentials from this named profile of the shared AWS config files. */
  profile?: string;
  /** Credentials from `<envPrefix>ACCESS_KEY_ID`, `<envPrefix>SECRET_ACCESS_KEY` (and `SESSION_TOKEN`). */
  envPrefix?: string;
}

export type TargetParts = 'all' | 'full';
const PARTS: readonly TargetParts[] = ['all', 'full'];

const KNOWN = new Set(['name', 'bucket', 'prefix', 'endpoint', 'region', 'forcePathStyle', 'parts', 'profile', 'envPrefix']);
/** Credentials never come from config or flags: they would end up in repositories and logs. */
const SECRET_FIELDS = ['accessKeyId', 'secretAccessKey', 'sessionToken', 'credentials'];

/** The objects a target receives, in the order given. */
export function objectsFor(target: StorageTarget, objects: readonly StoredObject[]): StoredObject[] {
  return target.parts === 'all' ? [...objects] : objects.filter((object) => object.key.startsWith('full/'));
}

/** Validates targets from the config file (`source` names where they came from, for messages). */
export function parseTargets(raw: unknown, source: string): StorageTarget[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new UsageError(`${source}: targets must be a non-empty array`);
  const targets = raw.map((entry, index) => parseTarget(entry, `${source}: targets[${index}]`));
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target.name)) throw new UsageError(`${source}: two targets are named "${target.name}"`);
    seen.add(target.name);
  }
  return targets;
}

export function parseTarget(raw: unknown, where: string): StorageTarget {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${where} must be an object`);
  const entry = raw as Record<string, unknown>;
  const secret = SECRET_FIELDS.find((field) => field in entry);
  if (secret) throw new UsageError(`${where}: "${secret}" is not allowed; use profile, envPrefix or the AWS default credential chain`);
  const unknown = Object.keys(entry).find((field) => !KNOWN.has(field));
  if (unknown) throw new UsageError(`${where}: unknown field "${unknown}"`);

  const name = requiredString(entry, 'name', where);
  const bucket = requiredString(entry, 'bucket', where);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new UsageError(`${where}: "${bucket}" is not a valid bucket name`);
  const prefix = optionalString(entry, 'prefix', where) ?? '';
  const badPrefix = prefixProblem(prefix);
  if (badPrefix) throw new UsageError(`${where}: the prefix ${badPrefix} (give a relative path such as static/v1)`);
  const target: StorageTarget = { name, bucket, prefix, parts: parseParts(entry.parts, where) };
  const endpoint = optionalString(entry, 'endpoint', where);
  if (endpoint !== undefined) target.endpoint = parseEndpoint(endpoint, where);
  const region = optionalString(entry, 'region', where);
  if (region !== undefined) target.region = region;
  if (entry.forcePathStyle !== undefined) {
    if (typeof entry.forcePathStyle !== 'boolean') throw new UsageError(`${where}: forcePathStyle must be true or false`);
    target.forcePathStyle = entry.forcePathStyle;
  }
  const profile = optionalString(entry, 'profile', where);
  const envPrefix = optionalString(entry, 'envPrefix', where);
  if (profile !== undefined && envPrefix !== undefined) throw new UsageError(`${where}: give profile or envPrefix, not both`);
  if (profile !== undefined) target.profile = profile;
  if (envPrefix !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envPrefix)) throw new UsageError(`${where}: envPrefix "${envPrefix}" is not an environment variable prefix`);
    target.envPrefix = envPrefix;
  }
  return target;
}

function requiredString(entry: Record<string, unknown>, field: string, where: string): string {
  const value = optionalString(entry, field, where);
  if (value === undefined || value === '') throw new UsageError(`${where}: "${field}" is required`);
  return value;
}

function optionalString(entry: Record<string, unknown>, field: string, where: string): string | undefined {
  const value = entry[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError(`${where}: "${field}" must be a string`);
  return value;
}

function parseParts(value: unknown, where: string): TargetParts {
  if (value === undefined) return 'all';
  if (!PARTS.includes(value as TargetParts)) throw new UsageError(`${where}: parts must be "all" or "full"`);
  return value as TargetParts;
}

function parseEndpoint(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${where}: endpoint "${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${where}: endpoint must be http(s)`);
  if (url.username || url.password) throw new UsageError(`${where}: endpoint must not carry credentials`);
  return value;
}
