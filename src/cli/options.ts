import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../errors.js';
import { openRepository } from '../git/repository.js';
import { prefixProblem } from '../history/read-back.js';
import { holdsCredentials } from '../text/redact.js';
import { existingDirectoryStore, httpStore, type HistoryStore } from '../history/store.js';
import type { WindowKind } from '../source/committed-source.js';
import { DEFAULTS, type PrewarmOptions } from '../index.js';
import { DEFAULT_NETWORK, type NetworkOptions } from '../network/deadlines.js';
import { PATCH_FORMATS, type PatchFormat } from '../types.js';
import { type Config, type ConfigKey, loadConfig } from './config-file.js';
import type { CliIO } from './io.js';
import type { WorkerConfig, WorkerSource } from '../tree/runtime-files.js';
import { BUILT_WORKER_PATH, readBuiltWorker } from '../source/built-worker.js';

/**
 * Options shared by every command that runs the pipeline. Each is settable by flag,
 * DELTAWARM_* environment variable, or config key; precedence flag > env > config > default.
 */
interface Setting<T> {
  flags: string;
  description: string;
  env: string;
  config: ConfigKey;
  parse: (value: string, previous: T) => T;
  fromConfig: (value: unknown) => T;
}

/** A commander parser for a whole number of at least `min`. */
export const whole = (name: string, min: number) => (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new InvalidArgumentError(`${name} must be a whole number of at least ${min}.`);
  return number;
};

/** Decimal units as the reports print them (kB = 1000 bytes), binary ones by their IEC names. */
const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };
function parseSize(value: string): number {
  const match = /^(\d+)\s*([kmg]i?b|b)?$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError('a size is bytes, optionally with kB, MB, GB (1000-based) or KiB, MiB, GiB (1024-based), e.g. 10MiB.');
  return Number(match[1]) * (SIZE_UNITS[(match[2] ?? '').toLowerCase()] as number);
}

function parseRatio(value: string): number {
  const number = Number(value);
  if (!(number > 0)) throw new InvalidArgumentError('the ratio must be a number above 0, e.g. 0.5.');
  return number;
}

/** A duration: 500ms, 15s, 2m; a bare number is seconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i.exec(value.trim());
  const scale: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };
  const result = match ? Math.round(Number(match[1]) * (scale[(match[2] ?? 's').toLowerCase()] as number)) : 0;
  if (!(result > 0)) throw new InvalidArgumentError('a duration is a positive number with ms, s or m (seconds when bare), e.g. 15s.');
  return result;
}

const WINDOWS: readonly WindowKind[] = ['deployed', 'commits'];
function parseWindow(value: string): WindowKind {
  if (!(WINDOWS as readonly string[]).includes(value)) throw new InvalidArgumentError(`the window is one of ${WINDOWS.join(', ')}.`);
  return value as WindowKind;
}

/** Keys go under the prefix: a `..` in it would write outside the tree or the bucket's prefix. */
function parsePrefix(value: string): string {
  const problem = prefixProblem(value);
  if (problem) throw new InvalidArgumentError(`the prefix ${problem}: give a relative path such as static/v1.`);
  return value;
}

function parseFormat(value: string): PatchFormat {
  if (!(PATCH_FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`the patch format is one of ${PATCH_FORMATS.join(', ')}.`);
  return value as PatchFormat;
}

/** CDN base URLs are joined with keys, so each must be an absolute URL ending in `/`. */
export function parseCdn(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not an absolute URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidArgumentError(`"${value}" is not an http(s) URL.`);
  if (url.username || url.password) throw new InvalidArgumentError('a CDN URL must not hold credentials: it is published in the manifest.');
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** A site origin (`https://www.example.com`), from a URL of the site: what a browser sends as `Origin`. */
export function siteOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not an absolute URL: give the site's origin, e.g. https://www.example.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidArgumentError(`"${value}" is not an http(s) URL.`);
  return url.origin;
}

const list = <T>(one: (value: string) => T) => (value: string, previous: T[]) => [...previous, one(value)];
const single = <T>(one: (value: string) => T) => (value: string) => one(value);

function configList<T>(one: (value: string) => T) {
  return (value: unknown) => (Array.isArray(value) ? value : [value]).map((item) => one(String(item)));
}
const configOne = <T>(one: (value: string) => T) => (value: unknown) => one(String(value));

const SETTINGS = {
  assets: { flags: '--assets <glob>', description: 'asset globs, repo-relative (repeatable; env: one per line)', env: 'DELTAWARM_ASSETS', config: 'assets', parse: list(String), fromConfig: configList(String) },
  versions: { flags: '--versions <n>', description: 'older versions per asset to patch from', env: 'DELTAWARM_VERSIONS', config: 'versions', parse: single(whole('--versions', 1)), fromConfig: configOne(whole('versions', 1)) },
  release: { flags: '--release <rev>', description: 'the commit being deployed', env: 'DELTAWARM_RELEASE', config: 'release', parse: single(String), fromConfig: configOne(String) },
  concurrency: { flags: '--concurrency <n>', description: 'diff worker threads', env: 'DELTAWARM_CONCURRENCY', config: 'concurrency', parse: single(whole('--concurrency', 1)), fromConfig: configOne(whole('concurrency', 1)) },
  patchFormat: { flags: '--patch-format <form>', description: 'patch form: delta, tab or json', env: 'DELTAWARM_PATCH_FORMAT', config: 'patchFormat', parse: single(parseFormat), fromConfig: configOne(parseFormat) },
  prefix: { flags: '--prefix <prefix>', description: 'storage key prefix', env: 'DELTAWARM_PREFIX', config: 'prefix', parse: single(parsePrefix), fromConfig: configOne(parsePrefix) },
  cdn: { flags: '--cdn <url>', description: 'CDN base URL for the manifest, in order of preference (repeatable)', env: 'DELTAWARM_CDN', config: 'cdns', parse: list(parseCdn), fromConfig: configList(parseCdn) },
  maxPatchRatio: { flags: '--max-patch-ratio <r>', description: 'skip patches whose gzip size is over r times the gzipped full file', env: 'DELTAWARM_MAX_PATCH_RATIO', config: 'maxPatchRatio', parse: single(parseRatio), fromConfig: configOne(parseRatio) },
  maxSize: { flags: '--max-size <bytes>', description: 'publish larger files whole, never diffed (e.g. 10MiB; kB = 1000 bytes)', env: 'DELTAWARM_MAX_SIZE', config: 'maxSize', parse: single(parseSize), fromConfig: configOne(parseSize) },
  dir: { flags: '--dir <dir>', description: 'built mode: the build directory; --assets globs are relative to it', env: 'DELTAWARM_DIR', config: 'dir', parse: single(String), fromConfig: configOne(String) },
  history: { flags: '--history <dir|url>', description: 'read earlier deploys from this tree (directory or HTTP base, e.g. a CDN)', env: 'DELTAWARM_HISTORY', config: 'history', parse: single(String), fromConfig: configOne(String) },
  window: { flags: '--window <kind>', description: 'committed mode: deployed or commits', env: 'DELTAWARM_WINDOW', config: 'window', parse: single(parseWindow), fromConfig: configOne(parseWindow) },
  connectTimeout: { flags: '--connect-timeout <duration>', description: 'network: time to open a connection to a store or history source', env: 'DELTAWARM_CONNECT_TIMEOUT', config: 'connectTimeout', parse: single(parseDuration), fromConfig: configOne(parseDuration) },
  requestTimeout: { flags: '--request-timeout <duration>', description: 'network: time to an answer, and the longest silence within a body', env: 'DELTAWARM_REQUEST_TIMEOUT', config: 'requestTimeout', parse: single(parseDuration), fromConfig: configOne(parseDuration) },
  attempts: { flags: '--attempts <n>', description: 'network: tries per request, the first included (backoff between them)', env: 'DELTAWARM_ATTEMPTS', config: 'attempts', parse: single(whole('--attempts', 1)), fromConfig: configOne(whole('attempts', 1)) },
  networkDeadline: { flags: '--network-deadline <duration>', description: 'network: the longest one request may take, every try included', env: 'DELTAWARM_NETWORK_DEADLINE', config: 'networkDeadline', parse: single(parseDuration), fromConfig: configOne(parseDuration) },
  hashPattern: { flags: '--hash-pattern <regex>', description: 'the content hash in built file names, stripped for the logical name', env: 'DELTAWARM_HASH_PATTERN', config: 'hashPattern', parse: single(String), fromConfig: configOne(String) },
} satisfies Record<string, Setting<any>>;

type SettingName = keyof typeof SETTINGS;

const DEFAULT_VALUES: Record<SettingName, unknown> = {
  assets: [],
  versions: DEFAULTS.versions,
  release: DEFAULTS.release,
  concurrency: DEFAULTS.concurrency,
  patchFormat: DEFAULTS.patchFormat,
  prefix: '',
  cdn: [],
  maxPatchRatio: DEFAULTS.maxPatchRatio,
  maxSize: DEFAULTS.maxSize,
  dir: undefined,
  history: undefined,
  window: undefined,
  hashPattern: DEFAULTS.hashPattern,
  connectTimeout: DEFAULT_NETWORK.connectTimeoutMs,
  requestTimeout: DEFAULT_NETWORK.requestTimeoutMs,
  attempts: DEFAULT_NETWORK.attempts,
  networkDeadline: DEFAULT_NETWORK.deadlineMs,
};

const DEFAULT_LABELS: Partial<Record<SettingName, string>> = {
  concurrency: 'available cores',
  maxSize: '10MiB',
  prefix: 'none',
  dir: 'none: committed mode',
  history: 'build: the tree at --out; push: the first parts "all" target',
  window: 'deployed when the history has a deploy index, else commits',
  hashPattern: 'Vite and webpack names',
  connectTimeout: `${DEFAULT_NETWORK.connectTimeoutMs / 1000}s`,
  requestTimeout: `${DEFAULT_NETWORK.requestTimeoutMs / 1000}s`,
  networkDeadline: `${DEFAULT_NETWORK.deadlineMs / 1000}s`,
};

/** Adds the pipeline options and the output options to a command. */
export function addRunOptions(command: Command): Command {
  command.option('--repo <dir>', 'a directory inside the git repository (default: current directory)');
  command.option('--config <file>', 'config file (default: deltawarm.config.json at the repo root; env: DELTAWARM_CONFIG)');
  for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, Setting<unknown>][]) {
    const defaultValue = DEFAULT_VALUES[name];
    const description = `${setting.description} (env: ${setting.env})`;
    command.addOption(new Option(setting.flags, description).argParser(setting.parse).default(defaultValue, DEFAULT_LABELS[name] ?? describeDefault(defaultValue)));
  }
  command.option('--deepen', 'fetch deeper history when a shallow clone cuts a window short (default: on when CI is set; env DELTAWARM_DEEPEN)');
  command.option('--no-deepen', 'never fetch more history');
  command.option('--first-deploy', 'this is the first deploy: a history source without a deploy index is expected (env DELTAWARM_FIRST_DEPLOY, config firstDeploy)');
  command.option('--json', 'print only the report JSON on stdout');
  command.option('--report <file>', 'write the report JSON to a file');
  command.option('--markdown <file>', 'write the report as Markdown (for a GitHub job summary; kept under its 1 MiB limit)');
  command.option('--html <file>', 'write the report as one self-contained HTML page with charts');
  command.option('--verbose', 'list every asset and older version, not only the assets that matter most');
  command.option('--quiet', 'no progress output');
  return command;
}

const describeDefault = (value: unknown) => (Array.isArray(value) ? (value.length ? value.join(', ') : 'none') : String(value));

export interface OutputOptions {
  json: boolean;
  report?: string;
  markdown?: string;
  html?: string;
  verbose: boolean;
  quiet: boolean;
}

export interface RunOptions {
  prewarm: PrewarmOptions;
  /** Timeouts, attempts and deadline of every request to a store or history source. */
  network: NetworkOptions;
  prefix: string;
  output: OutputOptions;
  config: Config;
}

/** Resolves a parsed command's options: flag > env > config > default. */
export async function resolveRunOptions(command: Command, io: CliIO): Promise<RunOptions> {
  const flags = command.opts();
  const repo = resolve(io.cwd, (flags.repo as string | undefined) ?? io.env.DELTAWARM_REPO ?? '.');
  const explicitConfig = (flags.config as string | undefined) ?? io.env.DELTAWARM_CONFIG;
  const root = explicitConfig ? repo : (await openRepository(repo)).dir;
  const config = await loadConfig(explicitConfig, root, io.cwd);
  const value = <T>(name: SettingName): T => {
    const setting = SETTINGS[name] as Setting<unknown>;
    if (command.getOptionValueSource(name) === 'cli') return flags[name] as T;
    const fromEnv = io.env[setting.env];
    if (fromEnv !== undefined && fromEnv !== '') return parseEnv(setting, fromEnv, DEFAULT_VALUES[name]) as T;
    const configured = config[setting.config];
    if (configured === undefined) return flags[name] as T;
    try {
      return setting.fromConfig(configured) as T;
    } catch (error) {
      throw new UsageError(`config ${config.source}: "${setting.config}": ${(error as Error).message}`);
    }
  };
  const dir = value<string | undefined>('dir');
  const history = value<string | undefined>('history');
  const window = value<WindowKind | undefined>('window');
  const network: NetworkOptions = { connectTimeoutMs: value('connectTimeout'), requestTimeoutMs: value('requestTimeout'), attempts: value('attempts'), deadlineMs: value('networkDeadline') };
  return {
    network,
    prewarm: {
      repo,
      ...(dir ? { dir: resolve(io.cwd, dir) } : {}),
      ...(history ? { history: await openHistory(history, io.cwd, network), historyRequired: true } : {}),
      ...(window ? { window } : {}),
      hashPattern: value('hashPattern'),
      assets: value('assets'),
      versions: value('versions'),
      release: value('release'),
      concurrency: value('concurrency'),
      patchFormat: value('patchFormat'),
      cdns: value('cdn'),
      maxPatchRatio: value('maxPatchRatio'),
      maxSize: value('maxSize'),
      deepen: resolveDeepen(flags.deepen as boolean | undefined, io.env, config),
      firstDeploy: resolveSwitch('firstDeploy', 'DELTAWARM_FIRST_DEPLOY', flags.firstDeploy as boolean | undefined, io.env, config),
    },
    prefix: value('prefix'),
    output: {
      json: Boolean(flags.json),
      report: flags.report as string | undefined,
      markdown: flags.markdown as string | undefined,
      html: flags.html as string | undefined,
      verbose: Boolean(flags.verbose),
      quiet: Boolean(flags.quiet),
    },
    config,
  };
}

/** `--history`: an http(s) base, else a directory. */
async function openHistory(spec: string, cwd: string, network: NetworkOptions): Promise<HistoryStore> {
  if (!/^https?:\/\//i.test(spec)) return existingDirectoryStore(resolve(cwd, spec));
  if (holdsCredentials(spec)) throw new UsageError('--history: the URL holds credentials, which deltawarm neither sends nor prints (read the history through a URL without them)');
  try {
    return httpStore(parseCdn(spec), network);
  } catch (error) {
    throw new UsageError(`--history: ${(error as Error).message}`);
  }
}

/** An env variable holds one value, or for list settings one value per line. */
function parseEnv(setting: Setting<unknown>, raw: string, initial: unknown): unknown {
  const values = Array.isArray(initial) ? raw.split('\n').map((line) => line.trim()).filter(Boolean) : [raw];
  try {
    return values.reduce((previous, value) => setting.parse(value, previous), initial);
  } catch (error) {
    throw new UsageError(`${setting.env}: ${(error as Error).message}`);
  }
}

/** Commander folds --deepen/--no-deepen into one value; env and config come after it, CI decides the default. */
function resolveDeepen(flag: boolean | undefined, env: CliIO['env'], config: Config): boolean {
  return resolveSwitch('deepen', 'DELTAWARM_DEEPEN', flag, env, config) ?? inCi(env);
}

/** A yes/no setting: flag > env (0, false, no, off or empty say no) > config (true or false). */
function resolveSwitch(key: ConfigKey, variable: string, flag: boolean | undefined, env: CliIO['env'], config: Config): boolean | undefined {
  if (flag !== undefined) return flag;
  const fromEnv = env[variable];
  if (fromEnv !== undefined) return !/^(0|false|no|off)?$/i.test(fromEnv.trim());
  const configured = config[key];
  if (typeof configured === 'boolean') return configured;
  if (configured !== undefined) throw new UsageError(`config ${config.source}: "${key}" must be true or false`);
  return undefined;
}

/** The CI convention (GitHub Actions, GitLab, CircleCI ... set CI=true). */
export const inCi = (env: CliIO['env']) => Boolean(env.CI) && env.CI !== 'false';

/** Options of the commands that write a tree: which runtime files go into it (besides deltawarm.min.js, always). */
export function addRuntimeOptions(command: Command): Command {
  return command
    .option('--sw', 'also write deltawarm-sw.js, the service worker runtime configured for this tree')
    .addOption(new Option('--sw-base <path>', 'with --sw: the public base path the built files are served under, like Vite\'s base (default: /)').argParser(parseBase).env('DELTAWARM_SW_BASE'))
    .addOption(new Option('--sw-manifest <url>', 'with --sw: URL of manifest/latest.json, relative to the worker (default: beside it, on the site\'s origin)').env('DELTAWARM_SW_MANIFEST'))
    .option('--no-sw-held', 'with --sw: send no visit beacon (SPEC §12), so `deltawarm traffic` cannot tell misses from new visitors');
}

export interface RuntimeFlags {
  sw?: boolean;
  swBase?: string;
  swManifest?: string;
  /** Commander's value of --no-sw-held: false when given. */
  swHeld?: boolean;
}

/** The runtime options as parsed: the worker's configuration, or undefined without --sw. */
export function resolveWorkerConfig(flags: RuntimeFlags): WorkerConfig | undefined {
  if (!flags.sw) {
    if (flags.swBase !== undefined || flags.swManifest !== undefined) throw new UsageError('--sw-base and --sw-manifest configure the worker: add --sw');
    if (flags.swHeld === false) throw new UsageError('--no-sw-held configures the worker: add --sw');
    return undefined;
  }
  return { ...(flags.swBase !== undefined && { base: flags.swBase }), ...(flags.swManifest !== undefined && { manifest: flags.swManifest }), ...(flags.swHeld === false && { held: false as const }) };
}

/**
 * The tree's worker: configured by --sw, or the one the Vite plugin wrote into --dir (published
 * as it is); both at once would be two workers for one site.
 */
export async function resolveWorker(flags: RuntimeFlags, dir: string | undefined): Promise<WorkerSource | undefined> {
  const configured = resolveWorkerConfig(flags);
  const built = dir === undefined ? undefined : await readBuiltWorker(dir);
  if (built === undefined) return configured;
  if (configured) throw new UsageError(`--dir ${dir} holds ${BUILT_WORKER_PATH} from the Vite plugin (deltawarm/vite): leave out --sw, --sw-base and --sw-manifest and configure the worker in the plugin`);
  return { script: built };
}

/** A public base path (`/app/`) or an absolute http(s) URL; always ends in `/`. */
function parseBase(value: string): string {
  const base = value.endsWith('/') ? value : `${value}/`;
  if (base.startsWith('/') && !base.startsWith('//')) return base;
  return parseCdn(base);
}
