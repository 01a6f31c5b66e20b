/**
 * Decoding while a model generates. One token can end in the middle of a multi-byte character
 * (an emoji is often two or three byte-level tokens), so decoding token by token with `decode`
 * would print U+FFFD halves. A StreamDecoder holds back the bytes of an unfinished character until
 * the token that completes it arrives.
 */
import type { Tokenizer } from './tokenizer';

export class StreamDecoder {
  private readonly tokenizer: Tokenizer;
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(tokenizer: Tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** The text the new ids complete; pushing every id of a sequence, then `flush`, gives `decode`. */
  push(ids: readonly number[]): string {
    return this.decoder.decode(this.tokenizer.decodeBytes(ids), { stream: true });
  }

  /** What is still held back (an unfinished character becomes U+FFFD); the decoder starts over. */
  flush(): string {
    return this.decoder.decode();
  }
}
