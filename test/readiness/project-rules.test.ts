// Rules judged over the whole project, with our own positive and negative twins.
import { describe, expect, it } from 'vitest';
import { brief, scanProject } from './project-helper.js';

describe('graceful shutdown is judged project-wide', () => {
  const bot = ["const { Telegraf } = require('telegraf');", 'const bot = new Telegraf(process.env.TOKEN);', 'module.exports = bot;'].join('\n');
  const main = ["const bot = require('./bot');", "bot.launch({ webhook: { domain: 'example.com' } });", 'bot.launch();'].join('\n');

  it('a SIGTERM handler in another file clears the polling bot', async () => {
    const findings = await scanProject({ 'src/bot.js': bot, 'src/index.js': main, 'src/shutdown.js': "process.once('SIGTERM', () => process.exit(0));" });
    expect(findings.filter((f) => f.category === 'no-graceful-shutdown')).toEqual([]);
  });

  it('without one anywhere, the polling start is reported', async () => {
    const findings = await scanProject({ 'src/bot.js': bot, 'src/main.js': ["const { Telegraf } = require('telegraf');", 'const bot = new Telegraf(process.env.TOKEN);', 'bot.launch();'].join('\n') });
    expect(brief(findings.filter((f) => f.category === 'no-graceful-shutdown'))).toEqual(['warning bot-polling-no-shutdown src/main.js:3']);
  });

  it('Python: aiogram 2 executor and pyTelegramBotAPI, cleared by signal.signal in another module', async () => {
    const files = { 'bot/main.py': ['from aiogram import Bot, Dispatcher, executor', 'dp = Dispatcher(Bot("x"))', 'executor.start_polling(dp)'].join('\n') };
    expect(brief((await scanProject(files)).filter((f) => f.category === 'no-graceful-shutdown'))).toEqual(['warning python-bot-polling-no-shutdown bot/main.py:3']);
    const handled = { ...files, 'bot/signals.py': ['import signal', 'signal.signal(signal.SIGTERM, lambda *_: None)'].join('\n') };
    expect((await scanProject(handled)).filter((f) => f.category === 'no-graceful-shutdown')).toEqual([]);
  });
});
