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

describe('grammY session() without storage', () => {
  const main = ["import { Bot, session } from 'grammy';", 'const bot = new Bot(process.env.TOKEN!);', 'bot.use(session({ initial: () => ({ n: 0 }) }));', "bot.on('message', (ctx) => ctx.reply('hi'));", 'bot.api.setWebhook(process.env.URL!);'].join('\n');
  it('is a warning when no handler in the project reads ctx.session', async () => {
    const findings = (await scanProject({ 'src/bot.ts': main })).filter((f) => f.ruleId === 'grammy-session-memory');
    expect(brief(findings)).toEqual(['warning grammy-session-memory src/bot.ts:3']);
    expect(findings[0].message).toContain('No handler in the project reads `ctx.session`');
  });
  it('stays an error when a handler in another file reads it', async () => {
    const findings = await scanProject({ 'src/bot.ts': main, 'src/count.ts': ['export function count(ctx) {', '  ctx.session.n++;', '  return ctx.reply(String(ctx.session.n));', '}'].join('\n') });
    expect(brief(findings.filter((f) => f.ruleId === 'grammy-session-memory'))).toEqual(['error grammy-session-memory src/bot.ts:3']);
  });
});

describe('one local-disk finding per store and file', () => {
  it('merges repeated writes of one rule in one file into the first, listing the others', async () => {
    const code = ["const fs = require('fs');", "app.post('/a', (req, res) => { fs.writeFileSync('./db.json', JSON.stringify(db)); res.end(); });", "app.post('/b', (req, res) => { fs.writeFileSync('./db.json', JSON.stringify(db)); res.end(); });", "app.post('/c', (req, res) => { fs.writeFileSync('./db.json', JSON.stringify(db)); res.end(); });"].join('\n');
    const findings = (await scanProject({ 'server.js': code })).filter((f) => f.ruleId === 'fs-write-in-handler');
    expect(brief(findings)).toEqual(['warning fs-write-in-handler server.js:2']);
    expect(findings[0].message).toContain('The same happens at lines 3, 4.');
    expect(findings[0].related?.map((site) => site.line)).toEqual([3, 4]);
  });
});

describe('an alias of module state inside a handler', () => {
  const store = 'exports.muted = new Set();';
  const handler = (body: string[]) => ["const { Client } = require('discord.js');", 'const client = new Client({});', "client.on('messageCreate', (msg) => {", ...body, '});', 'client.login(process.env.TOKEN);'].join('\n');

  it('writes through `const m = muted` (muted required inside the handler) are writes of the exported Set', async () => {
    const files = { 'muted.js': store, 'index.js': handler(["  const { muted } = require('./muted.js');", '  const m = muted;', '  if (m.has(msg.author.id)) return;', '  m.add(msg.author.id);']) };
    const found = (await scanProject(files)).filter((f) => f.ruleId === 'module-state-in-handler');
    expect(brief(found)).toEqual(['warning module-state-in-handler muted.js:1']);
    expect(found[0].related?.map((site) => `${site.file}:${site.line}`)).toEqual(['index.js:7']);
  });

  it('a local of the same name built fresh in the handler is not the module state', async () => {
    const files = { 'muted.js': store, 'index.js': handler(['  const muted = new Set();', '  const m = muted;', '  m.add(msg.author.id);']) };
    expect((await scanProject(files)).filter((f) => f.ruleId === 'module-state-in-handler')).toEqual([]);
  });

  it('rebinding the alias (`m = new Set()`) writes nothing shared', async () => {
    const files = { 'index.js': ['let muted = new Set();', 'console.log(muted.size);', handler(['  let m = muted;', '  m = new Set([msg.author.id]);', '  console.log(m.size);'])].join('\n') };
    expect((await scanProject(files)).filter((f) => f.ruleId === 'module-state-in-handler')).toEqual([]);
  });
});

describe('python-telegram-bot data without persistence', () => {
  const handlers = ['from telegram import Update', 'async def set_mode(update: Update, context):', '    context.user_data["mode"] = "quiz"', '', 'async def reset(update, context):', '    context.user_data["mode"] = None'].join('\n');
  const app = (builder: string) => ['from telegram.ext import ApplicationBuilder, CommandHandler', 'from handlers import set_mode, reset', `app = ${builder}`, 'app.add_handler(CommandHandler("quiz", set_mode))', 'app.run_polling()'].join('\n');

  it('user_data writes are one warning per file when no file configures a persistence', async () => {
    const found = (await scanProject({ 'handlers.py': handlers, 'bot.py': app('ApplicationBuilder().token(TOKEN).build()') })).filter((f) => f.ruleId === 'ptb-user-data-memory');
    expect(brief(found)).toEqual(['warning ptb-user-data-memory handlers.py:3']);
    expect(found[0].related?.map((site) => site.line)).toEqual([6]);
  });

  it('a persistence configured in another file clears them', async () => {
    const found = await scanProject({ 'handlers.py': handlers, 'bot.py': app('ApplicationBuilder().token(TOKEN).persistence(SqlPersistence(DB_URL)).build()') });
    expect(found.filter((f) => f.ruleId === 'ptb-user-data-memory')).toEqual([]);
  });
});

describe('a Python thread whose target loops forever', () => {
  const main = ['import threading', 'from telebot import TeleBot', 'from bot import jobs', 'bot = TeleBot(TOKEN)', 'def main():', '    worker = threading.Thread(target=jobs.watch_deadlines, args=(bot,), daemon=True)', '    worker.start()', '    bot.infinity_polling()'].join('\n');
  it('is an in-process scheduler when the target, in another module, loops with a sleep', async () => {
    const jobs = ['import time', 'def watch_deadlines(bot):', '    while True:', '        for task in overdue():', '            bot.send_message(task.owner, "late")', '        time.sleep(300)'].join('\n');
    const found = (await scanProject({ 'bot/main.py': main, 'bot/jobs.py': jobs })).filter((f) => f.ruleId === 'python-thread-loop');
    expect(brief(found)).toEqual(['warning python-thread-loop bot/main.py:6']);
    expect(found[0].message).toContain('jobs.watch_deadlines');
  });
  it('is nothing when the target runs once', async () => {
    const jobs = ['def watch_deadlines(bot):', '    for task in overdue():', '        bot.send_message(task.owner, "late")'].join('\n');
    expect((await scanProject({ 'bot/main.py': main, 'bot/jobs.py': jobs })).filter((f) => f.ruleId === 'python-thread-loop')).toEqual([]);
  });
});

describe('a plain browser script', () => {
  const script = (first: string) => [first, 'let peers = [];', "socket.on('peer-joined', (peer) => { peers.push(peer); render(peers); });", "document.getElementById('count').textContent = String(peers.length);"].join('\n');
  it('(no imports, DOM access) has no server entry points', async () => {
    expect((await scanProject({ 'public/js/room.js': script("const socket = io('/');") })).filter((f) => f.category === 'in-memory-state')).toEqual([]);
  });
  it('a server module with a require is still judged', async () => {
    const found = (await scanProject({ 'server.js': script("const socket = require('socket.io')(require('http').createServer().listen(3000));") })).filter((f) => f.category === 'in-memory-state');
    expect(brief(found)).toEqual(['warning module-state-in-handler server.js:2']);
  });
});
