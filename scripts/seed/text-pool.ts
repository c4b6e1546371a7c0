import type { Faker } from '@faker-js/faker';
// The English entry alone: the package's main entry loads every locale (~30 MB more RSS).
import { faker as englishFaker } from '@faker-js/faker/locale/en';
import { Prng, STREAM } from './prng.ts';

/** Characters of generated text that COPY's text format would need escaped: kept out of the pool. */
const COPY_SPECIAL = /[\t\n\r\\]/g;

/** A faker instance of its own (English), so parallel generators never share a random state. */
export function newFaker(): Faker {
  const FakerClass = englishFaker.constructor as new (options: { locale: Faker['rawDefinitions'] }) => Faker;
  return new FakerClass({ locale: englishFaker.rawDefinitions });
}

/**
 * A seeded corpus of faker text from which message bodies and titles are cut by the fast PRNG:
 * one faker call per pool sentence, never one per row (faker costs ~13 us a sentence).
 */
export class TextPool {
  /** The corpus: sentences joined by single spaces. */
  readonly corpus: string;
  /** Offsets where a sentence starts, usable as the start of a body of up to `maxChars`. */
  private readonly starts: Int32Array;
  /** Short faker phrases used as conversation titles. */
  readonly titles: readonly string[];

  /** Builds the pool from `seed`; `maxChars` is the longest body that will be asked for. */
  constructor(seed: number, maxChars: number, corpusChars = 1 << 20) {
    const faker = newFaker();
    faker.seed([seed, STREAM.textPool]);
    const prng = Prng.for(seed, STREAM.textPool, 0);
    const makers = [
      () => faker.hacker.phrase(),
      () => faker.company.catchPhrase() + '.',
      () => faker.commerce.productDescription(),
      () => faker.lorem.sentence(),
      () => faker.word.words({ count: { min: 4, max: 14 } }) + '?',
    ];
    const target = Math.max(corpusChars, maxChars * 4);
    const parts: string[] = [];
    const starts: number[] = [];
    let length = 0;
    while (length < target) {
      const sentence = makers[prng.int(makers.length)]!().replace(COPY_SPECIAL, ' ');
      starts.push(length);
      parts.push(sentence);
      length += sentence.length + 1;
    }
    this.corpus = parts.join(' ') + ' ';
    const usable = starts.filter((s) => s + maxChars <= this.corpus.length);
    this.starts = Int32Array.from(usable);
    this.titles = Array.from({ length: 4096 }, () =>
      faker.word
        .words({ count: { min: 2, max: 6 } })
        .replace(COPY_SPECIAL, ' ')
        .replace(/^./, (c) => c.toUpperCase()),
    );
  }

  /** A body of exactly `length` characters starting at a sentence picked by `prng`. */
  text(prng: Prng, length: number): string {
    const start = this.starts[prng.int(this.starts.length)]!;
    return this.corpus.slice(start, start + length).trimEnd() || 'ok';
  }

  /** A conversation title picked by `prng`. */
  title(prng: Prng): string {
    return this.titles[prng.int(this.titles.length)]!;
  }
}
