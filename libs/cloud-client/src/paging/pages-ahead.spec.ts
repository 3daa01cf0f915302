import { pagesAhead } from './pages-ahead';

/** A listing of `pages` pages whose fetches are recorded and settled by the test. */
function listing(pages: number) {
  const requested: (string | null)[] = [];
  const pending = new Map<string | null, { resolve: () => void; reject: (error: Error) => void }>();
  const fetchPage = (cursor: string | null) =>
    new Promise<{ index: number; next: string | null }>((resolve, reject) => {
      requested.push(cursor);
      const index = cursor === null ? 0 : Number(cursor);
      pending.set(cursor, {
        resolve: () => {
          resolve({ index, next: index + 1 < pages ? String(index + 1) : null });
        },
        reject,
      });
    });
  const settle = (cursor: string | null) => {
    pending.get(cursor)?.resolve();
  };
  const fail = (cursor: string | null, error: Error) => {
    pending.get(cursor)?.reject(error);
  };
  return { requested, fetchPage, settle, fail };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('pagesAhead', () => {
  it('asks for the next page as soon as a page is in, before handing that page over', async () => {
    const pages = listing(3);
    const walk = pagesAhead(pages.fetchPage, (page) => page.next);
    const first = walk.next();
    pages.settle(null);
    expect((await first).value).toEqual({ index: 0, next: '1' });
    // The caller holds page 0; page 1 is already on its way.
    expect(pages.requested).toEqual([null, '1']);
    pages.settle('1');
    expect((await walk.next()).value).toEqual({ index: 1, next: '2' });
    expect(pages.requested).toEqual([null, '1', '2']);
    pages.settle('2');
    expect((await walk.next()).value).toEqual({ index: 2, next: null });
    expect((await walk.next()).done).toBe(true);
    expect(pages.requested).toEqual([null, '1', '2']);
  });

  it('throws a failed page where it stands, after the pages before it', async () => {
    const pages = listing(3);
    const walk = pagesAhead(pages.fetchPage, (page) => page.next);
    const first = walk.next();
    pages.settle(null);
    await first;
    pages.fail('1', new Error('page 1 refused'));
    await expect(walk.next()).rejects.toThrow('page 1 refused');
  });

  it('leaves no unhandled rejection when the walk is left before a page that then fails', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const pages = listing(2);
      const walk = pagesAhead(pages.fetchPage, (page) => page.next);
      const first = walk.next();
      pages.settle(null);
      await first;
      await walk.return(undefined);
      pages.fail('1', new Error('nobody asked for page 1'));
      await flush();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
