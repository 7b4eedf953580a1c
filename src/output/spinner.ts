// A one-line spinner on stderr while slow work runs (reading providers): only on a terminal,
// never with -q or -v (debug lines would tear it), and erased before anything else is printed.

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ERASE = '\r\u001b[2K';

// A running spinner: `update` changes its text, `stop` erases the line.
export interface Spinner {
  update(text: string): void;
  stop(): void;
}

const NONE: Spinner = { update: () => {}, stop: () => {} };

// Starts a spinner showing `text` on `stream` when it is a terminal and `enabled`; else does nothing.
export function startSpinner(stream: NodeJS.WritableStream & { isTTY?: boolean }, text: string, enabled: boolean, intervalMs = 80): Spinner {
  if (!enabled || !stream.isTTY) return NONE;
  let frame = 0;
  let current = text;
  const draw = () => stream.write(`${ERASE}${FRAMES[frame++ % FRAMES.length]} ${current}`);
  draw();
  const timer = setInterval(draw, intervalMs);
  timer.unref();
  let stopped = false;
  return {
    update(next) {
      current = next;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      stream.write(ERASE);
    },
  };
}
