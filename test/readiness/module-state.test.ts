// Module state written from entry points (stage 2 over facts): positive and negative twins for
// every form the issue lists — shadowing, write-only containers, handlers not on app/router/bot,
// Next.js conventions, exported functions called from another module, implicit globals, Python.
import { describe, expect, it } from 'vitest';
import { brief, scanProject } from './project-helper.js';

const STATE = 'module-state-in-handler';
const PY_STATE = 'python-module-state-in-handler';

describe('module state in handlers (JS/TS)', () => {
  it('reports at the declaration, merges the writes and lists them as related locations', async () => {
    const findings = await scanProject({
      'server.js': [
        "import express from 'express';",
        'const app = express();',
        'const carts = new Map();',
        "app.post('/cart', (req, res) => {",
        '  carts.set(req.user, [...(carts.get(req.user) ?? []), req.body.item]);',
        '  res.json(carts.get(req.user));',
        '});',
        "app.delete('/cart', (req, res) => { carts.delete(req.user); res.end(); });",
        'app.listen(3000);',
      ].join('\n'),
    });
    expect(brief(findings)).toEqual([`warning ${STATE} server.js:3`]);
    expect(findings[0].column).toBe(7);
    expect(findings[0].message).toContain('Module-level `carts` is written inside a request or bot handler');
    expect(findings[0].message).toContain('server.js:5 (`carts.set(…)`), server.js:8 (`carts.delete(req.user)`)');
    expect(findings[0].related?.map((site) => `${site.file}:${site.line}:${site.column}`)).toEqual(['server.js:5:3', 'server.js:8:37']);
    expect(findings[0].related?.[0].message).toContain('`app.post` handler');
  });

  it('a handler parameter or local that shadows the module variable is not a module write', async () => {
    const shadowed = await scanProject({
      'server.js': [
        "const express = require('express');",
        'const app = express();',
        'const cart = [];',
        "app.post('/a', (req, res, cart) => { cart.push(req.body); res.end(); });",
        "app.post('/b', (req, res) => { const cart = []; cart.push(req.body); res.json(cart); });",
        "app.post('/c', (req, res) => { for (const cart of req.body.carts) cart.push(1); res.end(); });",
        "app.post('/d', function (req, res) { var cart = {}; if (req.ok) { cart.x = 1; } res.json(cart); });",
        "app.get('/', (req, res) => res.json(cart));",
      ].join('\n'),
    });
    expect(shadowed).toEqual([]);
    const twin = await scanProject({
      'server.js': [
        "const express = require('express');",
        'const app = express();',
        'const cart = [];',
        "app.post('/a', (req, res) => { { const cart = []; cart.push(0); } cart.push(req.body); res.end(); });",
        "app.get('/', (req, res) => res.json(cart));",
      ].join('\n'),
    });
    expect(brief(twin)).toEqual([`warning ${STATE} server.js:3`]);
  });

  it('a container that is written but never read is info (a leak, not divergent state)', async () => {
    const findings = await scanProject({
      'bot.js': ["const { Telegraf } = require('telegraf');", 'const bot = new Telegraf(process.env.TOKEN);', 'const seen = [];', "bot.on('text', (ctx) => { seen.push(ctx.message.text); });", "bot.launch({ webhook: { domain: 'x' } });"].join('\n'),
    });
    expect(brief(findings)).toEqual([`info ${STATE} bot.js:3`]);
    expect(findings[0].message).toContain('never read');
  });

  it('finds handlers registered on objects from known libraries whatever they are called', async () => {
    const findings = await scanProject({
      'tg.js': ["const TelegramBot = require('node-telegram-bot-api');", 'const telegram = new TelegramBot(process.env.TOKEN, { webHook: true });', 'const scores = {};', "telegram.onText(/\\/up/, (msg) => { scores[msg.chat.id] = (scores[msg.chat.id] || 0) + 1; telegram.sendMessage(msg.chat.id, String(scores[msg.chat.id])); });"].join('\n'),
      'events.js': ["import { EventEmitter } from 'node:events';", 'export const orders = new EventEmitter();', 'const totals = new Map();', "orders.on('placed', (order) => totals.set(order.user, (totals.get(order.user) ?? 0) + order.sum));"].join('\n'),
    });
    expect(brief(findings)).toEqual([`warning ${STATE} events.js:3`, `warning ${STATE} tg.js:3`]);
  });

  it('does not treat callbacks on unknown objects or start-up callbacks as handlers', async () => {
    const findings = await scanProject({
      'main.js': [
        "const { Client } = require('discord.js');",
        'const client = new Client({ intents: [] });',
        'let guilds = [];',
        "client.once('ready', () => { guilds = [...client.guilds.cache.keys()]; console.log(guilds); });",
        'const buffer = [];',
        "stream.on('data', (chunk) => buffer.push(chunk));",
        'console.log(buffer);',
      ].join('\n'),
    });
    expect(findings).toEqual([]);
  });

  it('follows a handler into an exported function of another module (ESM, CommonJS, namespace)', async () => {
    const store = ['const sessions = {};', 'export function remember(id, value) { sessions[id] = value; }', 'export function recall(id) { return sessions[id]; }'].join('\n');
    const esm = await scanProject({ 'store.js': store, 'app.js': ["import express from 'express';", "import { remember } from './store.js';", 'const app = express();', "app.post('/s', (req, res) => { remember(req.user, req.body); res.end(); });"].join('\n') });
    expect(brief(esm)).toEqual([`warning ${STATE} store.js:1`]);
    expect(esm[0].message).toContain('a function called from a `app.post` handler');
    const cjs = await scanProject({
      'lib/store.js': ['const sessions = {};', 'function remember(id, value) { sessions[id] = value; }', 'module.exports = { remember, recall: (id) => sessions[id] };'].join('\n'),
      'app.js': ["const express = require('express');", "const store = require('./lib/store');", 'const router = express.Router();', "router.post('/s', (req, res) => { store.remember(req.user, req.body); res.end(); });"].join('\n'),
    });
    expect(brief(cjs)).toEqual([`warning ${STATE} lib/store.js:1`]);
    const uncalled = await scanProject({ 'store.js': store, 'app.js': ["import { remember } from './store.js';", "remember('boot', 1);"].join('\n') });
    expect(uncalled).toEqual([]);
  });

  it('treats Next.js API routes and route handlers as entry points', async () => {
    const findings = await scanProject({
      'pages/api/vote.ts': ['const votes: Record<string, number> = {};', 'export default function handler(req, res) {', '  votes[req.query.id] = (votes[req.query.id] ?? 0) + 1;', '  res.json(votes);', '}'].join('\n'),
      'app/api/likes/route.ts': ['let likes = 0;', 'export async function POST() {', '  likes++;', '  return Response.json({ likes });', '}'].join('\n'),
      'lib/util.ts': ['let calls = 0;', 'export default function handler() { calls++; return calls; }'].join('\n'),
    });
    expect(brief(findings)).toEqual([`warning ${STATE} app/api/likes/route.ts:1`, `warning ${STATE} pages/api/vote.ts:1`]);
  });

  it('reports an implicit global written in a handler', async () => {
    const findings = await scanProject({ 'app.js': ["const express = require('express');", 'const app = express();', 'users = [];', "app.post('/join', (req, res) => { users.push(req.body.name); res.json(users); });"].join('\n') });
    expect(brief(findings)).toEqual([`warning ${STATE} app.js:3`]);
    expect(findings[0].message).toMatch(/^Implicit global `users`/);
  });

  it('a module-level client used in a handler is not state; a reassigned let is', async () => {
    const findings = await scanProject({
      'app.js': ["import express from 'express';", "import { createClient } from 'redis';", 'const redis = createClient();', 'const app = express();', 'let lastOrder = null;', "app.post('/o', async (req, res) => { await redis.set('k', 1); lastOrder = req.body; res.json(lastOrder); });"].join('\n'),
    });
    expect(brief(findings)).toEqual([`warning ${STATE} app.js:5`]);
  });

  it('honours scalectl-ignore above the declaration', async () => {
    const findings = await scanProject({ 'app.js': ["const app = require('express')();", `// scalectl-ignore ${STATE}`, 'const hits = {};', "app.get('/', (req, res) => { hits[req.ip] = 1; res.json(hits); });"].join('\n') });
    expect(findings).toEqual([]);
  });
});

describe('module state across modules (JS)', () => {
  it('a container exported from one module and mutated by a handler in another is reported where it is declared', async () => {
    const files = {
      'cooldown.js': 'exports.cooldown = new Set();',
      'index.js': [
        "const { Client } = require('discord.js');",
        "const { cooldown } = require('./cooldown.js');",
        'const client = new Client({ intents: [] });',
        "client.on('messageCreate', (m) => { if (cooldown.has(m.author.id)) return; cooldown.add(m.author.id); setTimeout(() => cooldown.delete(m.author.id), 3000); });",
      ].join('\n'),
    };
    const findings = await scanProject(files);
    expect(brief(findings)).toEqual([`warning ${STATE} cooldown.js:1`]);
    expect(findings[0].related?.map((site) => `${site.file}:${site.line}`)).toEqual(['index.js:4', 'index.js:4']);
    // the twin: the handler only reads it
    const reading = await scanProject({ ...files, 'index.js': files['index.js'].replace(' cooldown.add(m.author.id); setTimeout(() => cooldown.delete(m.author.id), 3000);', '') });
    expect(reading).toEqual([]);
  });

  it('browser code is not a server: its callbacks are not entry points', async () => {
    const client = ["import io from 'socket.io-client';", "let typingUser = 'someone';", "const socket = io(':3001');", "socket.on('typing', (u) => { typingUser = u; render(typingUser); });"].join('\n');
    expect(await scanProject({ 'src/chat.js': client })).toEqual([]);
    const server = ["import { Server } from 'socket.io';", "let typingUser = 'someone';", 'const io = new Server(3001);', "io.on('connection', (socket) => socket.on('typing', (u) => { typingUser = u; io.emit('typing', typingUser); }));"].join('\n');
    expect(brief((await scanProject({ 'src/chat.js': server })).filter((f) => f.ruleId === STATE))).toEqual([`warning ${STATE} src/chat.js:2`]);
  });
});

describe('module state in handlers (Python)', () => {
  it('flags FastAPI and aiogram handlers; a parameter or plain local shadows; global redirects', async () => {
    const findings = await scanProject({
      'app/main.py': [
        'from fastapi import FastAPI',
        'app = FastAPI()',
        'carts = {}',
        'counter = 0',
        'items = []',
        '',
        '@app.post("/cart/{user}")',
        'def add(user: str, item: str):',
        '    carts.setdefault(user, []).append(item)',
        '    return carts[user]',
        '',
        '@app.get("/count")',
        'def count():',
        '    global counter',
        '    counter += 1',
        '    return counter',
        '',
        '@app.get("/local")',
        'def local(items: list):',
        '    items.append(1)',
        '    return items',
      ].join('\n'),
    });
    expect(brief(findings)).toEqual([`warning ${PY_STATE} app/main.py:3`, `warning ${PY_STATE} app/main.py:4`]);
  });

  it('follows PTB registrations and imports into another module', async () => {
    const files = {
      'bot/store.py': ['scores = {}', '', 'def bump(chat_id):', '    scores[chat_id] = scores.get(chat_id, 0) + 1', '    return scores[chat_id]'].join('\n'),
      'bot/main.py': [
        'from telegram.ext import Application, CommandHandler',
        'from .store import bump',
        '',
        'async def up(update, ctx):',
        '    await update.message.reply_text(str(bump(update.effective_chat.id)))',
        '',
        'def main():',
        '    app = Application.builder().token("x").build()',
        '    app.add_handler(CommandHandler("up", up))',
        '    app.run_webhook(listen="0.0.0.0", port=8443)',
      ].join('\n'),
    };
    expect(brief(await scanProject(files))).toEqual([`warning ${PY_STATE} bot/store.py:1`]);
    // called only at start-up, not from the handler
    const startupOnly = { ...files, 'bot/main.py': files['bot/main.py'].replace('str(bump(update.effective_chat.id))', '"hi"').replace('    app = Application', '    bump(0)\n    app = Application') };
    expect(await scanProject(startupOnly)).toEqual([]);
  });

  it('a dict imported from another module and written in aiogram handlers is reported where it is declared', async () => {
    const files = {
      'bot/config/loader.py': 'user_data = {}\n',
      'bot/handlers/reg.py': ['from bot.config.loader import user_data', '', "@dp.message_handler(commands=['start'])", 'async def start(message):', '    user_data[message.from_user.id] = {"step": 1}', ''].join('\n'),
    };
    const findings = await scanProject(files);
    expect(brief(findings)).toEqual([`warning ${PY_STATE} bot/config/loader.py:1`]);
    expect(findings[0].related?.[0]).toMatchObject({ file: 'bot/handlers/reg.py', line: 5 });
    const notHandler = { ...files, 'bot/handlers/reg.py': files['bot/handlers/reg.py'].replace("@dp.message_handler(commands=['start'])\n", '') };
    expect(await scanProject(notHandler)).toEqual([]);
  });

  it('`global x` in a nested handler declares module state even with no module-level assignment', async () => {
    const code = ['def register_handlers(bot):', '    @bot.callback_query_handler(func=lambda c: True)', '    def pick_day(call):', '        global chosen_day', '        chosen_day = call.data', '        bot.answer_callback_query(call.id, chosen_day)', ''].join('\n');
    expect(brief(await scanProject({ 'bot.py': code }))).toEqual([`warning ${PY_STATE} bot.py:4`]);
    expect(await scanProject({ 'bot.py': code.replace('        global chosen_day\n', '') })).toEqual([]);
  });
});

describe('Python handlers nested in a registration function', () => {
  it('follows register_next_step_handler to a nested function that writes a global', async () => {
    const code = [
      'def register_handlers(bot):',
      '    @bot.message_handler(commands=["add"])',
      '    def add(message):',
      '        bot.send_message(message.chat.id, "When?")',
      '        bot.register_next_step_handler(message, got_time)',
      '',
      '    def got_time(message):',
      '        global time_reminder',
      '        time_reminder = message.text',
      '        save(message)',
      '',
      '    def save(message):',
      '        bot.send_message(message.chat.id, time_reminder)',
      '',
    ].join('\n');
    expect((await scanProject({ 'bot.py': code })).map((f) => `${f.ruleId}:${f.line}`)).toEqual(['python-module-state-in-handler:8']);
    expect(await scanProject({ 'bot.py': code.replace('        bot.register_next_step_handler(message, got_time)\n', '') })).toEqual([]);
  });
});
