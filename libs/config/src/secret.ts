import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A secret value (AccessKey secret, STS token, database URL, webhook URL or signing secret). Every
 * way of turning it into text (template strings, `String()`, `JSON.stringify`, `util.inspect`,
 * `console.log`, pino) yields `[redacted]`; only `reveal()` returns the value, at the point of use.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself: call it where the value is used, never to log or compare it. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
