/**
 * The items of several listings as they come, from all of them at once: the next item of each
 * is always being fetched, and whichever arrives first is handed over first. A listing that fails
 * fails the whole (after the items already handed over); leaving early stops the others.
 */
export async function* merged<T>(listings: readonly AsyncIterable<T>[]): AsyncGenerator<T> {
  type Next = { iterator: AsyncIterator<T>; result: IteratorResult<T> };
  const pending = new Map<AsyncIterator<T>, Promise<Next>>();
  const pull = (iterator: AsyncIterator<T>): void => {
    pending.set(
      iterator,
      iterator.next().then((result) => ({ iterator, result })),
    );
  };
  for (const listing of listings) pull(listing[Symbol.asyncIterator]());
  try {
    while (pending.size > 0) {
      const { iterator, result } = await Promise.race(pending.values());
      if (result.done === true) {
        pending.delete(iterator);
        continue;
      }
      pull(iterator);
      yield result.value;
    }
  } finally {
    await Promise.allSettled([...pending.keys()].map(async (iterator) => iterator.return?.()));
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
