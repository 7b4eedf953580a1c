// ${VAR} and ${VAR:-default} in scaling.yaml values; "$${" writes a literal "${".

export type Interpolated = { ok: true; value: string } | { ok: false; message: string; hint: string };

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Replaces every reference; the first unset variable without a default is an error naming it.
export function interpolate(text: string, env: NodeJS.ProcessEnv): Interpolated {
  let failure: Interpolated | undefined;
  const value = text.replace(REFERENCE, (whole, inner: string | undefined) => {
    if (whole === '$${') return '${';
    if (failure) return whole;
    const body = inner ?? '';
    const split = body.indexOf(':-');
    const name = split === -1 ? body : body.slice(0, split);
    if (!NAME.test(name)) {
      failure = { ok: false, message: `"\${${body}}" is not a valid variable reference`, hint: 'write ${NAME} or ${NAME:-default}' };
      return whole;
    }
    const set = env[name];
    if (set !== undefined && set !== '') return set;
    if (split !== -1) return body.slice(split + 2);
    failure = {
      ok: false,
      message: `environment variable ${name} is not set`,
      hint: `set it (export ${name}=…) or give a default: \${${name}:-value}`,
    };
    return whole;
  });
  return failure ?? { ok: true, value };
}
