// Which of the rules' needles (plain substrings one of which every match of a rule contains)
// occur in a comment, found in one pass with an Aho-Corasick automaton. Asking `includes` for each
// needle of each rule cost more than the regexes it saved; one scan over the text answers all of
// them, and a rule whose needles are all absent is skipped.

export class NeedleSet {
  private readonly ids = new Map<string, number>();
  private next: Array<Map<number, number>> = [new Map()];
  private fail: Int32Array = new Int32Array(1);
  private out: number[][] = [[]];
  private built = false;

  /** The id of a needle, adding it if new. */
  id(needle: string): number {
    let id = this.ids.get(needle);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(needle, id);
      this.built = false;
    }
    return id;
  }

  get size(): number {
    return this.ids.size;
  }

  private build(): void {
    this.next = [new Map()];
    this.out = [[]];
    for (const [needle, id] of this.ids) {
      let state = 0;
      for (let i = 0; i < needle.length; i++) {
        const c = needle.charCodeAt(i);
        let to = this.next[state].get(c);
        if (to === undefined) {
          to = this.next.length;
          this.next.push(new Map());
          this.out.push([]);
          this.next[state].set(c, to);
        }
        state = to;
      }
      this.out[state].push(id);
    }
    // Breadth-first failure links; each state's outputs include those of its failure state.
    this.fail = new Int32Array(this.next.length);
    const queue: number[] = [...this.next[0].values()];
    for (let q = 0; q < queue.length; q++) {
      const state = queue[q];
      for (const [c, to] of this.next[state]) {
        let f = this.fail[state];
        while (f !== 0 && !this.next[f].has(c)) f = this.fail[f];
        const target = this.next[f].get(c);
        this.fail[to] = target !== undefined && target !== to ? target : 0;
        this.out[to] = this.out[to].concat(this.out[this.fail[to]]);
        queue.push(to);
      }
    }
    this.built = true;
  }

  /** present[id] is 1 when needle `id` occurs in `text`. */
  scan(text: string): Uint8Array {
    if (!this.built) this.build();
    const present = new Uint8Array(this.ids.size);
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let to = this.next[state].get(c);
      while (to === undefined && state !== 0) {
        state = this.fail[state];
        to = this.next[state].get(c);
      }
      state = to ?? 0;
      const found = this.out[state];
      for (let k = 0; k < found.length; k++) present[found[k]] = 1;
    }
    return present;
  }
}

/** The one set every rule registers its needles in. */
export const NEEDLES = new NeedleSet();
