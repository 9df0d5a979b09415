// Finds where a JSON text first goes wrong. JSON.parse's messages differ between Node versions and
// some give no position at all, while a person fixing a pack by hand needs a line and a column.

export interface JsonSyntaxError {
  offset: number;
  line: number;
  column: number;
  expected: string;
  found: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = '"\\/bfnrt';

class Scanner {
  i = 0;
  constructor(private readonly s: string) {}

  run(): void {
    this.value();
    this.ws();
    if (this.i < this.s.length) throw new Stop(this.i, 'the end of the document');
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i])) this.i++;
  }

  private value(): void {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    throw new Stop(this.i, 'a JSON value');
  }

  private object(): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') throw new Stop(this.i, 'a double-quoted property name');
      this.string();
      this.ws();
      if (this.s[this.i] !== ':') throw new Stop(this.i, "':' after the property name");
      this.i++;
      this.value();
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === '}') return;
      if (c !== ',') throw new Stop(this.i - 1, "',' or '}' after a property value");
    }
  }

  private array(): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.value();
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === ']') return;
      if (c !== ',') throw new Stop(this.i - 1, "',' or ']' after an array item");
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      if (this.i >= this.s.length) throw new Stop(this.i, 'a closing double quote');
      const c = this.s[this.i];
      if (c === '"') {
        this.i++;
        return;
      }
      if (c < ' ') throw new Stop(this.i, 'a string character (control characters must be escaped)');
      if (c === '\\') {
        const e = this.s[this.i + 1];
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.s.slice(this.i + 2, this.i + 6))) this.i += 6;
        else if (e !== undefined && ESCAPES.includes(e)) this.i += 2;
        else throw new Stop(this.i, 'a valid escape sequence');
      } else {
        this.i++;
      }
    }
  }

  private number(): void {
    NUMBER.lastIndex = this.i;
    const match = NUMBER.exec(this.s);
    if (!match) throw new Stop(this.i, 'a number');
    this.i += match[0].length;
  }
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Null when the text is valid JSON. */
export function locateJsonError(text: string): JsonSyntaxError | null {
  try {
    new Scanner(text).run();
    return null;
  } catch (error) {
    // Anything but a Stop (a stack overflow on absurdly deep nesting) means "position unknown".
    if (!(error instanceof Stop)) return null;
    const found = error.offset >= text.length ? 'the end of the document' : JSON.stringify(text[error.offset]);
    return { offset: error.offset, ...position(text, error.offset), expected: error.expected, found };
  }
}
