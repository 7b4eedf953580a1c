// Small projects for init tests: a Compose file, service folders, a long-polling bot.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A folder named "shop" holding compose.yaml (web, bot), ./web (an HTTP server) and ./bot (grammY long polling).
export function composeProject(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'scalectl-init-')), 'shop');
  mkdirSync(join(dir, 'web'), { recursive: true });
  mkdirSync(join(dir, 'bot'), { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    build: ./web\n  bot:\n    build:\n      context: ./bot\n');
  writeFileSync(join(dir, 'web/package.json'), '{ "name": "web" }\n');
  writeFileSync(join(dir, 'web/server.js'), "import http from 'node:http';\nhttp.createServer((req, res) => res.end('ok')).listen(8080);\n");
  writeFileSync(join(dir, 'bot/package.json'), '{ "name": "bot", "dependencies": { "grammy": "1" } }\n');
  writeFileSync(join(dir, 'bot/index.js'), "import { Bot } from 'grammy';\nconst bot = new Bot(process.env.TOKEN);\nbot.on('message', (ctx) => ctx.reply('hi'));\nbot.start();\n");
  return dir;
}
