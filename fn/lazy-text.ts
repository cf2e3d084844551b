// Text held as the pieces it is made of and written one after the other, never joined: a render's output
// at 10,000 Deployments is 25 MB, and as one string it would be a peak of its own (twice that while the
// rope it is concatenated from is flattened), on top of the input and the results.

/** Text made piece by piece each time it is iterated; a string is text of one piece. */
export type PiecedText = string | LazyText;

export interface LazyText {
  /** A fresh iteration over the pieces each call. */
  readonly pieces: () => Iterable<string>;
}

export function piecesOf(text: PiecedText): Iterable<string> {
  return typeof text === 'string' ? [text] : text.pieces();
}
