/** A bounded source over an in-code array: a generator over the array's indices. */
import { GeneratorSource } from './generator-source.js';

export class CollectionSource<T> extends GeneratorSource<T> {
  constructor(items: readonly T[]) {
    if (!Array.isArray(items)) throw new TypeError('fromCollection() takes an array');
    super(items.length, (i) => items[i]!);
  }
  override describe(): string {
    return `collection of ${this.count}`;
  }
}
