/** A deterministic source of numbers in [0, 1); the emulator never reads Math.random. */
export type RandomSource = () => number;

/**
 * mulberry32: a tiny 32-bit PRNG, good enough for fixtures and fault dice, and reproducible from
 * its seed across runs and platforms.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, max). */
export function randomInt(random: RandomSource, max: number): number {
  return Math.floor(random() * max);
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const DIGITS = '0123456789';
const HEX = '0123456789abcdef';

/** A string of `length` characters drawn from `alphabet`. */
export function randomString(random: RandomSource, length: number, alphabet = ALPHANUMERIC): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(random, alphabet.length)] ?? '';
  return out;
}

export function randomDigits(random: RandomSource, length: number): string {
  return randomString(random, length, DIGITS);
}

export function randomHex(random: RandomSource, length: number): string {
  return randomString(random, length, HEX);
}
