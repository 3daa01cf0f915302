import { compileNamePattern, compileNameScope } from './name-scope';

describe('compileNamePattern', () => {
  it.each([
    ['prod-*', 'prod-logs', true],
    ['prod-*', 'prod-', true],
    ['prod-*', 'staging-prod-logs', false],
    ['*-logs', 'prod-logs', true],
    ['log?', 'logs', true],
    ['log?', 'log', false],
    ['log?', 'logss', false],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
    ['a.b', 'a.b', true],
    ['a.b', 'axb', false],
    ['a+(b)', 'a+(b)', true],
    ['*', '', true],
  ])('%s matches %j: %s', (pattern, name, expected) => {
    expect(compileNamePattern(pattern).test(name)).toBe(expected);
  });
});

describe('compileNameScope', () => {
  it('covers every name when there is no include and no exclude', () => {
    expect(compileNameScope({ include: [], exclude: [] })('anything')).toBe(true);
  });

  it('covers only included names when there is an include', () => {
    const inScope = compileNameScope({ include: ['prod-*', 'audit'], exclude: [] });
    expect(['prod-a', 'audit', 'dev-a'].map(inScope)).toEqual([true, true, false]);
  });

  it('lets exclude win over include', () => {
    const inScope = compileNameScope({ include: ['prod-*'], exclude: ['prod-tmp-*'] });
    expect(['prod-a', 'prod-tmp-1'].map(inScope)).toEqual([true, false]);
  });

  it('excludes from everything when there is only an exclude', () => {
    const inScope = compileNameScope({ include: [], exclude: ['*-scratch'] });
    expect(['data', 'x-scratch'].map(inScope)).toEqual([true, false]);
  });
});
