import { createHash } from 'node:crypto';

/**
 * A small seeded PRNG (mulberry32): the same seed always yields the same demo data. Its 32-bit
 * state is plenty for picking names, but not for ids: two generators a few million draws apart
 * would repeat each other's UUIDs. So `uuid()` hashes the generator's label with a counter
 * instead, unique as long as labels are.
 */
export class SeededRandom {
  private state: number;
  private uuids = 0;
  constructor(
    seed: number,
    private readonly label: string = String(seed),
  ) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, maxInclusive: number): number {
    return min + Math.floor(this.next() * (maxInclusive - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(this.int(0, 9));
    return out;
  }

  /** A version 4 UUID, deterministic for this generator's label and the ids drawn before it. */
  uuid(): string {
    const h = createHash('sha256')
      .update(`${this.label}#${this.uuids++}`)
      .digest('hex');
    const variant = (8 + (Number.parseInt(h.charAt(16), 16) & 3)).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
