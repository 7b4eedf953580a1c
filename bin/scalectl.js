#!/usr/bin/env node
// The scalectl executable: answers --version without loading anything, else runs the bundled CLI.
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { main } = await import('../dist/cli.js');
  const code = await main(argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() });
  // Flush what is buffered, then leave even if an adapter left a socket open.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
