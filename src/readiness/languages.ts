// Which parser reads which file, and which rules apply to it. Adding a language = one entry here
// (plus registerDynamicLanguage for grammars that are not built into @ast-grep/napi).
import { createRequire } from 'node:module';
import { extname } from 'node:path';

// A rule family: every rule with a `language:` of the family runs on every file of the family.
export type LanguageFamily = 'js' | 'python';

// How one source file is parsed and which rules it gets.
export interface FileLanguage {
  family: LanguageFamily;
  /** The parser name given to @ast-grep/napi. */
  parser: string;
}

// .ts keeps the TypeScript grammar (angle-bracket casts); JS and JSX parse with TSX, a superset.
const BY_EXTENSION: Record<string, FileLanguage> = {
  '.ts': { family: 'js', parser: 'TypeScript' },
  '.mts': { family: 'js', parser: 'TypeScript' },
  '.cts': { family: 'js', parser: 'TypeScript' },
  '.tsx': { family: 'js', parser: 'Tsx' },
  '.js': { family: 'js', parser: 'Tsx' },
  '.jsx': { family: 'js', parser: 'Tsx' },
  '.mjs': { family: 'js', parser: 'Tsx' },
  '.cjs': { family: 'js', parser: 'Tsx' },
  '.py': { family: 'python', parser: 'python' },
};

// The `language:` values a rule file may use, mapped to their family (ast-grep spellings).
const RULE_LANGUAGES: Record<string, LanguageFamily> = {
  typescript: 'js',
  ts: 'js',
  tsx: 'js',
  javascript: 'js',
  js: 'js',
  jsx: 'js',
  python: 'python',
  py: 'python',
};

// The parser for a file path, or undefined when we do not scan that kind of file.
export function languageOf(path: string): FileLanguage | undefined {
  return BY_EXTENSION[extname(path).toLowerCase()];
}

// The family of a rule's `language:` value, or undefined when unknown.
export function ruleFamily(language: string): LanguageFamily | undefined {
  return RULE_LANGUAGES[language.toLowerCase()];
}

// Every rule-file language spelling we accept (for error messages).
export const KNOWN_RULE_LANGUAGES = Object.keys(RULE_LANGUAGES);

type Napi = typeof import('@ast-grep/napi');
let loaded: Napi | undefined;

// @ast-grep/napi, loaded on first use (a scan answered from the cache never loads the native
// parser), with the grammars it does not embed (Python) registered.
export function napi(): Napi {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const module = require('@ast-grep/napi') as Napi;
  const python = require('@ast-grep/lang-python') as { libraryPath: string; extensions: string[]; languageSymbol?: string; expandoChar?: string };
  module.registerDynamicLanguage({
    python: {
      libraryPath: python.libraryPath,
      extensions: python.extensions,
      languageSymbol: python.languageSymbol,
      expandoChar: python.expandoChar,
    },
  });
  loaded = module;
  return module;
}

// Registers the grammars @ast-grep/napi does not embed (Python). Safe to call many times.
export function ensureLanguages(): void {
  napi();
}
