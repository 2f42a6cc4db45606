/** Maps each distinct token text to a small dense integer id. */
export class Interner {
  private readonly ids = new Map<string, number>();

  get size(): number {
    return this.ids.size;
  }

  /** Ids of the tokens of `text` between consecutive `bounds`. */
  tokens(text: string, bounds: readonly number[]): Int32Array {
    const out = new Int32Array(bounds.length - 1);
    for (let t = 0; t < out.length; t++) {
      const token = text.slice(bounds[t] as number, bounds[t + 1] as number);
      let id = this.ids.get(token);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(token, id);
      }
      out[t] = id;
    }
    return out;
  }
}
