import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The npm package this command line belongs to. */
export const PACKAGE_NAME = 'cloudtrail-cloudwatch-logs-guard';

/**
 * The version of the package, read from the nearest package.json named {@link PACKAGE_NAME} above `from` (a
 * module URL): `cli/` in a clone and a built `dist/` tree alike, whatever other package.json lies between.
 */
export async function packageVersion(from: string = import.meta.url): Promise<string> {
  let directory = dirname(fileURLToPath(from));
  for (;;) {
    const text = await readFile(join(directory, 'package.json'), 'utf8').catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      },
    );
    if (text !== undefined) {
      const manifest = JSON.parse(text) as { name?: unknown; version?: unknown };
      if (manifest.name === PACKAGE_NAME && typeof manifest.version === 'string') return manifest.version;
    }
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`no package.json of ${PACKAGE_NAME} above ${from}`);
    directory = parent;
  }
}
