import { parseArgs, type ParseArgsConfig } from 'node:util';

import { errorMessage } from './startup-failure';

/** The options of a command, as `node:util` `parseArgs` takes them (`--help`/`-h` is added). */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/** What a command line accepts, and the text `--help` prints. */
export interface CommandSpec<O extends CommandOptions> {
  /** The whole help: usage line, what the command does, each option (`-h, --help` included). */
  readonly help: string;
  readonly options: O;
  /** Default false: any positional argument is a usage error. */
  readonly allowPositionals?: boolean;
}

type HelpOption = { readonly help: { readonly type: 'boolean'; readonly short: 'h' } };
type StrictConfig<O extends CommandOptions> = {
  options: O & HelpOption;
  allowPositionals: boolean;
  strict: true;
  args: string[];
};

/** The option values of a command line, typed from its spec. */
export type CommandValues<O extends CommandOptions> = Omit<
  ReturnType<typeof parseArgs<StrictConfig<O>>>['values'],
  'help'
>;

/** A command line read: run it, print its help (exit 0), or refuse it (exit 2). */
export type ParsedCommandLine<O extends CommandOptions> =
  | { readonly kind: 'run'; readonly values: CommandValues<O>; readonly positionals: readonly string[] }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'usage-error'; readonly text: string };

/**
 * Reads `argv` against `spec`, strictly: an unknown option, a missing option value or an
 * unexpected positional is a usage error whose text names it, followed by the help. `--help` (or
 * `-h`) anywhere wins over everything else, so asking for help never does anything else.
 */
export function parseCommandLine<O extends CommandOptions>(
  spec: CommandSpec<O>,
  argv: readonly string[],
): ParsedCommandLine<O> {
  const helpText = spec.help.endsWith('\n') ? spec.help : `${spec.help}\n`;
  if (argv.some((argument) => argument === '--help' || argument === '-h')) {
    return { kind: 'help', text: helpText };
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: spec.allowPositionals ?? false,
      strict: true,
    });
    const { help: _help, ...rest } = values as Record<string, unknown>;
    return { kind: 'run', values: rest as CommandValues<O>, positionals };
  } catch (error) {
    return { kind: 'usage-error', text: `${errorMessage(error)}\n\n${helpText}` };
  }
}

/** Exit code of a usage error, as in `sysexits`' EX_USAGE family and most shells' builtins. */
export const USAGE_ERROR_EXIT_CODE = 2;

/** Where a command line's help and usage errors are written. */
export interface CommandOutput {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/**
 * `parseCommandLine` for an entry point: prints the help (stdout) or the usage error (stderr) and
 * returns the exit code to end with, or the values to run with. Nothing else has happened yet.
 */
export function readCommandLine<O extends CommandOptions>(
  spec: CommandSpec<O>,
  argv: readonly string[] = process.argv.slice(2),
  output: CommandOutput = process,
):
  | { readonly run: true; readonly values: CommandValues<O>; readonly positionals: readonly string[] }
  | { readonly run: false; readonly exitCode: number } {
  const parsed = parseCommandLine(spec, argv);
  switch (parsed.kind) {
    case 'run':
      return { run: true, values: parsed.values, positionals: parsed.positionals };
    case 'help':
      output.stdout.write(parsed.text);
      return { run: false, exitCode: 0 };
    case 'usage-error':
      output.stderr.write(parsed.text);
      return { run: false, exitCode: USAGE_ERROR_EXIT_CODE };
  }
}
