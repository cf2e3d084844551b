// Belt and braces: the license ID (or a local registry's password) never leaves in a message, even if
// some text quoted it.
import type { Result } from './results.js';

export function redactResults(results: Result[], secret: string): Result[] {
  if (secret.length < 4) return results;
  const text = JSON.stringify(results);
  return text.includes(secret) ? (JSON.parse(text.split(secret).join('<redacted>')) as Result[]) : results;
}

export function redactLines(lines: string[], secret: string): string[] {
  if (secret.length < 4) return lines;
  return lines.map((line) => line.split(secret).join('<redacted>'));
}
