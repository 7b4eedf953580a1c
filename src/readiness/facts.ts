// Stage 1 of the analysis: per-file facts with scope resolution. A file's facts depend on its text
// alone, so they are cached by content hash; stage 2 (project.ts) joins the facts of all files.

// Bumped whenever the facts' shape or the extractors change (invalidates cached facts).
export const FACTS_VERSION = 7;

// An import binding: `local` names `name` ('default', '*' or an export name) of `module`.
export interface ImportFact {
  local: string;
  module: string;
  name: string;
}

// How a module-level binding starts out.
export type BindingInit = 'array' | 'object' | 'map' | 'set' | 'new' | 'call' | 'literal' | 'other' | 'none';

// A module-level binding that handlers could write (let/var, or const holding a container).
export interface BindingFact {
  name: string;
  /** `global`: assigned at module level without a declaration (an implicit global). */
  kind: 'let' | 'var' | 'const' | 'global' | 'py';
  init: BindingInit;
  line: number;
  column: number;
  exported: boolean;
  /** Read somewhere in the file other than as a write target (or exported). */
  read: boolean;
}

// One write of a module binding; `fns` are the enclosing functions, innermost first (ids are
// the functions' start offsets). A write through a shadowing parameter or local is not recorded.
export interface WriteFact {
  binding: string;
  fns: number[];
  line: number;
  column: number;
  /** The written expression as shown in messages, e.g. `carts.set(…)`. */
  code: string;
  /** `binding` is an import of this file (stage 2 finds the declaring file); `member` for `ns.x`. */
  imported?: boolean;
  member?: string;
}

// A named function (top level): calls to it from an entry make it reachable.
export interface FunctionFact {
  id: number;
  name: string;
}

// A call to a local function or an imported name (`store.remember(…)`: callee store, member remember).
export interface CallFact {
  callee: string;
  member?: string;
  fns: number[];
}

// An entry point: a function run per request, update, message or event. Either the function
// itself (`fn`) or a name passed as the callback (`ref`, resolved in stage 2).
export interface EntryFact {
  fn?: number;
  ref?: string;
  refMember?: string;
  via: string;
}

// An export: `name` is exported from `local` (a binding or function name) or from function `fn`.
export interface ExportFact {
  name: string;
  local?: string;
  fn?: number;
}

// Everything stage 2 needs to know about one file.
export interface FileFacts {
  imports: ImportFact[];
  exports: ExportFact[];
  bindings: BindingFact[];
  functions: FunctionFact[];
  writes: WriteFact[];
  calls: CallFact[];
  entries: EntryFact[];
  /** The file installs a SIGTERM/SIGINT handler (process.on, signal.signal, add_signal_handler). */
  signals: boolean;
  /** The file reads bot session data (`ctx.session`, `context.user_data`). */
  sessionReads?: boolean;
  /** The file uses FSM state (aiogram `FSMContext`, `StatesGroup`). */
  fsm?: boolean;
  /** The Python file configures a python-telegram-bot persistence (`persistence=`, `.persistence(…)`, `PicklePersistence`). */
  persistence?: boolean;
  /** Python: module functions that loop forever and sleep between rounds (`while True: …; sleep(…)`), by id. */
  loops?: number[];
  /** Python: `threading.Thread(target=f)` starts, with the target as a callee (`f` or `module.f`). */
  threads?: { callee: string; member?: string; line: number; column: number; code: string }[];
  /** Lines holding a `scalectl-ignore` comment (1-based line → text), for stage-2 findings. */
  ignoreLines: Record<number, string>;
  /**
   * The syntax facts (imports to calls) were not extracted yet: the file cannot hold an entry
   * point, so they matter only if a file that can imports it (stage 2 asks for them then).
   */
  deferred?: true;
}

export function emptyFacts(): FileFacts {
  return { imports: [], exports: [], bindings: [], functions: [], writes: [], calls: [], entries: [], signals: false, ignoreLines: {} };
}

// Names that say "this is a cache of data that lives elsewhere": per replica is fine.
export const CACHE_NAME = /cache|memo|lru/i;

// Shortens code for a message: one line, at most `max` characters.
export function shortCode(text: string, max = 40): string {
  const one = text.replace(/\s+/g, ' ').trim();
  if (one.length <= max) return one;
  const call = one.match(/^([\w$.[\]'"]+)\(/);
  return call && call[1].length < max ? `${call[1]}(…)` : `${one.slice(0, max - 1)}…`;
}

export const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// A regex matching exactly one of `names`.
export function namesRegex(names: Iterable<string>): string {
  return `^(?:${[...names].map(escapeRegex).join('|')})$`;
}
