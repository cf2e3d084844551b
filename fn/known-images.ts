// `registry-proxy known-images`: the verdicts of a package's images as a `knownImages` block, sorted,
// ready to commit so later renders decide offline.
import { readForDescribing } from './plan-resource-list.js';
import { failure, type RunOutput } from './run-output.js';
import { decideItemImages, scanItems, type TransformDependencies } from './transform.js';

/**
 * Only definitive verdicts are listed; the others are named in comments with the reason, and on stderr:
 * a user who commits stdout must learn that something was left out (a proxy down makes every image
 * undecided, and an empty block looks like success).
 */
export async function listKnownImages(input: string, dependencies: TransformDependencies): Promise<RunOutput> {
  try {
    const read = readForDescribing(input, dependencies);
    if (!read.ok) return read.output;
    const { config } = read.loaded;
    const items = scanItems(read.source, config);
    const decisions = await decideItemImages(items, config, dependencies);
    const known: string[] = [];
    const undecided: string[] = [];
    const leftOut: string[] = [];
    for (const [value, { verdict }] of [...decisions.byValue].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!verdict) continue;
      const definitive = verdict.source === 'rules' || verdict.source === 'knownImages' || (verdict.source === 'probe' && verdict.cacheable === true);
      if (definitive) known.push(`- image: ${JSON.stringify(value)}\n  isPrivate: ${verdict.isPrivate}\n`);
      else {
        undecided.push(`# undecided: ${value} (${verdict.detail})\n`);
        const why = verdict.source === 'unknownImages' ? (verdict.warning ?? verdict.detail) : `${verdict.detail}: not pinnable`;
        leftOut.push(`registry-proxy: warning: known-images: left out ${value}: ${why}`.replace(/[\r\n]+/g, ' '));
      }
    }
    if (leftOut.length > 0) leftOut.push(`registry-proxy: warning: known-images: ${leftOut.length} image(s) left out: no definitive verdict to pin`);
    return { stdout: `knownImages:\n${known.join('')}${undecided.join('')}`, stderr: leftOut, exitCode: 0 };
  } catch (error) {
    return failure(error, '');
  }
}
