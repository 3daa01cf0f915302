import { parseCommandLine, readCommandLine } from './command-line';

const SPEC = {
  help: 'Usage: tool [--config <file>] [--exit]\n  -h, --help  this help',
  options: { config: { type: 'string' }, exit: { type: 'boolean' } },
} as const;

function sink() {
  const written: string[] = [];
  return { written, stream: { write: (text: string) => written.push(text) } };
}

describe('parseCommandLine', () => {
  it('returns the option values to run with', () => {
    expect(parseCommandLine(SPEC, ['--config', 'a.yaml', '--exit'])).toEqual({
      kind: 'run',
      values: { config: 'a.yaml', exit: true },
      positionals: [],
    });
  });

  it('answers --help and -h with the help, whatever else is on the line', () => {
    for (const argv of [['--help'], ['-h'], ['--config', 'x', '--help'], ['--bogus', '-h']]) {
      expect(parseCommandLine(SPEC, argv)).toEqual({ kind: 'help', text: `${SPEC.help}\n` });
    }
  });

  it('refuses an unknown option, naming it, followed by the help', () => {
    const parsed = parseCommandLine(SPEC, ['--bogus']);
    expect(parsed.kind).toBe('usage-error');
    expect(parsed.kind === 'usage-error' && parsed.text).toMatch(
      /^Unknown option '--bogus'[\s\S]*Usage: tool/,
    );
  });

  it('refuses a positional argument unless the command takes them', () => {
    expect(parseCommandLine(SPEC, ['extra']).kind).toBe('usage-error');
    expect(parseCommandLine({ ...SPEC, allowPositionals: true }, ['extra'])).toEqual({
      kind: 'run',
      values: {},
      positionals: ['extra'],
    });
  });

  it('refuses an option that lacks its value', () => {
    expect(parseCommandLine(SPEC, ['--config']).kind).toBe('usage-error');
  });
});

describe('readCommandLine', () => {
  it('prints the help on stdout and ends with 0', () => {
    const stdout = sink();
    const stderr = sink();
    expect(readCommandLine(SPEC, ['-h'], { stdout: stdout.stream, stderr: stderr.stream })).toEqual({
      run: false,
      exitCode: 0,
    });
    expect(stdout.written.join('')).toContain('Usage: tool');
    expect(stderr.written).toEqual([]);
  });

  it('prints a usage error on stderr and ends with 2', () => {
    const stdout = sink();
    const stderr = sink();
    expect(readCommandLine(SPEC, ['--nope'], { stdout: stdout.stream, stderr: stderr.stream })).toEqual({
      run: false,
      exitCode: 2,
    });
    expect(stderr.written.join('')).toContain("Unknown option '--nope'");
    expect(stdout.written).toEqual([]);
  });
});
