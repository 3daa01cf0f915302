/**
 * The items of several listings as they come, from all of them at once: the next item of each
 * is always being fetched, and whichever arrives first is handed over first. A listing that fails
 * fails the whole (after the items already handed over); leaving early stops the others.
 */
export async function* merged<T>(listings: readonly AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = listings.map((listing) => listing[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const pull = (index: number, iterator: AsyncIterator<T>) => {
    pending.set(
      index,
      iterator.next().then((result) => ({ index, result })),
    );
  };
  iterators.forEach((iterator, index) => {
    pull(index, iterator);
  });
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done === true) {
        pending.delete(index);
        continue;
      }
      const iterator = iterators[index];
      if (iterator !== undefined) pull(index, iterator);
      yield result.value;
    }
  } finally {
    const unfinished = [...pending.keys()].flatMap((index) => iterators[index] ?? []);
    await Promise.allSettled(unfinished.map(async (iterator) => iterator.return?.()));
  }
}

/** The items of `listing` in arrays of `size` (the last may be shorter), each as soon as it is full. */
export async function* inGroups<T>(listing: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let group: T[] = [];
  for await (const item of listing) {
    group.push(item);
    if (group.length >= size) {
      yield group;
      group = [];
    }
  }
  if (group.length > 0) yield group;
}
