import { inGroups, merged } from './listing-streams';

/** A listing whose items are released one at a time by the test. */
function controlledListing(name: string, items: number) {
  const waiters: (() => void)[] = [];
  let released = 0;
  let returned = false;
  async function* listing(): AsyncGenerator<string> {
    try {
      for (let index = 0; index < items; index += 1) {
        if (released <= index) await new Promise<void>((resolve) => waiters.push(resolve));
        yield `${name}${index.toString()}`;
      }
    } finally {
      returned = true;
    }
  }
  return {
    listing: listing(),
    release: () => {
      released += 1;
      waiters.shift()?.();
    },
    returned: () => returned,
  };
}

async function* failing(after: readonly string[], error: Error): AsyncGenerator<string> {
  for (const item of after) yield await Promise.resolve(item);
  throw error;
}

describe('merged', () => {
  it('hands over each listing’s items as they arrive, whichever listing they come from', async () => {
    const a = controlledListing('a', 2);
    const b = controlledListing('b', 2);
    const walk = merged([a.listing, b.listing]);
    const first = walk.next();
    b.release();
    expect((await first).value).toBe('b0');
    const second = walk.next();
    a.release();
    expect((await second).value).toBe('a0');
    a.release();
    b.release();
    const rest = [(await walk.next()).value, (await walk.next()).value];
    expect(rest.sort()).toEqual(['a1', 'b1']);
    expect((await walk.next()).done).toBe(true);
  });

  it('fails with the listing that failed, after the items handed over before it', async () => {
    const seen: string[] = [];
    const walk = merged([failing(['x0'], new Error('ListTables refused'))]);
    await expect(
      (async () => {
        for await (const item of walk) seen.push(item);
      })(),
    ).rejects.toThrow('ListTables refused');
    expect(seen).toEqual(['x0']);
  });

  it('stops the other listings when the caller leaves early', async () => {
    const a = controlledListing('a', 3);
    const b = controlledListing('b', 3);
    const walk = merged([a.listing, b.listing]);
    a.release();
    expect((await walk.next()).value).toBe('a0');
    const leaving = walk.return(undefined);
    // Their pending reads settle, then each is returned.
    a.release();
    b.release();
    await leaving;
    expect([a.returned(), b.returned()]).toEqual([true, true]);
  });

  it('ends at once with no listings', async () => {
    expect((await merged([]).next()).done).toBe(true);
  });
});

describe('inGroups', () => {
  async function* numbers(count: number): AsyncGenerator<number> {
    for (let index = 0; index < count; index += 1) yield await Promise.resolve(index);
  }

  it('hands over full groups as they fill, and what is left at the end', async () => {
    const groups: number[][] = [];
    for await (const group of inGroups(numbers(7), 3)) groups.push(group);
    expect(groups).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('hands over nothing for an empty listing', async () => {
    expect((await inGroups(numbers(0), 3).next()).done).toBe(true);
  });
});
