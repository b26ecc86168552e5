/** A named side output: `ctx.output(tag, value)` in a process function, `stream.getSideOutput(tag)` to read it. */
import { DEAD_LETTER_TAG, type DeadLetter, type OutputTagLike } from '@eddy/common';

export class OutputTag<T> implements OutputTagLike<T> {
  declare readonly _type?: T;
  constructor(readonly id: string) {
    if (typeof id !== 'string' || id === '' || id.startsWith('eddy.')) {
      throw new TypeError(`an OutputTag needs a non-empty id not starting with 'eddy.', got '${id}'`);
    }
  }
}

/** The side output of records whose processing failed, when the operator routes errors there. */
export const DEAD_LETTERS = { id: DEAD_LETTER_TAG } as OutputTagLike<DeadLetter>;
