// `scalectl init` on a real pseudo-terminal (util-linux `script`, 120x40): typing answers as each
// question appears and reading the screen, on a copy of the example project.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, NODE, cleanEnv, project, scalectl } from '../support/cli.js';

// The built CLI, as a user runs it.
const command = [NODE, BIN, 'init'];

// Types each [waitFor, keys] once `waitFor` is on screen (after the previous one); resolves at exit.
async function onTerminal(dir: string, script: [string, string][], size = { cols: 120, rows: 40 }): Promise<{ exitCode: number; screen: string; answered: number }> {
  const shell = `stty cols ${size.cols} rows ${size.rows}; ${command.map((part) => JSON.stringify(part)).join(' ')}`;
  const child = execa('script', ['-qec', shell, '/dev/null'], { cwd: dir, env: cleanEnv({ HOME: dir }), extendEnv: false, reject: false, stdin: 'pipe' });
  let raw = '';
  let step = 0;
  let from = 0;
  const plain = () => raw.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  const advance = () => {
    if (step >= script.length) return;
    const [waitFor, keys] = script[step];
    const at = plain().indexOf(waitFor, from);
    if (at < 0) return;
    step++;
    from = at + waitFor.length;
    setTimeout(() => {
      child.stdin?.write(keys);
      advance();
    }, 120);
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    raw += chunk.toString();
    advance();
  });
  const result = await child;
  if (step < script.length) child.stdin?.end();
  return { exitCode: result.exitCode ?? -1, screen: plain(), answered: step };
}

const DOWN = '\u001b[B';
const ENTER = '\r';

// Two services' source next to the shop's scaling.yaml: an HTTP search service and a polling bot.
function addSources(dir: string): void {
  mkdirSync(join(dir, 'services/search'), { recursive: true });
  writeFileSync(join(dir, 'services/search/package.json'), '{ "name": "search" }\n');
  writeFileSync(join(dir, 'services/search/index.js'), "import http from 'node:http';\nhttp.createServer((req, res) => res.end('[]')).listen(8080);\n");
  mkdirSync(join(dir, 'services/notifier'), { recursive: true });
  writeFileSync(join(dir, 'services/notifier/package.json'), '{ "name": "notifier", "dependencies": { "grammy": "1" } }\n');
  writeFileSync(join(dir, 'services/notifier/index.js'), "import { Bot } from 'grammy';\nconst bot = new Bot(process.env.TOKEN);\nbot.command('start', (ctx) => ctx.reply('hi'));\nbot.start();\n");
}

describe('init on a terminal', () => {
  it('adds services to the example project: every step on screen, a valid scaling.yaml, its comments kept', async () => {
    const dir = project();
    addSources(dir);
    const original = readFileSync(join(dir, 'scaling.yaml'), 'utf8');
    const { exitCode, screen, answered } = await onTerminal(dir, [
      ['What should init do?', ENTER], // add services to it
      ['Where do the services run?', ENTER], // sim, already in the file
      ['Which services should scalectl scale?', ENTER], // notifier and search, both checked
      ['Any other services?', ENTER],
      ['How should notifier scale?', ENTER],
      ['Which signal drives notifier?', ENTER],
      ['Target: in-flight', ENTER],
      ['Hard limit', ENTER],
      ['Hot instances of notifier', ENTER],
      ['Maximum instances of notifier', `4${ENTER}`],
      ['Source folder of notifier', ENTER],
      ['Run notifier as 1 instance until these are fixed?', ENTER],
      ['How should search scale?', ENTER],
      ['Which signal drives search?', `${DOWN}${ENTER}`],
      ['Target: requests per second', `200${ENTER}`],
      ['Hot instances of search', `2${ENTER}`],
      ['Maximum instances of search', `12${ENTER}`],
      ['Source folder of search', ENTER],
      ['Environments to add', ENTER],
      ['Add these to scaling.yaml?', ENTER],
    ]);
    expect(answered, screen).toBe(20);
    expect(exitCode, screen).toBe(0);
    expect(screen).not.toContain('MaxListenersExceededWarning'); // Node's warning must not land on the screen
    for (const shown of [
      'scalectl init',
      'scaling.yaml: scaling.yaml',
      'Source folders: ./services/notifier, ./services/search',
      'Add services to it',
      'requests per second per instance: for short, even requests',
      'notifier is not ready for several instances:',
      'polling-bot: every replica pulls the same updates and answers them N times.',
      './services/search: nothing that breaks with replicas',
      'notifier: 1 instance, fixed',
      '  source ./services/notifier',
      'search: autoscaled on requests per second: 2 hot instances, up to 12 in all (10 cold, started on demand)',
      './services/search: nothing that breaks with replicas (1 file scanned).',
      'Updated scaling.yaml (valid).',
      'scalectl plan        what would change',
    ]) expect(screen).toContain(shown);
    const text = readFileSync(join(dir, 'scaling.yaml'), 'utf8');
    // One block inserted at the end of services: (before the example's environments), the rest byte for byte.
    let head = 0;
    while (head < original.length && text[head] === original[head]) head++;
    expect(text.endsWith(original.slice(head))).toBe(true);
    expect(text.slice(head, text.length - (original.length - head))).toContain('  search:\n    autoscale:\n      min: 2 ');
    const validate = await scalectl(['validate'], { cwd: dir });
    expect(validate.stderr).toContain('scaling.yaml is valid: 7 services');
    expect(validate.exitCode).toBe(0);
  });

  it('writes nothing when Ctrl-C is pressed half-way, and exits 130', async () => {
    const dir = project();
    // A fresh project with just the two sources below (the example ships services/ of its own).
    rmSync(join(dir, 'services'), { recursive: true, force: true });
    addSources(dir);
    rmSync(join(dir, 'scaling.yaml'));
    const { exitCode, screen } = await onTerminal(dir, [
      ['Where do the services run?', ENTER],
      ['Which services should scalectl scale?', ENTER],
      ['Any other services?', ENTER],
      // The first question about notifier: how it scales, or (with a Docker engine found, which
      // has no autoscaler) how many instances — either way, Ctrl-C there.
      ['◇  notifier', '\u0003'],
    ]);
    expect(screen).toContain('Cancelled: nothing was written.');
    expect(exitCode).toBe(130);
    expect(readdirSync(dir).sort()).toEqual(['services']);
  });

  it('lays out for 80 columns on a terminal that reports 0 columns and rows', async () => {
    const dir = project();
    rmSync(join(dir, 'services'), { recursive: true, force: true });
    addSources(dir);
    rmSync(join(dir, 'scaling.yaml'));
    const { exitCode, screen } = await onTerminal(dir, [['Where do the services run?', '\u0003']], { cols: 0, rows: 0 });
    expect(exitCode).toBe(130);
    // whole lines, not one character per line
    expect(screen).toContain('Source folders: ./services/notifier, ./services/search');
    expect(screen).toMatch(/◆ {2}Where do the services run\?\n│ {2}● /);
    expect(screen).not.toMatch(/^│ {2}\S {4,}│$/m);
  });
});
