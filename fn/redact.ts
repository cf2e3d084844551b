// Belt and braces: the license ID (or a local registry's password) never leaves in a message, even if
// some text quoted it.
import type { Result } from './results.js';

export function redactResults(results: Result[], secret: string): Result[] {
  if (secret.length < 4 || !results.some((result) => holdsSecret(result, secret))) return results;
  return results.map((result) => redactValue(result, secret));
}

// Walked rather than serialized: a large render's results are megabytes of JSON, and a secret holding `"`
// or `\` would not be found as written in its JSON form. Indexed loops, no entry pairs: a render has a
// result per image, and this runs on every one.
function holdsSecret(value: unknown, secret: string): boolean {
  if (typeof value === 'string') return value.includes(secret);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) if (holdsSecret(value[index], secret)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    if (key.includes(secret) || holdsSecret(record[key], secret)) return true;
  }
  return false;
}

function redactValue<T>(value: T, secret: string): T {
  if (typeof value === 'string') return value.split(secret).join('<redacted>') as T;
  if (Array.isArray(value)) return value.map((entry: unknown) => redactValue(entry, secret)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key.split(secret).join('<redacted>'), redactValue(entry, secret)])) as T;
  }
  return value;
}

export function redactLines(lines: string[], secret: string): string[] {
  if (secret.length < 4) return lines;
  return lines.map((line) => line.split(secret).join('<redacted>'));
}
