// Command-line arguments. Without any, the program is a KRM function (kpt, kustomize pass none).

export type Invocation =
  | { mode: 'help' }
  | { mode: 'krm' }
  | { mode: 'known-images' }
  | { mode: 'import-kots'; dir: string }
  | { mode: 'check' }
  | { mode: 'kustomize' }
  | { mode: 'images'; format: ImageListFormat }
  | { mode: 'post-render'; configPath: string | undefined }
  | { mode: 'error'; message: string };

const IMAGE_LIST_FORMATS = ['text', 'json', 'mirror', 'skopeo-sync'] as const;
export type ImageListFormat = (typeof IMAGE_LIST_FORMATS)[number];

const SUBCOMMANDS = ['known-images', 'post-render', 'check', 'kustomize', 'images'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

export function parseArguments(argv: readonly string[]): Invocation {
  let mode: 'krm' | Subcommand = 'krm';
  let configPath: string | undefined;
  let format: ImageListFormat | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--help' || arg === '-h') return { mode: 'help' };
    if (arg === '--') continue;
    if (index === 0 && arg === 'import-kots') {
      const dir = argv[1];
      if (dir === undefined || dir === '' || dir.startsWith('-')) return { mode: 'error', message: 'import-kots needs a directory: registry-proxy import-kots DIR (what kots pull or kots download wrote)' };
      if (argv.length > 2) return { mode: 'error', message: describeUnknown(argv[2]!) };
      return { mode: 'import-kots', dir };
    }
    if (index === 0 && (SUBCOMMANDS as readonly string[]).includes(arg)) mode = arg as Subcommand;
    else if ((arg === '--config' || arg.startsWith('--config=')) && (mode === 'krm' || mode === 'post-render')) {
      const value = arg === '--config' ? argv[++index] : arg.slice('--config='.length);
      if (value === undefined || value === '') return { mode: 'error', message: '--config needs a file name' };
      configPath = value;
      mode = 'post-render';
    } else if ((arg === '--format' || arg.startsWith('--format=')) && mode === 'images') {
      const value = arg === '--format' ? argv[++index] : arg.slice('--format='.length);
      if (!(IMAGE_LIST_FORMATS as readonly string[]).includes(value ?? '')) return { mode: 'error', message: `--format must be one of ${IMAGE_LIST_FORMATS.join(', ')}` };
      format = value as ImageListFormat;
    } else {
      return { mode: 'error', message: describeUnknown(arg) };
    }
  }
  if (mode === 'post-render') return { mode, configPath };
  if (mode === 'images') return { mode, format: format ?? 'text' };
  return { mode };
}

/**
 * An argument is echoed only when it looks like an option or a subcommand: anything else may be the
 * license ID pasted on the command line, and a credential is never repeated.
 */
function describeUnknown(arg: string): string {
  const option = /^--?[a-z][a-z0-9-]{0,40}(?==|$)/.exec(arg)?.[0];
  const word = /^[a-z][a-z-]{0,30}$/.test(arg) ? arg : undefined; // a mistyped subcommand: no digits, lower case
  const shown = option ?? word;
  return `unknown argument ${shown === undefined ? '(not shown: it does not look like an option)' : JSON.stringify(shown)}; see registry-proxy --help`;
}
