// The plan record: at once the human diff, `plan --json` and the saved plan file (DESIGN §1).
import type { FieldChange } from '../../adapters/contract.js';

export const PLAN_FORMAT_VERSION = 1;

// A readiness finding as the plan carries it (the checker's full record, DESIGN §4).
export interface Finding {
  ruleId: string;
  category: string;
  severity: 'error' | 'warning' | 'info';
  file: string;
  line: number;
  column: number;
  message: string;
  fix: string;
  /** Other places that make up the finding (e.g. the write sites of module state), when any. */
  related?: RelatedLocation[];
}

// A place a finding points to besides its own position (SARIF relatedLocations).
export interface RelatedLocation {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface PlannedService {
  name: string;
  provider: string;
  adapter: string;
  target: string;
  /** `create` when the target does not exist yet, `update` when fields move, `none` otherwise. */
  action: 'create' | 'update' | 'none';
  fingerprint: string;
  changes: FieldChange[];
  findings: Finding[];
  warnings: string[];
  errors: string[];
  /** The readiness gate: `blocked` (error findings, more than one instance) or `forced` (--force). */
  gate?: 'blocked' | 'forced';
}

export interface Plan {
  formatVersion: number;
  configFile: string;
  configHash: string;
  /** The scaling.yaml environment planned (absent for the base); a saved plan applies only there. */
  environment?: string;
  createdAt: string;
  /** Readiness gate overridden with --force. */
  forced: boolean;
  services: PlannedService[];
  summary: { toChange: number; unchanged: number; errors: number };
}
