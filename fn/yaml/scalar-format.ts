// Scalar text for values this function writes. Plain where a YAML 1.1 and a YAML 1.2 reader both
// read the same string back (kubectl reads `yes`, `0755`, `2021-01-01` as something else), quoted
// otherwise.
import { parse, Schema } from 'yaml';

export type ScalarStyle = 'plain' | 'double' | 'single';

// Strings with a slash that start with a letter or digit are strings in every YAML schema: no bool,
// null, number or timestamp form contains `/`. Every proxied image is one of them.
const SLASHED_PLAIN = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/;

// Names that start with a letter are strings in every schema, except YAML 1.1's booleans and null:
// no number, timestamp or special float starts with a letter. Secret names, namespaces, keys.
const LETTER_PLAIN = /^[A-Za-z][A-Za-z0-9._-]*$/;
const NOT_STRINGS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

const safety = new Map<string, boolean>();

// A value of these characters (and not a `...` document end) is a single plain scalar token whose text
// is the value, so each reader makes of it what the first of its schema's scalar tags whose test
// matches makes of it (yaml's composeScalar), or the string when none does; every such tag reads
// something else (a null, bool, number, timestamp). No parse needed: `0`, `.dockerconfigjson`, `e1`.
const ONE_PLAIN_TOKEN = /^[A-Za-z0-9._+][A-Za-z0-9._+-]*$/;
const READER_SCHEMAS = [new Schema({ schema: 'yaml-1.1' }), new Schema({ schema: 'core' })];

export function isPlainSafe(value: string): boolean {
  if (value.includes('/') && SLASHED_PLAIN.test(value)) return true;
  // `e1` too: the yaml package's YAML 1.1 schema reads an exponent without digits before it as a float.
  if (LETTER_PLAIN.test(value) && !/^[eE][-+]?\d/.test(value)) return !NOT_STRINGS.has(value.toLowerCase());
  let safe = safety.get(value);
  if (safe === undefined) {
    safe = readsBackAsString(value);
    safety.set(value, safe);
  }
  return safe;
}

/** Whether a plain scalar with this text reads back as this string under YAML 1.1 and 1.2. */
export function readsBackAsString(value: string): boolean {
  if (value === '' || value !== value.trim() || /[\n\r\t]/.test(value)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value) || /: |:$| #/.test(value) || /[,[\]{}]/.test(value)) return false;
  if (ONE_PLAIN_TOKEN.test(value) && !value.startsWith('...')) return !READER_SCHEMAS.some((schema) => readsAsNonString(schema, value));
  try {
    return parse(value, { version: '1.1' }) === value && parse(value) === value;
  } catch {
    return false;
  }
}

function readsAsNonString(schema: Schema, value: string): boolean {
  return schema.tags.some((tag) => tag.default === true && 'test' in tag && tag.test !== undefined && tag.test.test(value));
}

export function formatScalar(value: string, style: ScalarStyle = 'plain'): string {
  if (style === 'single' && !value.includes('\n')) return `'${value.replace(/'/g, "''")}'`;
  if (style === 'plain' && isPlainSafe(value)) return value;
  return JSON.stringify(value);
}
