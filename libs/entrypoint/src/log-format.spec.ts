import { Writable } from 'node:stream';

import pino from 'pino';

import { logFormat, type LogOutput } from './log-format';

/** A stdout stand-in that keeps what is written, a terminal or not. */
function output(isTTY: boolean): LogOutput & { text(): string } {
  let written = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString('utf8');
      done();
    },
  });
  return Object.assign(stream, { isTTY, text: () => written });
}

/** Logs one line in the format chosen for `out`, to `out`. */
function logOnce(out: LogOutput): void {
  const format = logFormat({ level: 'info' }, out);
  const logger = Array.isArray(format) ? pino(...format) : pino(format);
  logger.info({ scanId: 7 }, 'scan started');
}

describe('logFormat', () => {
  it('writes one JSON object per line with an ISO timestamp when stdout is not a terminal', () => {
    const out = output(false);
    logOnce(out);
    const parsed = JSON.parse(out.text()) as { time: string; msg: string; scanId: number };
    expect(parsed).toMatchObject({ msg: 'scan started', scanId: 7 });
    expect(new Date(parsed.time).toISOString()).toBe(parsed.time);
  });

  it('writes a human-readable line, not JSON, when stdout is a terminal', () => {
    const out = output(true);
    logOnce(out);
    expect(out.text()).toMatch(/INFO.*scan started.*scanId/);
    expect(() => JSON.parse(out.text()) as unknown).toThrow();
  });
});
