// ${…} follows the shell and Docker Compose rules: unset vs empty, :- vs -, :? vs ?, :+ vs +,
// nesting, $$ escapes, and an unterminated reference is an error at its offset.
import { describe, expect, it } from 'vitest';
import { interpolate } from '../../../src/config/interpolate.js';
import { errorLines, parse, withService } from '../../support/config.js';

const env = { SET: 'x', EMPTY: '' };
const value = (text: string) => {
  const result = interpolate(text, env);
  return result.ok ? result.value : `error@${result.offset}: ${result.message}`;
};

describe('interpolate', () => {
  it.each([
    ['${SET}', 'x'],
    ['${EMPTY}', ''],
    ['${UNSET:-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${UNSET:-${SET}}', 'x'],
    ['${UNSET:-${UNSET2:-deep}}', 'deep'],
    ['a-${SET}-b', 'a-x-b'],
    ['$${SET}', '${SET}'],
    ['cost $$5', 'cost $5'],
    ['$5 and $HOME', '$5 and $HOME'],
    ['${EMPTY?never}', ''],
  ])('%s → %s', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  it.each([
    ['${SET', 'error@0: "${SET" is not closed: a "}" is missing'],
    ['ok ${UNSET:-${SET}', 'error@3: "${UNSET:-${SET}" is not closed: a "}" is missing'],
    ['${UNSET}', 'error@0: environment variable UNSET is not set'],
    ['x ${UNSET:-${NOPE}}', 'error@11: environment variable NOPE is not set'],
    ['${EMPTY:?needs a value}', 'error@0: environment variable EMPTY is empty: needs a value'],
    ['${UNSET?needs a value}', 'error@0: environment variable UNSET is not set: needs a value'],
    ['${not valid}', 'error@0: "${not valid}" is not a valid variable reference'],
    ['${SET:x}', 'error@0: "${SET:x}" is not a valid variable reference'],
  ])('%s is an error', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  it('reports which variables were used and which were empty', () => {
    expect(interpolate('${SET}${EMPTY}${UNSET:-d}', env)).toEqual({ ok: true, value: 'xd', used: ['SET', 'EMPTY'], empty: ['EMPTY'] });
  });
});

describe('interpolation in scaling.yaml', () => {
  it('points at the reference inside the value, not at the value', () => {
    expect(errorLines(withService('    replicas: 1\n    target: "web-${SUFFIX"\n'))).toEqual([
      '5:18 "${SUFFIX" is not closed: a "}" is missing (write ${NAME}, ${NAME:-default} or $${ for a literal "${")',
    ]);
  });

  it('tells an empty variable from an unset one', () => {
    expect(errorLines(withService('    replicas: ${N}\n'), { N: '' })).toEqual([
      '4:15 services.web.replicas is empty: environment variable N is set but empty (give it a value, or a default that also covers empty: ${N:-value})',
    ]);
    expect(parse(withService('    replicas: ${N-3}\n'), {}).services[0].spec.replicas).toBe(3);
  });
});
