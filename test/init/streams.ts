// Mock terminal streams for the wizard's steps: an input we type into once a question is on
// screen, and an output that records everything (clack's own tests work the same way).
import { PassThrough, Writable } from 'node:stream';

export const KEY = { enter: '\r', down: '\u001b[B', up: '\u001b[A', space: ' ', ctrlC: '\u0003', escape: '\u001b' } as const;

class Screen extends Writable {
  text = '';
  isTTY = false;
  columns = 120;
  rows = 40;
  watchers: (() => void)[] = [];
  override _write(chunk: Buffer | string, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    for (const watcher of this.watchers) watcher();
    done();
  }
}

// The screen without ANSI escapes.
export function plain(text: string): string {
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

// Streams plus a script of [text to wait for, keys to type] pairs, played in order.
export function mockTerminal(script: [waitFor: string, keys: string][]) {
  const input = new PassThrough();
  const output = new Screen();
  let step = 0;
  let from = 0;
  const typed: string[] = [];
  const check = () => {
    if (step >= script.length) return;
    const [waitFor, keys] = script[step];
    const screen = plain(output.text);
    const at = screen.indexOf(waitFor, from);
    if (at < 0) return;
    step++;
    from = at + waitFor.length;
    typed.push(waitFor);
    setTimeout(() => {
      for (const key of keys.match(/\u001b\[[A-D]|[\s\S]/g) ?? []) input.write(key);
      check();
    }, 5);
  };
  output.watchers.push(check);
  return {
    io: { input, output },
    screen: () => plain(output.text),
    /** The prompts answered so far (to tell which one a test got stuck on). */
    answered: () => typed,
  };
}
