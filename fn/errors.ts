// Expected failures of the input or the configuration: they become one error result and one stderr
// line. Anything else thrown is a bug, reported as such (exit 2) without a stack trace.
export type InputErrorCode = 'input' | 'items' | 'config' | 'limits';

export class InputError extends Error {
  readonly code: InputErrorCode;
  /** Dotted field path the problem is about, when there is one. */
  readonly field: string | undefined;
  /** Offset of the problem in the text that was being read, when known. */
  readonly offset: number | undefined;

  constructor(code: InputErrorCode, message: string, field?: string, offset?: number) {
    super(message);
    this.name = 'InputError';
    this.code = code;
    this.field = field;
    this.offset = offset;
  }
}
