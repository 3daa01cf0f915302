import { parseCommand } from './api-key.cli';

describe('api-key command line', () => {
  it('parses create with a name and a role', () => {
    expect(parseCommand(['create', '--name', 'grafana', '--role', 'reader'])).toEqual({
      name: 'create',
      keyName: 'grafana',
      role: 'reader',
    });
  });

  it('parses revoke with an id, and list', () => {
    expect(parseCommand(['revoke', '--id', '12'])).toEqual({ name: 'revoke', id: 12 });
    expect(parseCommand(['list'])).toEqual({ name: 'list' });
  });

  it.each([
    [[], 'A command is required'],
    [['rotate'], 'Unknown command: rotate'],
    [['create', '--role', 'admin'], '--name must have 1 to 100 characters'],
    [['create', '--name', 'x', '--role', 'owner'], '--role must be reader or admin'],
    [['revoke', '--id', 'abc'], '--id must be a key id (see `api-key list`)'],
    [['revoke', '--id', '0'], '--id must be a key id (see `api-key list`)'],
    [['list', 'extra'], 'Unexpected argument: extra'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(message);
  });

  it('refuses an unknown option', () => {
    expect(() => parseCommand(['list', '--token', 'x'])).toThrow(/token/);
  });
});
