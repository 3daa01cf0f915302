import { stdTimeFunctions, type DestinationStream } from 'pino';
import pinoPretty from 'pino-pretty';

/** Where the logs go (stdout, or a test's sink); whether it is a terminal decides the format. */
export interface LogOutput extends DestinationStream {
  readonly isTTY?: boolean;
}

/** pino options that fix the format of every line, whatever the destination. */
export interface LogFormatOptions {
  /** ISO 8601 (`"time":"2026-04-15T03:30:00.000Z"`): what log collectors parse without help. */
  readonly timestamp: () => string;
}

/**
 * The log format of a server process (nestjs-pino's `pinoHttp` value): human-readable lines when
 * `output` (stdout) is a terminal, one JSON object per line with an ISO timestamp otherwise (a
 * container, a pipe, a file: what a collector reads). The pretty stream runs in this thread and
 * writes straight to `output`, so nothing logged before an exit is lost.
 */
export function logFormat<O extends object>(
  options: O,
  output: LogOutput = process.stdout,
): (O & LogFormatOptions) | [O & LogFormatOptions, DestinationStream] {
  const formatted = { ...options, timestamp: stdTimeFunctions.isoTime };
  if (output.isTTY !== true) {
    // pino writes to stdout itself (sonic-boom, faster than the stream) unless told otherwise.
    return output === process.stdout ? formatted : [formatted, output];
  }
  return [
    formatted,
    pinoPretty({
      destination: output,
      colorize: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      singleLine: true,
    }),
  ];
}
