// Command-line arguments. Without any, the program is a KRM function (kpt, kustomize pass none).

export type Invocation =
  | { mode: 'help' }
  | { mode: 'krm' }
  | { mode: 'known-images' }
  | { mode: 'import-kots'; dir: string }
  | { mode: 'post-render'; configPath: string | undefined }
  | { mode: 'error'; message: string };

export function parseArguments(argv: readonly string[]): Invocation {
  let mode: 'krm' | 'known-images' | 'post-render' = 'krm';
  let configPath: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--help' || arg === '-h') return { mode: 'help' };
    if (arg === '--') continue;
    if (index === 0 && arg === 'import-kots') {
      const dir = argv[1];
      if (dir === undefined || dir === '' || dir.startsWith('-')) return { mode: 'error', message: 'import-kots needs a directory: registry-proxy import-kots DIR (what kots pull or kots download wrote)' };
      if (argv.length > 2) return { mode: 'error', message: `unknown argument ${JSON.stringify(argv[2])}; see registry-proxy --help` };
      return { mode: 'import-kots', dir };
    }
    if (index === 0 && arg === 'known-images') mode = 'known-images';
    else if (index === 0 && arg === 'post-render') mode = 'post-render';
    else if (arg === '--config' || arg.startsWith('--config=')) {
      const value = arg === '--config' ? argv[++index] : arg.slice('--config='.length);
      if (value === undefined || value === '') return { mode: 'error', message: '--config needs a file name' };
      configPath = value;
      mode = 'post-render';
    } else {
      return { mode: 'error', message: `unknown argument ${JSON.stringify(arg)}; see registry-proxy --help` };
    }
  }
  if (mode === 'post-render') return { mode, configPath };
  return { mode };
}
