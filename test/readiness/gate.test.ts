// The plan/apply gate's input: findings per service with a source.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScalingConfig, ServiceConfig } from '../../src/config/model.js';
import { collectFindings } from '../../src/readiness/gate.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const service = (name: string, extra: Partial<ServiceConfig>): ServiceConfig => ({ name, provider: 'sim', target: name, spec: { replicas: 3 }, extensions: {}, ...extra });
const config = (services: ServiceConfig[]): ScalingConfig => ({
  version: 1, file: '/x/scaling.yaml', dir: '/x', hash: '', providers: {}, defaults: { provider: 'sim' }, services, locations: {}, positions: {}, warnings: [],
});

describe('collectFindings', () => {
  it('scans each source with its ignore list and leaves services without a source out', async () => {
    const found = await collectFindings(config([
      service('bot', { source: join(FIXTURES, 'polling-bot') }),
      service('bot-py-ignored', { source: join(FIXTURES, 'polling-bot'), readiness: { ignore: ['aiogram-polling'] } }),
      service('web', { source: join(FIXTURES, 'polling-bot-safe') }),
      service('db', {}),
    ]));
    expect([...found.keys()]).toEqual(['bot', 'bot-py-ignored', 'web']);
    expect(found.get('bot')!.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual([
      'aiogram-polling python/main.py:18',
      'grammy-long-polling src/bot.ts:17',
    ]);
    expect(found.get('bot-py-ignored')!.map((f) => f.ruleId)).toEqual(['grammy-long-polling', 'grammy-long-polling']);
    expect(found.get('web')).toEqual([]);
  });
});
