// SARIF details the analysis adds: every rule's short description is one whole sentence, and
// module-state findings carry their write sites as relatedLocations.
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/readiness/index.js';
import { renderReadinessSarif } from '../../src/output/readiness-sarif.js';
import { scanProject } from './project-helper.js';

const rules = loadRules();
const uriOf = (_root: string, file: string) => file;

describe('SARIF', () => {
  it('describes every rule with whole sentences and no code placeholders', () => {
    const findings = rules.map((rule) => ({ ruleId: rule.id, category: rule.category, severity: rule.severity, file: 'a.js', line: 1, column: 1, message: 'm', fix: 'f' }));
    const log = JSON.parse(renderReadinessSarif([{ root: '/r', filesScanned: 1, findings }], rules, { version: '1', uriOf }));
    const described = log.runs[0].tool.driver.rules as { id: string; shortDescription: { text: string }; fullDescription: { text: string } }[];
    expect(described).toHaveLength(rules.length);
    for (const rule of described) {
      expect(rule.shortDescription.text, rule.id).toMatch(/^[A-Z`@a-z].{15,}[.)]$/);
      expect(rule.shortDescription.text, rule.id).not.toMatch(/\$[A-Z]|Socket\.$|\b(IO|js)\.$/);
      expect(rule.fullDescription.text, rule.id).not.toMatch(/\$[A-Z]/);
    }
    expect(described.find((rule) => rule.id === 'socketio-no-adapter')?.shortDescription.text).toBe('A Socket.IO server has no adapter, so broadcasts reach only the clients of the same replica.');
  });

  it('lists the write sites of module state as relatedLocations', async () => {
    const findings = await scanProject({ 'app.js': ["const app = require('express')();", 'const likes = {};', "app.post('/l', (req, res) => { likes[req.body.id] = 1; res.json(likes); });", "app.delete('/l', (req, res) => { delete likes[req.body.id]; res.end(); });"].join('\n') });
    const log = JSON.parse(renderReadinessSarif([{ root: '/r', filesScanned: 1, findings }], rules, { version: '1', uriOf }));
    const result = log.runs[0].results[0];
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: 2, startColumn: 7 });
    expect(result.relatedLocations.map((site: { physicalLocation: { region: { startLine: number } } }) => site.physicalLocation.region.startLine)).toEqual([3, 4]);
    expect(result.relatedLocations[0].message.text).toContain('`app.post` handler');
  });
});
