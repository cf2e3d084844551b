// Verdict messages end up in results users paste into tickets: no credentials, no tokens, one line.

const maxLength = 300;

/** Strips URL user-info and every known secret, and folds the text to one bounded line. */
export function redactMessage(text: string, secrets: readonly string[] = []): string {
  let result = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1');
  // Longest first, so a secret that contains another is removed whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) result = result.split(secret).join('***');
  }
  result = result.replace(/\s+/g, ' ').trim();
  return result.length > maxLength ? `${result.slice(0, maxLength - 1)}…` : result;
}
