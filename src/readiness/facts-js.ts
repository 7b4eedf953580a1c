// Stage 1 for JavaScript/TypeScript: imports (ESM, CommonJS incl. destructuring, namespaces),
// module-level bindings, each write resolved to its binding (a shadowing parameter or local is
// not a module write), entry points, named functions, calls and exports.
// Built on ast-grep: a few native `findAll` queries per file, then ancestor walks from the few
// nodes that matter (walking every node through napi would be slow).
import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { CACHE_NAME, emptyFacts, namesRegex, shortCode, type BindingFact, type BindingInit, type FileFacts, type ImportFact } from './facts.js';
import { ENTRY_MODULE_LITERAL, HANDLER_METHOD, HANDLER_RECEIVER, HANDLER_RECEIVER_WORD, HTTP_METHODS, isEntryModule, NEXT_PAGES_API, NEXT_ROUTE, ONCE_EVENTS, ONCE_METHODS } from './libraries.js';

const FUNCTION_KINDS = new Set<unknown>(['arrow_function', 'function_expression', 'function', 'function_declaration', 'method_definition', 'generator_function', 'generator_function_declaration']);
const MUTATORS = /^(set|add|push|unshift|splice|delete|clear|pop|shift|sort|reverse|fill|copyWithin|assign)$/;
const CLIENT_MODULES = /^(react|react-dom|react-dom\/client|vue|svelte|preact|solid-js|socket\.io-client|@angular\/core)$/;
const CONTAINER = new Set(['array', 'object', 'map', 'set']);
const SIGNAL = /['"`](SIGTERM|SIGINT)['"`]/;
// Text prefilters: a tree search runs only when its needle can be in the file.
// `exports = …`, `exports.x = …`, `module.exports = …`, `module.exports.x = …`
const EXPORTS_ASSIGNMENT = /(?<![\w$.])(?:module\.)?exports(?:\.[\w$]+)?\s*=/;
// `.get(`, `.on(`, …: a handler method name right after a member dot
const HANDLER_MEMBER = new RegExp(`\\.\\s*(?:${HANDLER_METHOD.source.slice(2, -2)})(?![\\w$])`);
const escapeName = (name: string) => name.replace(/[$]/g, '\\$');
// Whether `name` occurs at least twice in the text as a whole word (strings and comments count too:
// an over-count, never an under-count of its identifier occurrences).
const occursTwice = (text: string, name: string) => {
  const first = text.indexOf(name);
  if (first < 0 || text.indexOf(name, first + 1) < 0) return false;
  const word = new RegExp(`(?<![\\w$])${escapeName(name)}(?![\\w$])`, 'g');
  return word.test(text) && word.test(text);
};
// Whether the text may reassign `name` (`name = …`, `name += …`, `name++`, `--name`) other than in
// its own `let`/`var`/`const` declaration: a binding that is not a container is written only so.
const reassigned = (text: string, name: string) => {
  if (!text.includes(name)) return false;
  const id = escapeName(name);
  const write = new RegExp(`(?<![\\w$.])${id}\\s*(?:(?:[-+*/%&|^]|<<|>>>?|\\*\\*|&&|\\|\\||\\?\\?)?=(?![=>])|\\+\\+|--)|(?:\\+\\+|--)\\s*${id}(?![\\w$])`, 'g');
  for (const match of text.matchAll(write)) if (!/(?:^|[^\w$])(?:var|let|const)\s+$/.test(text.slice(Math.max(0, match.index - 16), match.index))) return true;
  return false;
};

// Cheap text tests: module-level state, or handlers that call into other modules.
const STATE = /^(?:export\s+)?(?:let|var)\s+[\w$]+\s*(?:;|,|$|=(?!\s*require\())|^(?:export\s+)?const\s+[\w$]+\s*(?::[^=\n]+)?=\s*(?:\[|\{|new\s+(?:Map|Set|WeakMap|Array|Object)\b)|^[\w$]+\s*=\s*(?:\[|\{|new\s|\d)|^(?:module\.)?exports\.[\w$]+\s*=\s*(?:\[|\{|new\s)/m;
const RELATIVE = /require\(\s*['"]\.|from\s+['"]\./;
const HANDLERISH = /\.(?:get|post|put|patch|delete|all|use|on|once|command|hears|action|onText|message|handle|event)\(/;

// True when the file may hold facts that matter (stage 1 parses it even if no pattern rule applies).
export function jsNeedsFacts(text: string, path: string): boolean {
  return STATE.test(text) || (RELATIVE.test(text) && HANDLERISH.test(text)) || NEXT_PAGES_API.test(path) || NEXT_ROUTE.test(path);
}

// True when the file may hold an entry point (stage 1 extracts its facts at once); the facts of any
// other file matter only when a file that does imports it, and stage 2 asks for them then
// (project.ts, deferredReached). An entry is a Next.js convention handler, or a callback
// registered on a value from an entry module (named in a string literal: ENTRY_MODULE_LITERAL) or
// on a receiver with a usual handler name (HANDLER_RECEIVER_WORD): see entryOf and registration.
export function jsEntryCapable(text: string, path: string): boolean {
  return NEXT_PAGES_API.test(path) || NEXT_ROUTE.test(path) || ENTRY_MODULE_LITERAL.test(text) || HANDLER_RECEIVER_WORD.test(text);
}

const pos = (node: SgNode) => {
  const start = node.range().start;
  return { line: start.line + 1, column: start.column + 1 };
};
const startOf = (node: SgNode) => node.range().start.index;
const leftmost = (text: string) => text.match(/^[A-Za-z_$][\w$]*/)?.[0];
const stringValue = (node: SgNode | null) => node?.text().match(/^['"`]([^'"`]*)['"`]$/)?.[1];

function initKind(value: SgNode | null): BindingInit {
  if (!value) return 'none';
  let node = value;
  while (node.kind() === 'as_expression' || node.kind() === 'satisfies_expression' || node.kind() === 'parenthesized_expression') node = node.child(node.kind() === 'parenthesized_expression' ? 1 : 0) ?? node;
  switch (node.kind()) {
    case 'array':
      return 'array';
    case 'object':
      return 'object';
    case 'new_expression': {
      const ctor = node.field('constructor')?.text() ?? '';
      return /^(Map|WeakMap)$/.test(ctor) ? 'map' : /^(Set|WeakSet)$/.test(ctor) ? 'set' : /^(Array|Object)$/.test(ctor) ? 'array' : 'new';
    }
    case 'call_expression':
    case 'await_expression':
      return 'call';
    case 'number':
    case 'string':
    case 'template_string':
    case 'true':
    case 'false':
    case 'null':
    case 'undefined':
      return 'literal';
    default:
      return 'other';
  }
}

// Every name a binding pattern declares (`{ a, b: c, ...d }`, `[e, f = 1]`, `g`).
function patternNames(pattern: SgNode | null): string[] {
  if (!pattern) return [];
  if (pattern.kind() === 'identifier' || pattern.kind() === 'shorthand_property_identifier_pattern') return [pattern.text()];
  return pattern.findAll({ rule: { any: [{ kind: 'shorthand_property_identifier_pattern' }, { kind: 'identifier', not: { inside: { kind: 'pair_pattern', field: 'key' } } }], not: { inside: { kind: 'assignment_pattern', field: 'right', stopBy: 'end' } } } }).map((node) => node.text());
}

// Rule regexes use ASCII classes (`[A-Za-z0-9_$]`, `(?-u:\b)`), as JavaScript's own `\w` and
// `\b` are: @ast-grep/napi compiles a rule's regexes on every `findAll`, and a Unicode `\w` costs
// about 0.3–0.9 ms to compile, more than walking a whole file.
const IMPORT_STATEMENT = { kind: 'import_statement' } as const;
const REQUIRE_CALL = { kind: 'call_expression', has: { field: 'function', kind: 'identifier', regex: '^require$' } } as const;
const EXPORTS_WRITE = { kind: 'assignment_expression', has: { field: 'left', kind: 'member_expression', regex: '^(module\\.exports|exports)(\\.[A-Za-z0-9_$]+)?$' } } as const;

// A TypeScript `declare module 'x' { … }` or `namespace N { … }` body may hold import statements;
// anywhere else an import statement is a top-level statement.
const NESTED_MODULE = /\b(?:module|namespace)\s+['"A-Za-z_$]/;

// The nodes every file's facts start from: ESM imports, `require(…)` calls and CommonJS export
// assignments. Imports are read off the top-level statements; the rest (they can be anywhere)
// comes from one walk of the tree, each searched only when its text can be in the file.
function moduleNodes(root: SgNode, text: string, statements: TopStatement[]): { imports: SgNode[]; requires: SgNode[]; exports: SgNode[] } {
  const importText = /\bimport\b/.test(text);
  const nestedImports = importText && NESTED_MODULE.test(text);
  const wanted = [nestedImports && IMPORT_STATEMENT, text.includes('require(') && REQUIRE_CALL, EXPORTS_ASSIGNMENT.test(text) && EXPORTS_WRITE].filter((rule) => rule !== false);
  const found = { imports: [] as SgNode[], requires: [] as SgNode[], exports: [] as SgNode[] };
  if (importText && !nestedImports) found.imports = statements.filter((entry) => entry.kind === 'import_statement').map((entry) => entry.statement);
  if (wanted.length === 0) return found;
  for (const node of root.findAll({ rule: wanted.length === 1 ? wanted[0] : { any: wanted } })) {
    const kind = node.kind();
    (kind === 'import_statement' ? found.imports : kind === 'call_expression' ? found.requires : found.exports).push(node);
  }
  return found;
}

function collectImports(statements: SgNode[], requires: SgNode[]): ImportFact[] {
  const imports: ImportFact[] = [];
  for (const statement of statements) {
    const module = stringValue(statement.field('source'));
    if (module === undefined) continue;
    const clause = statement.children().find((child) => child.kind() === 'import_clause');
    if (!clause) continue;
    for (const part of clause.children()) {
      if (part.kind() === 'identifier') imports.push({ local: part.text(), module, name: 'default' });
      else if (part.kind() === 'namespace_import') {
        const id = part.children().find((child) => child.kind() === 'identifier');
        if (id) imports.push({ local: id.text(), module, name: '*' });
      } else if (part.kind() === 'named_imports') {
        for (const spec of part.findAll({ rule: { kind: 'import_specifier' } })) {
          const name = spec.field('name')?.text();
          if (name) imports.push({ local: spec.field('alias')?.text() ?? name, module, name });
        }
      }
    }
  }
  // CommonJS: const x = require('m'); const { A, B: C } = require('m'); const A = require('m').A; X = require('m')
  // (find the few `require(…)` calls natively, then look at their parents).
  for (const call of requires) {
    const module = stringValue(call.field('arguments')?.child(1) ?? null);
    if (module === undefined) continue;
    let value: SgNode = call;
    let member: string | undefined;
    const parent = call.parent();
    if (parent?.kind() === 'member_expression' && parent.field('object')?.range().start.index === call.range().start.index) {
      member = parent.field('property')?.text();
      value = parent;
    }
    const holder = value.parent();
    const target = holder?.kind() === 'variable_declarator' ? holder.field('name') : holder?.kind() === 'assignment_expression' ? holder.field('left') : null;
    if (!target) continue;
    if (target.kind() === 'identifier') imports.push({ local: target.text(), module, name: member ?? '*' });
    else if (target.kind() === 'object_pattern') {
      for (const child of target.children()) {
        if (child.kind() === 'shorthand_property_identifier_pattern') imports.push({ local: child.text(), module, name: child.text() });
        else if (child.kind() === 'pair_pattern') {
          const local = child.field('value');
          if (local?.kind() === 'identifier') imports.push({ local: local.text(), module, name: child.field('key')?.text() ?? local.text() });
        }
      }
    }
  }
  return imports;
}

// A top-level statement with the node kinds the collectors ask for, read once per file (each
// napi call costs about as much as a small JavaScript function).
type Kind = ReturnType<SgNode['kind']>;

interface TopStatement {
  statement: SgNode;
  kind: Kind;
  exported: boolean;
  /** The statement itself, or what an `export` statement declares (null: `export { a }`, `export default x`). */
  declaration: SgNode | null;
  declarationKind: Kind | undefined;
  /** `let`/`const`/`var` declarators: the declarator, its name and its value. */
  declarators: { node: SgNode; name: SgNode | null; value: SgNode | null }[];
}

function topStatements(root: SgNode): TopStatement[] {
  return root.children().map((statement) => {
    const kind = statement.kind();
    const exported = kind === 'export_statement';
    const declaration = exported ? statement.field('declaration') : statement;
    const declarationKind = declaration?.kind();
    const declarators =
      declaration && (declarationKind === 'lexical_declaration' || declarationKind === 'variable_declaration')
        ? declaration
            .children()
            .filter((child) => child.kind() === 'variable_declarator')
            .map((node) => ({ node, name: node.field('name'), value: node.field('value') }))
        : [];
    return { statement, kind, exported, declaration, declarationKind, declarators };
  });
}

// Module-level declarations: `let/var x`, `const x = [] | {} | new Map()`, and implicit globals
// (`users = []` at module level with no declaration anywhere in the file).
function collectBindings(statements: TopStatement[], declared: Set<string>): Omit<BindingFact, 'read'>[] {
  const bindings: Omit<BindingFact, 'read'>[] = [];
  for (const { declaration, declarationKind: kind, exported, declarators } of statements) {
    if (!declaration) continue;
    if (kind === 'function_declaration' || kind === 'class_declaration' || kind === 'generator_function_declaration') {
      const name = declaration.field('name')?.text();
      if (name) declared.add(name);
      continue;
    }
    if (kind !== 'lexical_declaration' && kind !== 'variable_declaration') continue;
    const keyword = kind === 'variable_declaration' ? 'var' : declaration.text().startsWith('let') ? 'let' : 'const';
    for (const { name: nameNode, value } of declarators) {
      if (nameNode?.kind() !== 'identifier') {
        for (const name of patternNames(nameNode)) declared.add(name);
        continue;
      }
      declared.add(nameNode.text());
      const init = initKind(value);
      bindings.push({ name: nameNode.text(), kind: keyword, init, ...pos(nameNode), exported });
    }
  }
  for (const { statement, kind } of statements) {
    if (kind !== 'expression_statement') continue;
    const assignment = statement.child(0);
    if (assignment?.kind() !== 'assignment_expression') continue;
    const left = assignment.field('left');
    // exports.cooldown = new Set(): a module binding other modules import
    const exportedName = left?.text().match(/^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/)?.[1];
    if (exportedName && !declared.has(exportedName)) {
      const init = initKind(assignment.field('right'));
      if (init === 'array' || init === 'object' || init === 'map' || init === 'set') {
        declared.add(exportedName);
        bindings.push({ name: exportedName, kind: 'const', init, ...pos(left!), exported: true });
      }
      continue;
    }
    if (left?.kind() !== 'identifier' || declared.has(left.text())) continue;
    const init = initKind(assignment.field('right'));
    if (init === 'other' || init === 'call') continue;
    declared.add(left.text());
    bindings.push({ name: left.text(), kind: 'global', init, ...pos(left), exported: false });
  }
  return bindings;
}

// A local declaration of a module binding's name: the function that owns it (start offset), the
// range where it is visible (null: the whole function, as for `var`), and whether it is
// `… = require(…)` (for an imported name that is the import itself, not a shadowing local).
interface LocalDeclaration {
  owner: number;
  scope: [number, number] | null;
  viaRequire: boolean;
}

// The names a declaration's binding part holds for scope purposes: the identifier itself, or every
// identifier (and `{ shorthand }` name, where `kinds` has it) inside a pattern. A default value's
// identifier inside a pattern counts too: an over-count keeps a doubtful write out, never in.
function declaredIn(node: SgNode | null, shorthand: boolean): string[] {
  if (!node) return [];
  if (node.kind() === 'identifier') return [node.text()];
  const inner = shorthand ? { any: [{ kind: 'identifier' }, { kind: 'shorthand_property_identifier_pattern' }] } : { kind: 'identifier' };
  return node.findAll({ rule: inner as NapiConfig['rule'] }).map((found) => found.text());
}

// Every local declaration in the file of any of `names` inside a function, by name, from one walk
// (a search per function and name cost a native walk and a regex compile each: quadratic in a file
// of many small functions that write module state).
function localDeclarations(root: SgNode, names: string[]): Map<string, LocalDeclaration[]> {
  const byName = new Map<string, LocalDeclaration[]>();
  if (names.length === 0) return byName;
  const named = { matches: 'name' };
  const found = root.findAll({
    rule: {
      any: [
        { kind: 'variable_declarator', has: { field: 'name', any: [{ kind: 'identifier', ...named }, { has: { stopBy: 'end', any: [{ kind: 'identifier' }, { kind: 'shorthand_property_identifier_pattern' }], ...named } }] } },
        { kind: 'for_in_statement', has: { field: 'left', any: [{ kind: 'identifier', ...named }, { has: { stopBy: 'end', any: [{ kind: 'identifier' }, { kind: 'shorthand_property_identifier_pattern' }], ...named } }] } },
        { kind: 'catch_clause', has: { field: 'parameter', any: [{ kind: 'identifier', ...named }, { has: { stopBy: 'end', kind: 'identifier', ...named } }] } },
        { any: [{ kind: 'function_declaration' }, { kind: 'class_declaration' }], has: { field: 'name', ...named } },
      ],
    },
    utils: { name: { regex: namesRegex(names) } },
  });
  const wanted = new Set(names);
  for (const local of found) {
    const owner = local.ancestors().find((node) => FUNCTION_KINDS.has(node.kind()));
    if (!owner) continue; // a module-level declaration
    const kind = local.kind();
    const declared =
      kind === 'variable_declarator' ? declaredIn(local.field('name'), true)
        : kind === 'for_in_statement' ? declaredIn(local.field('left'), true)
          : kind === 'catch_clause' ? declaredIn(local.field('parameter'), false)
            : [local.field('name')?.text() ?? ''];
    const isVar = kind === 'variable_declarator' && local.parent()?.kind() === 'variable_declaration';
    const scopeNode = kind === 'variable_declarator' ? local.parent()?.parent() : kind === 'for_in_statement' || kind === 'catch_clause' ? local : local.parent();
    const entry: LocalDeclaration = {
      owner: startOf(owner),
      scope: isVar || !scopeNode ? null : [scopeNode.range().start.index, scopeNode.range().end.index],
      viaRequire: kind === 'variable_declarator' && /^require\(/.test(local.field('value')?.text() ?? ''),
    };
    for (const name of new Set(declared)) {
      if (!wanted.has(name)) continue;
      if (!byName.has(name)) byName.set(name, []);
      byName.get(name)!.push(entry);
    }
  }
  return byName;
}

// The ranges of `fn` (a function node) where its own declaration of `name` is visible: all of it
// for a parameter or `var`, the enclosing block for `let`/`const`/loop/catch bindings.
// `requireIsImport`: for an imported name, `const { x } = require('./m')` inside the function is the
// import itself, not a shadowing local.
function localScopes(fn: SgNode, name: string, declarations: Map<string, LocalDeclaration[]>, requireIsImport = false): [number, number][] {
  const whole: [number, number] = [fn.range().start.index, fn.range().end.index];
  const params = fn.field('parameters') ?? fn.field('parameter');
  if (params && (params.kind() === 'identifier' ? params.text() === name : params.text().includes(name) && patternNames(params).includes(name))) return [whole];
  if (!fn.field('body')) return [];
  const id = startOf(fn);
  const scopes: [number, number][] = [];
  for (const local of declarations.get(name) ?? []) {
    if (local.owner !== id) continue; // a nested function's own local
    if (requireIsImport && local.viaRequire) continue;
    if (local.scope === null) return [whole];
    scopes.push(local.scope);
  }
  return scopes;
}

interface Resolver {
  /**
   * The module `name` comes from. An import answers at once (a built value never shadows one);
   * the built values are searched on first need: most files never ask about one.
   */
  originOf(name: string): string | undefined;
}

// The module a local value comes from: imported, or built from an import (`express()`,
// `new Telegraf()`, `express.Router()`, `new Discord.Client()`, `require('socket.io')(server)`).
function collectOrigins(root: SgNode, imports: ImportFact[]): Map<string, string> {
  const origins = new Map<string, string>(imports.map((entry) => [entry.local, entry.module]));
  // (only a plain name can be an origin: `this.x = new Y()` stays in the tree)
  const value = { any: [{ kind: 'new_expression' }, { kind: 'call_expression' }, { kind: 'await_expression' }] };
  const built = root
    .findAll({
      rule: {
        any: [
          { kind: 'variable_declarator', all: [{ has: { field: 'name', kind: 'identifier' } }, { has: { field: 'value', ...value } }] },
          { kind: 'assignment_expression', all: [{ has: { field: 'left', kind: 'identifier' } }, { has: { field: 'right', ...value } }] },
        ],
      },
    })
    .map((node) => {
      const declarator = node.kind() === 'variable_declarator';
      return { target: node.field(declarator ? 'name' : 'left')!.text(), value: node.field(declarator ? 'value' : 'right')! };
    });
  for (let pass = 0; pass < 2; pass++) {
    for (const node of built) {
      if (origins.has(node.target)) continue;
      let value = node.value;
      if (value.kind() === 'await_expression') value = value.child(1) ?? value;
      const callee = value.field(value.kind() === 'new_expression' ? 'constructor' : 'function');
      if (!callee || (callee.kind() !== 'identifier' && callee.kind() !== 'member_expression' && callee.kind() !== 'call_expression')) continue;
      const text = callee.kind() === 'call_expression' ? callee.field('function')?.text() === 'require' ? `require(${callee.field('arguments')?.child(1)?.text() ?? ''})` : '' : callee.text();
      const required = text.match(/^require\(\s*['"`]([^'"`]+)['"`]\s*\)/)?.[1];
      const head = leftmost(text);
      const module = required ?? (head ? origins.get(head) : undefined);
      if (module) origins.set(node.target, module);
    }
  }
  return origins;
}

// Why `fn` is an entry point, or undefined. Registered callbacks and Next.js convention handlers.
function entryOf(fn: SgNode, resolver: Resolver, path: string): string | undefined {
  const parent = fn.parent();
  if (parent?.kind() === 'arguments') return registration(parent.parent(), resolver);
  if (NEXT_PAGES_API.test(path) || NEXT_ROUTE.test(path)) {
    const exported = parent?.kind() === 'export_statement' ? parent : parent?.kind() === 'variable_declarator' ? parent.parent()?.parent() : undefined;
    if (exported?.kind() === 'export_statement') {
      const isDefault = /^export\s+default\b/.test(exported.text());
      const name = fn.field('name')?.text() ?? (parent?.kind() === 'variable_declarator' ? parent.field('name')?.text() : undefined);
      if (NEXT_PAGES_API.test(path) && isDefault) return 'a Next.js API route';
      if (NEXT_ROUTE.test(path) && name && HTTP_METHODS.has(name)) return `the Next.js route handler ${name}`;
    }
  }
  return undefined;
}

// A call registering a callback that runs per request/update/event: a description, or undefined.
function registration(call: SgNode | null, resolver: Resolver): string | undefined {
  if (call?.kind() !== 'call_expression') return undefined;
  const callee = call.field('function');
  if (callee?.kind() !== 'member_expression') return undefined;
  const method = callee.field('property')?.text() ?? '';
  const receiver = leftmost(callee.field('object')?.text() ?? '');
  if (!receiver || receiver === 'process' || receiver === 'signal') return undefined;
  const first = call.field('arguments')?.child(1);
  const event = stringValue(first ?? null);
  if (ONCE_METHODS.has(method) || (event !== undefined && ONCE_EVENTS.has(event))) return undefined;
  const module = resolver.originOf(receiver);
  if (module !== undefined ? isEntryModule(module) : HANDLER_RECEIVER.test(receiver) && HANDLER_METHOD.test(method)) return `a \`${receiver}.${method}\` handler`;
  return undefined;
}

// Facts of one JS/TS file (`path` relative to the scan root, `/`-separated).
// A plain browser script (served as a static file, `<script src>`): it imports nothing, touches
// the DOM, and uses none of Node's module globals.
function browserScript(text: string, facts: FileFacts): boolean {
  return facts.imports.length === 0 && /\b(?:document|window)\.\w/.test(text) && !/\brequire\(|^\s*(?:import|export)\b|\bprocess\.|\bmodule\.exports\b|\bexports\.\w|__dirname/m.test(text);
}

// `needed`: the caller already found jsNeedsFacts(text, path) true.
export function jsFacts(root: SgNode, text: string, path: string, needed = false): FileFacts {
  const facts = emptyFacts();
  facts.signals = SIGNAL.test(text);
  if (!needed && !jsNeedsFacts(text, path)) return facts;
  const statements = topStatements(root);
  const nodes = moduleNodes(root, text, statements);
  facts.imports = collectImports(nodes.imports, nodes.requires);
  const declared = new Set<string>(facts.imports.map((entry) => entry.local));
  const bindings = collectBindings(statements, declared);
  let origins: Map<string, string> | undefined;
  const importedFrom = new Map<string, string>(facts.imports.map((entry) => [entry.local, entry.module]));
  const resolver: Resolver = {
    originOf: (name) => (importedFrom.has(name) ? importedFrom.get(name) : (origins ??= collectOrigins(root, facts.imports)).get(name)),
  };
  const entryMemo = new Map<number, string | undefined>();
  const recordEntries = (fns: SgNode[]) => {
    for (const fn of fns) {
      const id = startOf(fn);
      if (!entryMemo.has(id)) entryMemo.set(id, entryOf(fn, resolver, path));
      const via = entryMemo.get(id);
      if (via && !facts.entries.some((entry) => entry.fn === id)) facts.entries.push({ fn: id, via });
    }
  };

  // Named top-level functions (and exports).
  for (const { statement, exported, declaration, declarationKind, declarators } of statements) {
    if (declaration && (declarationKind === 'function_declaration' || declarationKind === 'generator_function_declaration')) {
      const name = declaration.field('name')?.text();
      if (name) facts.functions.push({ id: startOf(declaration), name });
      if (name && exported) facts.exports.push({ name: /^export\s+default\b/.test(statement.text()) ? 'default' : name, local: name });
      recordEntries([declaration]);
    } else if (declaration && (declarationKind === 'lexical_declaration' || declarationKind === 'variable_declaration')) {
      for (const declarator of declarators) {
        const value = declarator.value;
        const name = declarator.name?.text();
        if (!name) continue;
        if (value && FUNCTION_KINDS.has(value.kind())) {
          facts.functions.push({ id: startOf(value), name });
          recordEntries([value]);
        }
        if (exported) facts.exports.push({ name, local: name });
      }
    }
    if (exported) {
      const value = statement.field('value') ?? statement.children().find((child) => FUNCTION_KINDS.has(child.kind()));
      if (value && FUNCTION_KINDS.has(value.kind())) {
        facts.exports.push({ name: 'default', fn: startOf(value) });
        recordEntries([value]);
      } else if (value?.kind() === 'identifier') {
        facts.exports.push({ name: 'default', local: value.text() });
        if (NEXT_PAGES_API.test(path)) facts.entries.push({ ref: value.text(), via: 'a Next.js API route' });
      }
      for (const spec of statement.findAll({ rule: { kind: 'export_specifier' } })) {
        const local = spec.field('name')?.text();
        if (local) facts.exports.push({ name: spec.field('alias')?.text() ?? local, local });
      }
    }
  }
  // CommonJS exports: module.exports = x | { a, b: c } | function; exports.a = …; module.exports.a = …
  for (const assignment of nodes.exports) {
    const left = assignment.field('left')!.text();
    const right = assignment.field('right')!;
    const name = left.match(/\.([\w$]+)$/)?.[1];
    const exportName = name === 'exports' || name === undefined ? 'default' : name;
    if (FUNCTION_KINDS.has(right.kind())) facts.exports.push({ name: exportName, fn: startOf(right) });
    else if (right.kind() === 'identifier') facts.exports.push({ name: exportName, local: right.text() });
    else if (right.kind() === 'object' && exportName === 'default') {
      for (const child of right.children()) {
        if (child.kind() === 'shorthand_property_identifier') facts.exports.push({ name: child.text(), local: child.text() });
        else if (child.kind() === 'pair') {
          const key = child.field('key')?.text();
          const value = child.field('value');
          if (!key || !value) continue;
          if (value.kind() === 'identifier') facts.exports.push({ name: key, local: value.text() });
          else if (FUNCTION_KINDS.has(value.kind())) facts.exports.push({ name: key, fn: startOf(value) });
        } else if (child.kind() === 'method_definition') {
          const key = child.field('name')?.text();
          if (key) facts.exports.push({ name: key, fn: startOf(child) });
        }
      }
    }
  }
  const exportedLocals = new Set(facts.exports.map((entry) => entry.local).filter((local): local is string => local !== undefined));

  // Writes of module bindings, each resolved to the binding it reaches (scopes searched once per
  // function and name).
  const scopesMemo = new Map<string, [number, number][]>();
  let declarations: Map<string, LocalDeclaration[]> | undefined;
  const shadows = (fn: SgNode, name: string, at: number) => {
    const memo = `${startOf(fn)}:${name}`;
    let scopes = scopesMemo.get(memo);
    if (!scopes) scopesMemo.set(memo, (scopes = localScopes(fn, name, (declarations ??= localDeclarations(root, writable.map((binding) => binding.name))), importedNames.has(name))));
    return scopes.some(([from, to]) => from <= at && at < to);
  };
  const local = bindings.filter((binding) => !CACHE_NAME.test(binding.name) && (binding.kind !== 'const' || CONTAINER.has(binding.init)));
  // Imports of project modules may be containers declared there (`const { cooldown } = require('./cooldown')`).
  const imported = facts.imports.filter((entry) => entry.module.startsWith('.') && entry.name !== 'default' && !CACHE_NAME.test(entry.local) && !local.some((binding) => binding.name === entry.local));
  const writable = [...local, ...imported.map((entry) => ({ name: entry.local, kind: 'const' as const, init: 'map' as const, line: 0, column: 0, exported: false }))];
  const importedNames = new Map(imported.map((entry) => [entry.local, entry]));
  const writeTargets = new Set<number>();
  const names = namesRegex(writable.map((binding) => binding.name));
  // Aliases inside a function: `let c = cooldown; c.add(id)` writes `cooldown`. Only a container
  // is written through an alias (rebinding an alias rebinds the alias only).
  const aliases = new Map<string, { of: string; from: number; to: number }[]>();
  const containers = writable.filter((binding) => CONTAINER.has(binding.init)).map((binding) => binding.name);
  // (the tree is searched only when the text has a declarator: `let`/`const`/`var` or a comma, a
  // name, maybe a type, `=`, a container's name, the statement's end)
  const aliasText = containers.length > 0 && new RegExp(`(?:(?<![\\w$])(?:const|let|var)\\s+|,\\s*)[\\w$]+\\s*!?\\s*(?::[^=;]*)?=\\s*(?:${containers.map(escapeName).join('|')})\\s*(?:;|,|$)`, 'm');
  if (aliasText && aliasText.test(text)) for (const declarator of root.findAll({ rule: { kind: 'variable_declarator', all: [{ has: { field: 'name', kind: 'identifier' } }, { has: { field: 'value', kind: 'identifier', regex: namesRegex(containers) } }] } })) {
    const owner = declarator.ancestors().find((ancestor) => FUNCTION_KINDS.has(ancestor.kind()));
    const alias = declarator.field('name')!.text();
    if (!owner || writable.some((binding) => binding.name === alias)) continue;
    if (!aliases.has(alias)) aliases.set(alias, []);
    aliases.get(alias)!.push({ of: declarator.field('value')!.text(), from: owner.range().start.index, to: owner.range().end.index });
  }
  const targetNames = [...writable.map((binding) => binding.name), ...aliases.keys()].map(escapeName).join('|');
  // Every write candidate's target text starts with a writable name (or an alias, whose declaration
  // names a writable one), at a place other than the name's own declaration or import.
  const targetText = new RegExp(`^(?:${targetNames})\\b`);
  const searchWrites = writable.some((binding) => (CONTAINER.has(binding.init) ? occursTwice(text, binding.name) : reassigned(text, binding.name)));
  // Named callbacks (bot.on('message', onMessage), app.get('/', routes.list)) matter only when a
  // reference can lead somewhere: a write here, or a project module.
  const relativeImports = facts.imports.some((entry) => entry.module.startsWith('.'));
  const searchHandlers = (relativeImports || searchWrites) && HANDLER_MEMBER.test(text);
  // One walk finds the write candidates and the handler registrations. The call branches share
  // one `call_expression` test on the callee (cheaper than one branch each).
  const target = { matches: 'target' };
  const calleeRules: NapiConfig['rule'][] = [];
  const branches: NapiConfig['rule'][] = [];
  if (searchWrites) {
    calleeRules.push({ kind: 'member_expression', all: [{ has: { field: 'property', regex: MUTATORS.source } }, { has: { field: 'object', ...target } }] }, { regex: '^Object\\.assign$' });
    branches.push(
      { any: [{ kind: 'assignment_expression' }, { kind: 'augmented_assignment_expression' }], has: { field: 'left', ...target } },
      { kind: 'update_expression', has: { field: 'argument', ...target } },
      { kind: 'unary_expression', regex: '^delete(?-u:\\b)', has: { field: 'argument', ...target } },
    );
  }
  if (searchHandlers) calleeRules.push({ kind: 'member_expression', has: { field: 'property', regex: HANDLER_METHOD.source } });
  if (calleeRules.length > 0) branches.unshift({ kind: 'call_expression', has: { field: 'function', any: calleeRules } });
  // (utility rules: each regex is compiled once per search, not once per use)
  const utils = { target: { regex: `^(?:${targetNames})(?-u:\\b)` } };
  const found = branches.length === 0 ? [] : root.findAll({ rule: { any: branches }, utils });
  // Which branch a found node came from: only a call can come from both.
  const kinds = found.map((node) => node.kind());
  const callees = found.map((node, index) => (kinds[index] === 'call_expression' ? node.field('function') : null));
  const isWrite = (index: number) => {
    if (!searchWrites) return false;
    const callee = callees[index];
    if (!callee) return kinds[index] !== 'call_expression';
    if (callee.text() === 'Object.assign') return true;
    if (callee.kind() !== 'member_expression') return false;
    const object = callee.field('object');
    return MUTATORS.test(callee.field('property')?.text() ?? '') && object !== null && targetText.test(object.text());
  };

  for (const [index, node] of found.entries()) {
    if (!isWrite(index)) continue;
    let targetNode: SgNode | null;
    if (kinds[index] === 'call_expression') {
      const callee = callees[index]!;
      if (callee.text() === 'Object.assign') {
        targetNode = node.field('arguments')?.child(1) ?? null;
        if (!targetNode || !targetText.test(targetNode.text())) continue;
      } else targetNode = callee.field('object');
    } else targetNode = node.field(kinds[index] === 'update_expression' || kinds[index] === 'unary_expression' ? 'argument' : 'left');
    if (!targetNode) continue;
    let name = leftmost(targetNode.text());
    const at = startOf(node);
    const aliased = name === undefined ? undefined : aliases.get(name)?.find((entry) => entry.from <= at && at < entry.to);
    if (aliased) name = aliased.of;
    if (!name || !new RegExp(names).test(name)) continue;
    const binding = writable.find((entry) => entry.name === name)!;
    // Containers count every mutation; other let/var bindings only reassignment (`x = …`, `x++`):
    // `client.set(…)` on a module-level Redis client is not module state.
    const whole = kinds[index] !== 'call_expression' && targetNode.kind() === 'identifier';
    if (aliased && whole) continue; // `c = …` rebinds the alias only
    if (!CONTAINER.has(binding.init) && (!whole || binding.kind === 'const')) continue;
    const fns: SgNode[] = node.ancestors().filter((ancestor) => FUNCTION_KINDS.has(ancestor.kind()));
    if (fns.length === 0) continue; // module-level initialisation
    if (fns.some((fn) => shadows(fn, name, at))) continue; // a shadowing parameter or local
    const fromImport = importedNames.get(name);
    const member = fromImport?.name === '*' ? targetNode.text().match(/^[\w$]+\s*\.\s*([\w$]+)/)?.[1] : undefined;
    if (fromImport && (whole || (fromImport.name === '*' && !member))) continue;
    writeTargets.add(startOf(targetNode));
    facts.writes.push({ binding: name, fns: fns.map(startOf), ...pos(node), code: shortCode(node.text()), ...(fromImport ? { imported: true, ...(member ? { member } : {}) } : {}) });
    recordEntries(fns);
  }

  if (searchHandlers && (relativeImports || facts.writes.length > 0)) for (const [index, call] of found.entries()) {
    const callee = callees[index];
    if (callee?.kind() !== 'member_expression' || !HANDLER_METHOD.test(callee.field('property')?.text() ?? '')) continue;
    const args = call.field('arguments')?.children().filter((child) => child.kind() === 'identifier' || child.kind() === 'member_expression') ?? [];
    if (args.length === 0) continue;
    const via = registration(call, resolver);
    if (!via) continue;
    for (const arg of args) {
      if (arg.kind() === 'identifier') facts.entries.push({ ref: arg.text(), via });
      else {
        const object = arg.field('object');
        if (object?.kind() === 'identifier') facts.entries.push({ ref: object.text(), refMember: arg.field('property')?.text(), via });
      }
    }
  }

  // Reads: any other occurrence of the name (write-only containers are a leak, not shared state).
  const readNames = new Set<string>();
  const written = [...new Set(facts.writes.map((write) => write.binding))];
  if (written.length > 0) {
    const declaredAt = new Set(bindings.map((binding) => `${binding.line}:${binding.column}`));
    for (const node of root.findAll({ rule: { any: [{ kind: 'identifier' }, { kind: 'shorthand_property_identifier' }], regex: namesRegex(written) } })) {
      const where = pos(node);
      if (declaredAt.has(`${where.line}:${where.column}`) || writeTargets.has(startOf(node))) continue;
      readNames.add(node.text());
    }
  }
  facts.bindings = bindings.map((binding) => ({ ...binding, read: binding.exported || exportedLocals.has(binding.name) || readNames.has(binding.name) }));

  // Calls to local functions and imported names, with their enclosing functions. Only calls that
  // can lead to a write matter: to project modules, and to local functions that write module state
  // themselves (one hop inside a file; chains continue through exports). A walk of its own: taking
  // calls to any local function in the walk above, before the writers are known, cost more.
  const writers = new Set(facts.writes.flatMap((write) => write.fns));
  // (a callee is `name(`, `name?.(`, `name<T>(`, name`…`, or `name.member(`)
  const calledText = (names: Set<string>) => new RegExp(`(?<![\\w$])(?:${[...names].map(escapeName).join('|')})\\s*(?:\\?\\.|[.(<\`])`);
  const callable = new Set([...facts.functions.filter((fn) => writers.has(fn.id)).map((fn) => fn.name), ...facts.imports.filter((entry) => entry.module.startsWith('.')).map((entry) => entry.local)]);
  const calls = callable.size === 0 || !calledText(callable).test(text) ? [] : root.findAll({ rule: { kind: 'call_expression', has: { field: 'function', any: [{ kind: 'identifier', matches: 'callee' }, { kind: 'member_expression', has: { field: 'object', kind: 'identifier', matches: 'callee' } }] } }, utils: { callee: { regex: namesRegex(callable) } } });
  for (const call of calls) {
    const callee = call.field('function');
    const head = callee?.kind() === 'identifier' ? callee : callee?.field('object');
    if (!head) continue;
    const fns = call.ancestors().filter((ancestor) => FUNCTION_KINDS.has(ancestor.kind()));
    if (fns.length === 0) continue;
    const fact = head === callee ? { callee: head.text() } : { callee: head.text(), member: callee!.field('property')?.text() };
    facts.calls.push({ ...fact, fns: fns.map(startOf) });
    recordEntries(fns);
  }
  // Browser code (React/Vue/Svelte components, socket.io-client, "use client"): its module state is
  // per tab, and its callbacks are not server entry points.
  if (facts.imports.some((entry) => CLIENT_MODULES.test(entry.module)) || /^\s*['"]use client['"]/.test(text) || browserScript(text, facts)) facts.entries = [];
  return facts;
}
