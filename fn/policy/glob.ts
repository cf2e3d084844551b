// `rules[].match` globs over normalized repository names: `*` stays within one path segment, `**`
// crosses segments. Compiled once, every other character literal (the kpt set-image bug of
// compiling user input as a regexp unescaped is not repeated).

export function compileGlob(glob: string): RegExp {
  let pattern = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index]!;
    if (char === '*') {
      if (glob[index + 1] === '*') {
        pattern += '.*';
        index++;
      } else {
        pattern += '[^/]*';
      }
    } else if (char === '?') {
      pattern += '[^/]';
    } else {
      pattern += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${pattern}$`);
}
