// Types for scripts/readiness-corpus-score.mjs (used by its unit test).
export interface Label {
  category: string;
  severity: 'error' | 'warning' | 'info' | 'none' | string;
  file: string;
  line: number;
  related?: Array<number | string>;
  note?: string;
}
export interface ScoredFinding {
  ruleId?: string;
  category: string;
  severity: 'error' | 'warning' | 'info';
  file: string;
  line: number;
}
export interface RepoScore {
  findings: Array<{ finding: ScoredFinding; label?: Label; verdict: 'true' | 'false' | 'duplicate' | 'info'; falseError: boolean }>;
  labels: Array<{ label: Label; status: 'found' | 'found-too-low' | 'missed' | 'not-counted'; severity?: string }>;
}
export interface Counts {
  expected: number; found: number; foundTooLow: number; missed: number; severityAgrees: number;
  truePositives: number; falsePositives: number; duplicates: number; info: number; falseErrors: number;
  recall?: number; precision?: number;
}
export interface Summary { categories: Record<string, Counts>; overall: Counts }
export function categoriesIn(rulesDir: string): string[];
export const LABEL_SEVERITIES: string[];
export function labelSites(label: Label): Set<string>;
export function validateLabels(doc: unknown, categories: string[]): string[];
export function scoreRepo(labels: Label[], findings: ScoredFinding[]): RepoScore;
export function summarize(scores: RepoScore[], categories: string[]): Summary;
export function markdownTable(summary: Summary): string;
