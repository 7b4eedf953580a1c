// Which imported modules make an object a server, bot, socket or event source, so that callbacks
// registered on it are entry points (run once per request, update, message or event).
import { escapeRegex } from './facts.js';

// Modules whose instances (or the module itself) receive requests, updates or events.
const ENTRY_MODULES = [
  'express',
  'koa',
  '@koa/router',
  'koa-router',
  'fastify',
  'hono',
  'restify',
  'polka',
  'h3',
  'http',
  'node:http',
  'https',
  'node:https',
  'telegraf',
  'grammy',
  'node-telegram-bot-api',
  'discord.js',
  'eris',
  'socket.io',
  'ws',
  '@slack/bolt',
  'vk-io',
  'events',
  'node:events',
  'tmi.js',
  'whatsapp-web.js',
  'mqtt',
  'amqplib',
];

const ENTRY_PREFIXES = ['@nestjs/', '@hapi/'];

// True when callbacks registered on values from `module` are entry points.
export function isEntryModule(module: string): boolean {
  return ENTRY_MODULES.includes(module) || ENTRY_PREFIXES.some((prefix) => module.startsWith(prefix));
}

// An entry module named in a string literal (`require('express')`, `from "events"`): every import
// the checker resolves names its module so, and a value's origin is always such an import.
export const ENTRY_MODULE_LITERAL = new RegExp(`['"\`](?:${[...ENTRY_MODULES.map(escapeRegex), ...ENTRY_PREFIXES.map((prefix) => `${escapeRegex(prefix)}[^'"\`]*`)].join('|')})['"\`]`);

// Methods that register a callback that runs once (start-up), not per request or event.
export const ONCE_METHODS = new Set(['listen', 'launch', 'start', 'startPolling', 'startWebhook', 'login', 'close', 'stop', 'connect', 'engine', 'set', 'catch', 'then', 'finally']);

// Events fired once per process (a `ready` callback is start-up code, not a handler).
export const ONCE_EVENTS = new Set(['ready', 'listening', 'close', 'exit', 'beforeExit', 'error', 'SIGTERM', 'SIGINT', 'shardReady', 'clientReady']);

// The names the checker falls back on when a receiver's origin cannot be resolved (it is a
// parameter, or built by a helper): the usual names of servers, routers and bots.
export const HANDLER_RECEIVER = /^(app|router|routes|route|server|api|fastify|bot|composer|io|socket|wss|hono|client|dp|dispatcher|emitter|events)$/;
// One of those names as a word anywhere in the text (the receiver of `app.get(…)`).
export const HANDLER_RECEIVER_WORD = new RegExp(`(?<![\\w$])(?:${HANDLER_RECEIVER.source.slice(2, -2)})(?![\\w$])`);
export const HANDLER_METHOD = /^(get|post|put|patch|delete|del|all|use|route|on|once|command|hears|action|callbackQuery|inlineQuery|message|handle|ws|websocket|onText|addListener|event)$/;

// Next.js convention handlers: `pages/api/**` default exports and `app/**/route.*` method exports.
export const NEXT_PAGES_API = /(^|\/)pages\/api\/.+\.[cm]?[jt]sx?$/;
export const NEXT_ROUTE = /(^|\/)app\/(.+\/)?route\.[cm]?[jt]sx?$/;
export const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
