import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { renderVerify } from '../../report/verify-table.js';
import { type GitOldText, gitOldText } from '../../verify/git-old-text.js';
import { loadManifest } from '../../verify/load-manifest.js';
import { verify } from '../../verify/verify.js';
import { EXIT } from '../exit-code.js';
import type { CliIO } from '../io.js';
import { parseCdn, siteOrigin, whole } from '../options.js';
import { writeUserFile } from '../write-user-file.js';

interface VerifyFlags {
  manifest?: string;
  base: string[];
  repo?: string;
  origin?: string;
  concurrency: number;
  json?: boolean;
  report?: string;
}

const baseUrl = (value: string, previous: string[]) => [...previous, parseCdn(value)];

/**
 * `deltawarm verify`: the post-deploy smoke test. Fetches everything a manifest lists through
 * each CDN (or --base URLs) and checks it; with --repo, applies each patch to its old version.
 * Exit 1 on any mismatch or a base that does not answer.
 */
export function verifyCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return new Command('verify')
    .description('fetch every object of a manifest through each CDN and check it (post-deploy smoke test)')
    .addOption(new Option('--manifest <file|url>', 'the manifest to verify, e.g. https://cdn.example.com/static/manifest/latest.json').env('DELTAWARM_MANIFEST'))
    .addOption(new Option('--base <url>', 'check through this base URL instead of the manifest cdns (repeatable; e.g. the store)').argParser(baseUrl).default([]))
    .option('--repo <dir>', 'git repository: apply each patch to its old version (otherwise patches are validated only)')
    .addOption(new Option('--origin <url>', "the site's origin (e.g. https://www.example.com): each CDN must answer its asset requests with a matching Access-Control-Allow-Origin").argParser(siteOrigin))
    .addOption(new Option('--concurrency <n>', 'requests in flight per base').argParser(whole('--concurrency', 1)).default(8))
    .option('--json', 'print only the result JSON on stdout')
    .option('--report <file>', 'write the result JSON to a file')
    .action(async (flags: VerifyFlags) => {
      if (!flags.manifest) throw new UsageError('pass --manifest FILE|URL (or set DELTAWARM_MANIFEST)');
      const { manifest, url } = await loadManifest(flags.manifest, io.cwd);
      const bases = flags.base.length > 0 ? flags.base : manifest.cdns.length > 0 ? manifest.cdns : url ? [treeBase(url)] : [];
      if (bases.length === 0) throw new UsageError('the manifest lists no cdns: pass --base URL');
      let git: GitOldText | undefined;
      try {
        git = flags.repo ? await gitOldText(resolve(io.cwd, flags.repo)) : undefined;
        const result = await verify(manifest, { bases, concurrency: flags.concurrency, ...(git ? { oldText: git.oldText } : {}), ...(flags.origin ? { origin: flags.origin } : {}) });
        const json = JSON.stringify(result, null, 2) + '\n';
        io.stdout(flags.json ? json : renderVerify(result));
        if (flags.report) await writeUserFile(io.cwd, flags.report, '--report', json);
        setExitCode(result.ok ? EXIT.ok : EXIT.failure);
      } finally {
        git?.close();
      }
    });
}

/** Where a manifest's keys are relative to: the URL with `manifest/NAME.json` taken off. */
function treeBase(url: string): string {
  return new URL('..', url).href;
}
