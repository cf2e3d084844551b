// Writes objects this function generates (Secrets, ServiceAccounts, policies) in the style of the
// collection they join: a block sequence item at some indent, a document of a stream, or JSON.
import { formatScalar } from './scalar-format.js';

export type GeneratedStyle = { type: 'block'; indent: number } | { type: 'document' } | { type: 'flow' };

export type PlainValue = string | number | boolean | PlainValue[] | { [key: string]: PlainValue };

export function renderObject(value: { [key: string]: PlainValue }, style: GeneratedStyle): string {
  if (style.type === 'flow') return JSON.stringify(value);
  const lines: string[] = [];
  writeMap(value, 0, lines);
  if (style.type === 'document') return `${lines.join('\n')}\n`;
  const dash = `${' '.repeat(style.indent)}- `;
  const pad = ' '.repeat(style.indent + 2);
  return `${lines.map((line, index) => (index === 0 ? dash : pad) + line).join('\n')}\n`;
}

function scalar(value: string | number | boolean): string {
  return typeof value === 'string' ? formatScalar(value) : String(value);
}

function writeMap(map: { [key: string]: PlainValue }, indent: number, lines: string[], firstPrefix?: string): void {
  let first = true;
  for (const [key, value] of Object.entries(map)) {
    const prefix = first && firstPrefix !== undefined ? firstPrefix : ' '.repeat(indent);
    first = false;
    const head = `${prefix}${formatScalar(key)}:`;
    if (Array.isArray(value)) {
      if (value.length === 0) lines.push(`${head} []`);
      else {
        lines.push(head);
        writeSeq(value, indent, lines);
      }
    } else if (typeof value === 'object') {
      if (Object.keys(value).length === 0) lines.push(`${head} {}`);
      else {
        lines.push(head);
        writeMap(value, indent + 2, lines);
      }
    } else {
      lines.push(`${head} ${scalar(value)}`);
    }
  }
}

/** Lists are written compact (`- ` under the key), as kpt and kustomize write them. */
function writeSeq(seq: PlainValue[], indent: number, lines: string[]): void {
  for (const value of seq) {
    const dash = `${' '.repeat(indent)}- `;
    if (Array.isArray(value)) {
      lines.push(`${dash}${JSON.stringify(value)}`);
    } else if (typeof value === 'object') {
      writeMap(value, indent + 2, lines, dash);
    } else {
      lines.push(`${dash}${scalar(value)}`);
    }
  }
}
