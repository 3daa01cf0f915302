/**
 * An account's view of how far the service's clock is from ours: learned from one clock-skew
 * answer (OSS RequestTimeTooSkewed, the API gateway's InvalidTimeStamp.Expired) and applied to
 * every later signature of every product of the account, since all of them are checked against
 * the same Alibaba Cloud time. One instance per account, shared by its clients.
 */
export class ClockOffset {
  #offsetMs = 0;

  /** Server time minus local time, in ms. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Records the server's clock as reported while ours read `localNowMs`. */
  learn(serverTimeMs: number, localNowMs: number): void {
    this.#offsetMs = serverTimeMs - localNowMs;
  }

  /** The service's time when our clock reads `localNowMs`. */
  serverTime(localNowMs: number): number {
    return localNowMs + this.#offsetMs;
  }
}
