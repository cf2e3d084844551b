// What a plain (unquoted, untagged) scalar is to the Kubernetes API server: kubectl, Helm and the API
// server turn YAML into JSON with sigs.k8s.io/yaml, which reads it with go-yaml v2 (YAML 1.1 rules,
// go-yaml's own spelling of them). This is that resolver (go-yaml v2.4 `resolve.go`), so that whether
// an image value is a string never depends on how this function would quote it when writing.
// Checked value by value against `kubectl label --local -o json` (plain-scalar-type.test.ts).

export type PlainScalarType = 'null' | 'bool' | 'int' | 'float' | 'str';

const EXACT: ReadonlyMap<string, PlainScalarType> = new Map([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((word) => [word, 'bool'] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((word) => [word, 'bool'] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map((word) => [word, 'null'] as const),
  ...['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF'].map((word) => [word, 'float'] as const),
]);

// Go's strconv.ParseInt(s, 0, 64) syntax once underscores are gone: sign, then a base prefix or a
// leading 0 for octal.
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const GO_UINT = /^(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
// go-yaml's own float syntax (no `inf`, no hex floats), applied after removing underscores.
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
// strconv.ParseFloat on a value starting with `.`: Go float syntax, underscores only between digits.
const GO_DOT_FLOAT = /^\.[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+(?:_[0-9]+)*)?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** The type go-yaml v2 gives a plain scalar with this value (timestamps are strings in a JSON conversion). */
export function resolvePlainScalar(value: string): PlainScalarType {
  const first = value.charAt(0);
  const exact = EXACT.get(value);
  // go-yaml consults its table only for values whose first character could start a non-string.
  if (value === '' || '+-0123456789yYnNtTfFoO~.'.includes(first)) {
    if (exact) return exact;
  } else {
    return 'str';
  }
  if (first === '.') return GO_DOT_FLOAT.test(value) && isFiniteFloat(value.replace(/_/g, '')) ? 'float' : 'str';
  if (!'+-0123456789'.includes(first)) return 'str';
  const plain = value.replace(/_/g, '');
  if (isGoInt(plain)) return 'int';
  if (YAML_STYLE_FLOAT.test(plain) && isFiniteFloat(plain)) return 'float';
  // go-yaml's fallback for a binary literal after the prefix: strconv.ParseInt(rest, 2, 64), sign allowed.
  if (plain.startsWith('0b') && /^[-+]?[01]+$/.test(plain.slice(2)) && fitsInt64(parseBinary(plain.slice(2)))) return 'int';
  if (plain.startsWith('-0b') && /^[01]+$/.test(plain.slice(3)) && fitsInt64(-parseBinary(plain.slice(3)))) return 'int';
  return 'str';
}

/** Whether Kubernetes reads this plain scalar as a string (not null, a boolean or a number). */
export function isPlainString(value: string): boolean {
  return resolvePlainScalar(value) === 'str';
}

function isGoInt(plain: string): boolean {
  if (GO_INT.test(plain)) {
    const number = parseGoInteger(plain);
    if (fitsInt64(number)) return true;
  }
  // strconv.ParseUint: no sign, up to 2^64 - 1.
  return GO_UINT.test(plain) && parseGoInteger(plain) <= UINT64_MAX;
}

function parseGoInteger(literal: string): bigint {
  const negative = literal.startsWith('-');
  const digits = literal.replace(/^[-+]/, '');
  const prefix = digits.slice(0, 2).toLowerCase();
  let magnitude: bigint;
  if (prefix === '0x' || prefix === '0o' || prefix === '0b') magnitude = BigInt(`0${prefix.charAt(1)}${digits.slice(2)}`);
  else if (digits.length > 1 && digits.startsWith('0')) magnitude = BigInt(`0o${digits.slice(1)}`);
  else magnitude = BigInt(digits);
  return negative ? -magnitude : magnitude;
}

function parseBinary(text: string): bigint {
  const magnitude = BigInt(`0b${text.replace(/^[-+]/, '')}`);
  return text.startsWith('-') ? -magnitude : magnitude;
}

function fitsInt64(number: bigint): boolean {
  return number >= INT64_MIN && number <= INT64_MAX;
}

/** strconv.ParseFloat fails with ErrRange past the largest float64; underflow to 0 is fine. */
function isFiniteFloat(text: string): boolean {
  return Number.isFinite(Number(text));
}
