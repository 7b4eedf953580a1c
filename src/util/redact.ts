// The one place secrets are hidden. Two kinds of secret are known:
//   - the userinfo of any URL (amqp://app:PASSWORD@host, https://admin:pw@api:6443, https://TOKEN@host);
//   - values that came from environment variables whose names say they are secret
//     (…PASSWORD, …SECRET, …TOKEN, …KEY, …CREDENTIALS, …AUTH), registered by the config loader.
// `redact` is for everything shown or saved for people (plans, show, -v, errors, summaries);
// `seal` is for what is stored to be compared later (the mock cloud's state): a secret becomes a
// stable digest, so a changed password is still a change but never readable.
import { createHash } from 'node:crypto';

const MASK = '***';
// scheme://userinfo@ — userinfo up to the first "@" before the host; "user:password" keeps the user.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'`<>]+)@/gi;
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|AUTH)/i;
const SEALED = /^sealed-[0-9a-f]{12}$/;

const secrets = new Set<string>();

/** True when an environment variable's name says its value is secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Remembers a secret value so it is hidden wherever it would be printed. Short values are ignored. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

function digest(text: string): string {
  return `sealed-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
}

function replaceSecrets(text: string, mask: (secret: string) => string): string {
  let out = text.replace(URL_USERINFO, (_whole, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    if (colon === -1) return `${scheme}${SEALED.test(userinfo) ? userinfo : mask(userinfo)}@`;
    const password = userinfo.slice(colon + 1);
    return `${scheme}${userinfo.slice(0, colon)}:${SEALED.test(password) ? password : mask(password)}@`;
  });
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(mask(secret));
  return out;
}

/** Text with every known secret replaced by ***. */
export function redact(text: string): string {
  return replaceSecrets(text, () => MASK).replace(/sealed-[0-9a-f]{12}/g, MASK);
}

/**
 * JSON text of a value with every string and key redacted before it is escaped: the text stays
 * valid JSON (redacting the finished text would turn a number that equals a numeric secret into a
 * bare *** and miss a secret holding a quote or a backslash, which JSON escapes). A number or
 * boolean that is itself a secret becomes the string "***".
 */
export function redactJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, function (this: unknown, _key, item: unknown) {
    if (typeof item === 'string') return redact(item);
    if ((typeof item === 'number' || typeof item === 'boolean') && secrets.has(String(item))) return MASK;
    if (item && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).some((key) => redact(key) !== key)) {
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [redact(key), inner]));
    }
    return item;
  }, indent);
}

/** A copy of a JSON-like value with every string redacted (keys are kept). */
export function redactValue<T>(value: T): T {
  return mapStrings(value, redact);
}

/** A copy of a JSON-like value with every secret replaced by a stable digest (for stored state). */
export function seal<T>(value: T): T {
  return mapStrings(value, (text) => replaceSecrets(text, digest));
}

/** A credential's text sealed whole: its known secrets as digests, or (none known) one digest of all of it. */
export function sealCredential(text: string): string {
  const sealed = replaceSecrets(text, digest);
  return sealed !== text ? sealed : digest(text);
}

function mapStrings<T>(value: T, change: (text: string) => string): T {
  if (typeof value === 'string') return change(value) as T;
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, change)) as T;
  if (value && typeof value === 'object') {
    const out = Object.create(Object.getPrototypeOf(value) === null ? null : Object.prototype) as Record<string, unknown>;
    for (const [key, item] of Object.entries(value)) out[key] = mapStrings(item, change);
    return out as T;
  }
  return value;
}
