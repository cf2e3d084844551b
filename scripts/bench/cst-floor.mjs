// The floor: the least any CST-preserving YAML rewrite with `yaml` can cost. Reads stdin, parses it into CST
// tokens and prints them back unchanged. registry-proxy does this plus the actual work.
import { readFileSync } from 'node:fs';
import { CST, Parser } from 'yaml';

const text = readFileSync(0, 'utf8');
let output = '';
for (const token of new Parser().parse(text)) output += CST.stringify(token);
process.stdout.write(output);
