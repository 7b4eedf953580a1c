// Env-selected polling and inline suppression, on small sources.
import { Lang } from '@ast-grep/napi';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/readiness/rules.js';
import { scanText } from '../../src/readiness/scanner.js';
import { envAliases } from '../../src/readiness/envgate.js';

const rules = loadRules();
const ts = (text: string) => scanText(text, 'bot.ts', { family: 'js', parser: Lang.TypeScript }, rules);
const py = (text: string) => scanText(text, 'bot.py', { family: 'python', parser: 'python' }, rules);
const HEAD = "import { Bot } from 'grammy';\nconst bot = new Bot(process.env.TOKEN!);\nprocess.once('SIGTERM', () => bot.stop());\n";

describe('environment-selected polling', () => {
  it('stays an error when nothing gates it', () => {
    expect(ts(`${HEAD}bot.start();\n`).map((f) => [f.ruleId, f.severity])).toEqual([['grammy-long-polling', 'error']]);
  });

  it.each([
    ["if (process.env.NODE_ENV !== 'production') bot.start();", 'NODE_ENV'],
    ["if (process.env['USE_POLLING'] === '1') { bot.start(); }", 'USE_POLLING'],
    ["process.env.WEBHOOK_URL ? serve() : bot.start();", 'WEBHOOK_URL'],
    ["const isDev = process.env.NODE_ENV === 'development';\nif (isDev) bot.start();", 'NODE_ENV'],
    ["const { MODE } = process.env;\nswitch (MODE) { case 'poll': bot.start(); break; }", 'MODE'],
    ["process.env.POLL && bot.start();", 'POLL'],
  ])('lowers %j to a warning naming %s', (code, variable) => {
    const [finding] = ts(`${HEAD}${code}\n`);
    expect(finding.severity).toBe('warning');
    expect(finding.message).toContain(`the environment variable ${variable} (condition`);
  });

  it('does not treat a condition on other data as a gate', () => {
    expect(ts(`${HEAD}if (users.length > 0) bot.start();\n`)[0].severity).toBe('error');
  });

  it.each([
    ['if (config.polling) bot.start();', 'config.polling'],
    ['if (env.WEBHOOK_ENABLED) { app.use(webhookCallback(bot)); } else { bot.start(); }', 'env.WEBHOOK_ENABLED'],
    ["if (!settings.get('webhook')) bot.start();", "settings.get('webhook')"],
  ])('lowers polling behind the setting in %j and names it', (code, setting) => {
    const [finding] = ts(`${HEAD}${code}\n`);
    expect(finding.severity).toBe('warning');
    expect(finding.message).toContain(`the setting \`${setting}\` (condition`);
  });

  it("lowers polling in a function that the caller runs only under a NODE_ENV check", () => {
    const [finding] = ts(`${HEAD}function startPolling() { bot.start(); }\nif (process.env.NODE_ENV === 'development') startPolling();\n`);
    expect(finding.severity).toBe('warning');
    expect(finding.message).toContain('the environment variable NODE_ENV');
    expect(ts(`${HEAD}function startPolling() { bot.start(); }\nstartPolling();\n`)[0].severity).toBe('error');
  });

  it('Python settings gates', () => {
    const [finding] = py('from aiogram import executor\nif settings.USE_WEBHOOK:\n    executor.start_webhook(dp)\nelse:\n    executor.start_polling(dp)\n').filter((f) => f.ruleId === 'aiogram-polling');
    expect(finding.severity).toBe('warning');
    expect(finding.message).toContain('settings.USE_WEBHOOK');
  });

  it('understands Python env lookups', () => {
    const head = 'import os\nfrom telegram.ext import Application\napp = Application.builder().token(os.environ["T"]).build()\n';
    expect(py(`${head}app.run_polling()\n`)[0].severity).toBe('error');
    const gated = py(`${head}if os.getenv("WEBHOOK_URL"):\n    app.run_webhook(port=8443)\nelse:\n    app.run_polling()\n`);
    expect(gated.map((f) => [f.ruleId, f.severity])).toEqual([['python-telegram-bot-polling', 'warning']]);
    expect(gated[0].message).toContain('WEBHOOK_URL');
    const aliased = py(`WEBHOOK = os.environ.get("WEBHOOK_URL")\n${head}if not WEBHOOK:\n    app.run_polling()\n`);
    expect(aliased[0].severity).toBe('warning');
  });

  it('collects aliases of environment variables', () => {
    expect([...envAliases("const url = process.env.WEBHOOK_URL ?? '';\nconst { A, B: bee = 'x' } = process.env;\nPORT = os.getenv('PORT')\n")]).toEqual([
      ['url', 'WEBHOOK_URL'],
      ['PORT', 'PORT'],
      ['A', 'A'],
      ['bee', 'B'],
    ]);
  });
});

describe('inline suppression', () => {
  it('drops the named rule on the same line', () => {
    expect(ts(`${HEAD}bot.start(); // scalectl-ignore grammy-long-polling\n`)).toEqual([]);
  });
  it('drops the named rule from a comment line right above', () => {
    expect(ts(`${HEAD}// pinned to one replica: scalectl-ignore grammy-long-polling\nbot.start();\n`)).toEqual([]);
  });
  it('keeps findings of other rules, and ignores a comment two lines up', () => {
    expect(ts(`${HEAD}bot.start(); // scalectl-ignore module-set-interval\n`)).toHaveLength(1);
    expect(ts(`${HEAD}// scalectl-ignore grammy-long-polling\n\nbot.start();\n`)).toHaveLength(1);
  });
  it('does not let a trailing comment of the previous code line leak down', () => {
    expect(ts(`${HEAD}const x = 1; // scalectl-ignore grammy-long-polling\nbot.start();\n`)).toHaveLength(1);
  });
  it('accepts several ids and Python comments', () => {
    expect(ts(`${HEAD}bot.start(); // scalectl-ignore bot-polling-no-shutdown, grammy-long-polling\n`)).toEqual([]);
    const head = 'from telegram.ext import Application\n';
    expect(py(`${head}app.run_polling()  # scalectl-ignore python-telegram-bot-polling\n`)).toEqual([]);
  });
});
