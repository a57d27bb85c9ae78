import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The package as an operator gets it: `npm pack` (whose prepack script builds dist/cli.js), then installed into
 * an empty directory with production dependencies only. The install is `npm ci --omit=dev --offline` against a
 * lockfile derived from the repository's (the same pinned versions an `npm install --omit=dev <tarball>` would
 * resolve), so it runs from npm's cache, which the repository's `npm ci` filled, without a network.
 */

const run = promisify(execFile);
const REPO_ROOT = join(import.meta.dirname, '..', '..');
const NPM_ENV = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

export interface PackedInstall {
  /** Paths inside the tarball, as `npm pack --json` lists them. */
  readonly files: readonly string[];
  /** The installing project: its node_modules holds the package and its production dependencies. */
  readonly directory: string;
  /** The installed `bin`. */
  readonly bin: string;
}

interface LockEntry {
  readonly dev?: boolean;
  readonly devOptional?: boolean;
  readonly [key: string]: unknown;
}

interface Lockfile {
  readonly packages: Record<string, LockEntry>;
}

/** Packs the repository into `workDir` and installs the tarball into `workDir/app`. */
export async function packAndInstall(workDir: string): Promise<PackedInstall> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', workDir], {
    cwd: REPO_ROOT,
    env: NPM_ENV,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as {
    filename: string;
    files: { path: string }[];
  }[];
  if (packed === undefined) throw new Error(`npm pack reported nothing: ${stdout}`);
  const tarball = join(workDir, packed.filename);
  const lock = JSON.parse(await readFile(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as Lockfile;
  const root = lock.packages[''] as LockEntry & { name: string; version: string };
  const spec = `file:../${packed.filename}`;
  const integrity = `sha512-${createHash('sha512')
    .update(await readFile(tarball))
    .digest('base64')}`;
  const production = Object.entries(lock.packages).filter(
    ([path, entry]) => path !== '' && entry.dev !== true && entry.devOptional !== true,
  );
  const directory = join(workDir, 'app');
  await mkdir(directory);
  // Its own package.json, so npm does not take a parent directory for the project.
  await writeFile(
    join(directory, 'package.json'),
    JSON.stringify({ name: 'packed-install', private: true, dependencies: { [root.name]: spec } }),
  );
  await writeFile(
    join(directory, 'package-lock.json'),
    JSON.stringify({
      name: 'packed-install',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'packed-install', dependencies: { [root.name]: spec } },
        [`node_modules/${root.name}`]: {
          version: root.version,
          resolved: spec,
          integrity,
          dependencies: root.dependencies,
          bin: root.bin,
          engines: root.engines,
        },
        ...Object.fromEntries(production),
      },
    }),
  );
  await run('npm', ['ci', '--omit=dev', '--offline'], { cwd: directory, env: NPM_ENV });
  return {
    files: packed.files.map((file) => file.path),
    directory,
    bin: join(directory, 'node_modules', '.bin', 'cloudtrail-logs-guard'),
  };
}
