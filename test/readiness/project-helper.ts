// Writes a small project (our own snippets) to a temp folder and scans it end to end.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scan } from '../../src/readiness/index.js';
import type { Finding } from '../../src/plan/types.js';

export function writeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-project-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

// Findings of the project, then the folder is removed.
export async function scanProject(files: Record<string, string>, options: { ignore?: string[] } = {}): Promise<Finding[]> {
  const dir = writeProject(files);
  try {
    return (await scan({ root: dir, ignore: options.ignore })).findings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `severity ruleId file:line` per finding, for compact assertions.
export const brief = (findings: Finding[]) => findings.map((finding) => `${finding.severity} ${finding.ruleId} ${finding.file}:${finding.line}`);
