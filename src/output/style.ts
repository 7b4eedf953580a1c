// ANSI styling decided once per run; every renderer takes a Style so tests can pass plain text.

export interface Style {
  enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

// A Style that colours when enabled and returns text unchanged otherwise.
export function makeStyle(enabled: boolean): Style {
  const plain = (text: string) => text;
  return {
    enabled,
    bold: enabled ? wrap(1, 22) : plain,
    dim: enabled ? wrap(2, 22) : plain,
    red: enabled ? wrap(31, 39) : plain,
    green: enabled ? wrap(32, 39) : plain,
    yellow: enabled ? wrap(33, 39) : plain,
    cyan: enabled ? wrap(36, 39) : plain,
  };
}
