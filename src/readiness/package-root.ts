// Finds scalectl's own package root (where `rules/` lives) from a module URL. The code runs from
// src/ under vitest and bundled into dist/, so we walk up instead of assuming a depth.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'scalectl';

// The folder holding the package.json named "scalectl", searched upward from `fromUrl`.
export function findPackageRoot(fromUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (manifest.name === PACKAGE_NAME) return dir;
    } catch {
      // no package.json here (or unreadable): keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`Cannot find the ${PACKAGE_NAME} package root above ${fileURLToPath(fromUrl)}: expected a package.json with "name": "${PACKAGE_NAME}". Reinstall scalectl.`);
    }
    dir = parent;
  }
}
