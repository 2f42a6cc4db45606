/**
 * `npm run bench`: runs each benchmark section in turn and prints its report (Markdown).
 * Arguments are passed to every section (e.g. --baselines=none --runs=3).
 * Needs ../shared/data (real jQuery releases); the patch-size section needs the zstd CLI and,
 * once, the npm registry (bench/data/make-npm-set.sh); the push section also needs Ceph RGW
 * (`radosgw ceph-mon ceph-osd`, as .ci/run installs).
 */
import { main as actionStartup } from './action-startup.js';
import { main as allCores } from './all-cores.js';
import { main as buildWall } from './build-wall.js';
import { main as diffEngine } from './diff-engine.js';
import { main as historyScale } from './history-scale.js';
import { main as patchSize } from './patch-size.js';
import { main as push } from './push.js';
import { main as scale } from './scale.js';
import { main as shardBuild } from './shard-build.js';

const sections: Array<[name: string, run: (args: string[]) => Promise<string>]> = [
  ['diff engine', diffEngine],
  ['patch sizes against zstd --patch-from', patchSize],
  ['build wall time', buildWall],
  ['all cores (300 assets x 10 versions)', allCores],
  ['10,000 assets', scale],
  ['history at scale', historyScale],
  ['push to a local S3 store', push],
  ['Action start-up', actionStartup],
  ['four shards and finish', shardBuild],
];

for (const [name, run] of sections) {
  process.stderr.write(`== ${name}\n`);
  console.log(`### ${name}\n\n${await run(process.argv.slice(2))}\n`);
}
