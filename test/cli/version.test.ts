import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { PACKAGE_NAME, packageVersion } from '../../cli/version.js';

let root: string | undefined;

afterEach(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
  root = undefined;
});

describe('packageVersion', () => {
  it('reads the nearest package.json of this package, passing over another one in between', async () => {
    root = await mkdtemp(join(tmpdir(), 'clg-version-'));
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: PACKAGE_NAME, version: '9.8.7' }));
    await mkdir(join(root, 'dist', 'cli'), { recursive: true });
    await writeFile(join(root, 'dist', 'package.json'), JSON.stringify({ type: 'module' }));
    const module = pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href;
    await expect(packageVersion(module)).resolves.toBe('9.8.7');
  });

  it('fails naming the package when there is none above the module', async () => {
    root = await mkdtemp(join(tmpdir(), 'clg-version-'));
    const module = pathToFileURL(join(root, 'main.js')).href;
    await expect(packageVersion(module)).rejects.toThrow(
      `no package.json of ${PACKAGE_NAME} above ${module}`,
    );
  });
});
