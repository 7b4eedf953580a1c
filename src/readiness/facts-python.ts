// Stage 1 for Python: imports (`import a.b as c`, `from .a.b import c`), module-level containers
// and `global` scalars, each write resolved by Python's rules (a parameter or a plain local
// assignment shadows; `global x` redirects), handlers (decorators, PTB/aiogram registrations,
// `(update, context)` callbacks), named functions and calls.
import type { SgNode } from '@ast-grep/napi';
import { CACHE_NAME, emptyFacts, namesRegex, shortCode, type BindingFact, type BindingInit, type FileFacts, type ImportFact } from './facts.js';

const FUNCTION_KINDS = new Set<unknown>(['function_definition', 'lambda']);
const MUTATORS = /^(append|extend|insert|add|update|pop|popitem|setdefault|clear|remove|discard|appendleft|extendleft|sort|reverse)$/;
const HANDLER_DECORATOR = /\.(route|get|post|put|patch|delete|websocket|message|message_handler|callback_query|callback_query_handler|edited_message|inline_handler|command|event|on|channel_post|listener|before_request|after_request|api_route|task)\b|^@(?:app|router|bot|dp|client)\b/;
// Registrations that name a function: CommandHandler("start", start), dp.register_message_handler(fn), router.message.register(fn)
const REGISTRATION = /(?:Handler|register(?:_\w+)?|add_handler|add_url_rule|add_api_route|add_event_handler|add_listener)$/;
const SIGNAL = /signal\.signal\(\s*signal\.SIG(?:TERM|INT)|add_signal_handler\(\s*(?:signal\.)?SIG(?:TERM|INT)|SIGTERM/;
const STATE = /^[A-Za-z_]\w*\s*(?::[^=\n]+)?=\s*(?:\{|\[|(?:set|dict|list|defaultdict|Counter|OrderedDict|deque)\(|collections\.)|^\s+global\s/m;
const RELATIVE = /^from\s+\./m;
const HANDLERS = /^\s*@[\w.]+\(|Handler\(|register_\w*handler|add_handler|\(\s*update\b|Thread\(|^\s*while\s+(?:True|1)\s*:/m;
const FOREVER = /^\s*while\s+(?:True|1)\s*:/m;

const pos = (node: SgNode) => {
  const start = node.range().start;
  return { line: start.line + 1, column: start.column + 1 };
};
const startOf = (node: SgNode) => node.range().start.index;
const leftmost = (text: string) => text.match(/^[A-Za-z_]\w*/)?.[0];

// True when the file may hold facts that matter.
export function pyNeedsFacts(text: string): boolean {
  return STATE.test(text) || RELATIVE.test(text) || HANDLERS.test(text);
}

function initKind(value: SgNode | null): BindingInit {
  if (!value) return 'none';
  switch (value.kind()) {
    case 'dictionary':
    case 'dictionary_comprehension':
      return 'object';
    case 'list':
    case 'list_comprehension':
      return 'array';
    case 'set':
    case 'set_comprehension':
      return 'set';
    case 'call': {
      const fn = value.field('function')?.text() ?? '';
      if (/^(collections\.)?(dict|defaultdict|Counter|OrderedDict)$/.test(fn)) return 'object';
      if (/^(collections\.)?(list|deque)$/.test(fn)) return 'array';
      if (fn === 'set') return 'set';
      return 'call';
    }
    case 'integer':
    case 'float':
    case 'string':
    case 'true':
    case 'false':
    case 'none':
      return 'literal';
    default:
      return 'other';
  }
}

function collectImports(root: SgNode): ImportFact[] {
  const imports: ImportFact[] = [];
  for (const statement of root.findAll({ rule: { any: [{ kind: 'import_statement' }, { kind: 'import_from_statement' }] } })) {
    if (statement.kind() === 'import_statement') {
      for (const name of statement.fieldChildren('name')) {
        if (name.kind() === 'aliased_import') imports.push({ local: name.field('alias')!.text(), module: name.field('name')!.text(), name: '*' });
        else imports.push({ local: name.text().split('.')[0], module: name.text().split('.')[0], name: '*' });
      }
      continue;
    }
    const module = statement.field('module_name')?.text() ?? '';
    for (const name of statement.fieldChildren('name')) {
      if (name.kind() === 'aliased_import') imports.push({ local: name.field('alias')!.text(), module, name: name.field('name')!.text() });
      else imports.push({ local: name.text(), module, name: name.text() });
    }
  }
  return imports;
}

// Every name bound by a parameter list.
function parameterNames(params: SgNode | null): string[] {
  if (!params) return [];
  return params.children().flatMap((param) => {
    if (param.kind() === 'identifier') return [param.text()];
    const name = param.field('name') ?? param.children().find((child) => child.kind() === 'identifier');
    return name ? [name.text()] : [];
  });
}

// Whether `fn` binds `name` locally: a parameter, or a plain assignment with no `global name`.
function declaresLocally(fn: SgNode, name: string): boolean {
  if (parameterNames(fn.field('parameters')).includes(name)) return true;
  const body = fn.field('body');
  if (!body) return false;
  const exact = `^${name}$`;
  const own = (node: SgNode) => node.ancestors().find((ancestor) => FUNCTION_KINDS.has(ancestor.kind()))?.range().start.index === startOf(fn);
  if (body.findAll({ rule: { kind: 'global_statement', has: { kind: 'identifier', regex: exact } } }).some(own)) return false;
  const locals = body.findAll({
    rule: {
      any: [
        { kind: 'assignment', has: { field: 'left', any: [{ kind: 'identifier', regex: exact }, { kind: 'pattern_list', has: { kind: 'identifier', regex: exact } }] } },
        { kind: 'for_statement', has: { field: 'left', any: [{ kind: 'identifier', regex: exact }, { has: { kind: 'identifier', regex: exact } }] } },
        { kind: 'as_pattern_target', regex: exact },
      ],
    },
  });
  return locals.some(own);
}

// Facts of one Python file.
export function pyFacts(root: SgNode, text: string): FileFacts {
  const facts = emptyFacts();
  facts.signals = SIGNAL.test(text);
  if (!pyNeedsFacts(text)) return facts;
  facts.imports = collectImports(root);

  const bindings: Omit<BindingFact, 'read'>[] = [];
  for (const statement of root.children()) {
    if (statement.kind() === 'function_definition') facts.functions.push({ id: startOf(statement), name: statement.field('name')!.text() });
    if (statement.kind() === 'decorated_definition') {
      const definition = statement.field('definition');
      if (definition?.kind() === 'function_definition') facts.functions.push({ id: startOf(definition), name: definition.field('name')!.text() });
    }
    if (statement.kind() !== 'expression_statement') continue;
    const assignment = statement.child(0);
    if (assignment?.kind() !== 'assignment') continue;
    const left = assignment.field('left');
    if (left?.kind() !== 'identifier' || bindings.some((binding) => binding.name === left.text())) continue;
    bindings.push({ name: left.text(), kind: 'py', init: initKind(assignment.field('right')), ...pos(left), exported: false });
  }
  for (const fn of facts.functions) facts.exports.push({ name: fn.name, fn: fn.id });
  // Loops forever with a sleep between rounds: a scheduler when started as a thread.
  if (FOREVER.test(text)) {
    const loops = root.children().map((statement) => (statement.kind() === 'decorated_definition' ? statement.field('definition') : statement)).filter((definition): definition is SgNode => definition?.kind() === 'function_definition' && FOREVER.test(definition.text()) && /\bsleep\(/.test(definition.text()));
    if (loops.length > 0) facts.loops = loops.map(startOf);
  }
  // threading.Thread(target=f) / Thread(target=module.f)
  if (text.includes('Thread(')) {
    for (const call of root.findAll({ rule: { kind: 'call', has: { field: 'function', regex: '(^|\\.)Thread$' } } })) {
      const target = call.field('arguments')?.children().find((arg) => arg.kind() === 'keyword_argument' && arg.field('name')?.text() === 'target')?.field('value');
      if (!target) continue;
      const ref = target.kind() === 'identifier' ? { callee: target.text() } : target.kind() === 'attribute' && target.field('object')?.kind() === 'identifier' ? { callee: target.field('object')!.text(), member: target.field('attribute')!.text() } : undefined;
      if (ref) (facts.threads ??= []).push({ ...ref, ...pos(call), code: shortCode(call.text()) });
    }
  }
  // Functions nested in a `register_handlers(bot)` are registered and called by name too.
  for (const definition of root.findAll({ rule: { kind: 'function_definition', inside: { kind: 'block', inside: { kind: 'function_definition' } } } })) {
    const name = definition.field('name')?.text();
    if (name && !facts.functions.some((fn) => fn.name === name)) facts.functions.push({ id: startOf(definition), name });
  }

  // Handlers: decorated with a route/handler decorator, `(update, context)` callbacks, named in a registration.
  for (const definition of root.findAll({ rule: { kind: 'function_definition' } })) {
    const decorated = definition.parent()?.kind() === 'decorated_definition' ? definition.parent()! : undefined;
    const decorator = decorated?.children().find((child) => child.kind() === 'decorator' && HANDLER_DECORATOR.test(child.text()));
    if (decorator) facts.entries.push({ fn: startOf(definition), via: `a \`${shortCode(decorator.text(), 40)}\` handler` });
    else if (/^\(\s*(self\s*,\s*)?update\b[^)]*\b(context|ctx)\b/.test(definition.field('parameters')?.text() ?? '')) facts.entries.push({ fn: startOf(definition), via: 'an (update, context) handler' });
  }
  for (const call of root.findAll({ rule: { kind: 'call', has: { field: 'function', regex: `(?:^|\\.)${REGISTRATION.source}` } } })) {
    const callee = call.field('function')!.text();
    for (const arg of call.field('arguments')?.children() ?? []) {
      const value = arg.kind() === 'keyword_argument' && /^(callback|handler|func|view_func|endpoint)$/.test(arg.field('name')?.text() ?? '') ? arg.field('value') : arg;
      if (value?.kind() === 'identifier') facts.entries.push({ ref: value.text(), via: `a handler registered with \`${shortCode(callee, 40)}\`` });
      else if (value?.kind() === 'attribute' && value.field('object')?.kind() === 'identifier') facts.entries.push({ ref: value.field('object')!.text(), refMember: value.field('attribute')?.text(), via: `a handler registered with \`${shortCode(callee, 40)}\`` });
    }
  }

  // Writes of module bindings (containers mutated; any binding reassigned under `global`).
  // `global x` in a function with no module-level `x = …` declares x there (at the first `global`).
  for (const statement of root.findAll({ rule: { kind: 'global_statement' } })) {
    for (const id of statement.children().filter((child) => child.kind() === 'identifier')) {
      if (!bindings.some((binding) => binding.name === id.text())) bindings.push({ name: id.text(), kind: 'py', init: 'none', ...pos(id), exported: false });
    }
  }
  const local = bindings.filter((binding) => !CACHE_NAME.test(binding.name) && binding.name !== '__all__');
  // Names imported from other modules may be containers declared there (`from .loader import user_data`).
  const imported = facts.imports.filter((entry) => !CACHE_NAME.test(entry.local) && !local.some((binding) => binding.name === entry.local) && !facts.functions.some((fn) => fn.name === entry.local));
  const importedNames = new Map(imported.map((entry) => [entry.local, entry]));
  const writable = [...local, ...imported.map((entry) => ({ name: entry.local, kind: 'py' as const, init: 'object' as const, line: 0, column: 0, exported: false }))];
  const writeTargets = new Set<number>();
  if (writable.length > 0) {
    const target = { regex: `^(?:${writable.map((binding) => binding.name).join('|')})\\b` };
    const candidates = root.findAll({
      rule: {
        any: [
          { any: [{ kind: 'assignment' }, { kind: 'augmented_assignment' }], has: { field: 'left', ...target } },
          { kind: 'call', has: { field: 'function', kind: 'attribute', all: [{ has: { field: 'attribute', regex: MUTATORS.source } }, { has: { field: 'object', ...target } }] } },
          { kind: 'delete_statement', has: { ...target } },
        ],
      },
    });
    const names = new RegExp(namesRegex(writable.map((binding) => binding.name)));
    for (const node of candidates) {
      const targetNode = node.kind() === 'call' ? node.field('function')!.field('object') : node.kind() === 'delete_statement' ? node.child(1) : node.field('left');
      if (!targetNode) continue;
      const name = leftmost(targetNode.text());
      if (!name || !names.test(name)) continue;
      const binding = writable.find((entry) => entry.name === name)!;
      const container = binding.init === 'object' || binding.init === 'array' || binding.init === 'set';
      const whole = node.kind() !== 'call' && node.kind() !== 'delete_statement' && targetNode.kind() === 'identifier';
      const fns = node.ancestors().filter((ancestor) => FUNCTION_KINDS.has(ancestor.kind()));
      if (fns.length === 0) continue;
      if (whole) {
        // `x = …` / `x += …` in a function writes the module binding only under `global x`.
        const inner = fns[0];
        const globalDecl = inner.find({ rule: { kind: 'global_statement', has: { kind: 'identifier', regex: `^${name}$` } } });
        if (!globalDecl) continue;
      } else {
        if (!container) continue;
        if (fns.some((fn) => declaresLocally(fn, name))) continue;
      }
      const fromImport = importedNames.get(name);
      const member = fromImport?.name === '*' ? targetNode.text().match(/^\w+\s*\.\s*(\w+)/)?.[1] : undefined;
      if (fromImport && (whole || (fromImport.name === '*' && !member))) continue;
      writeTargets.add(startOf(targetNode));
      facts.writes.push({ binding: name, fns: fns.map(startOf), ...pos(node), code: shortCode(node.text()), ...(fromImport ? { imported: true, ...(member ? { member } : {}) } : {}) });
    }
  }
  const written = [...new Set(facts.writes.map((write) => write.binding))];
  const readNames = new Set<string>();
  if (written.length > 0) {
    const declaredAt = new Set(bindings.map((binding) => `${binding.line}:${binding.column}`));
    for (const node of root.findAll({ rule: { kind: 'identifier', regex: namesRegex(written), not: { inside: { kind: 'global_statement' } } } })) {
      const where = pos(node);
      if (declaredAt.has(`${where.line}:${where.column}`) || writeTargets.has(startOf(node))) continue;
      readNames.add(node.text());
    }
  }
  facts.bindings = bindings.map((binding) => ({ ...binding, read: readNames.has(binding.name) }));

  // Calls to local functions and imported names.
  const callable = new Set([...facts.functions.map((fn) => fn.name), ...facts.imports.map((entry) => entry.local)]);
  if (callable.size > 0) {
    const names = namesRegex(callable);
    for (const call of root.findAll({ rule: { kind: 'call', has: { field: 'function', any: [{ kind: 'identifier', regex: names }, { kind: 'attribute', has: { field: 'object', kind: 'identifier', regex: names } }] } } })) {
      const fns = call.ancestors().filter((ancestor) => FUNCTION_KINDS.has(ancestor.kind()));
      if (fns.length === 0) continue;
      const callee = call.field('function')!;
      const fact = callee.kind() === 'identifier' ? { callee: callee.text() } : { callee: callee.field('object')!.text(), member: callee.field('attribute')?.text() };
      facts.calls.push({ ...fact, fns: fns.map(startOf) });
    }
  }
  return facts;
}
