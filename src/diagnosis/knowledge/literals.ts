/**
 * Finds, for a regular expression, a set of literal strings of which at least one must appear in any
 * text it matches. The scanner looks for these literals first, across a whole chunk of log text at
 * once, and runs the real patterns only on the few lines that contain one.
 *
 * The pattern is parsed into a sequence of atoms, each either a small finite set of strings (a
 * character, a small class such as `[’']`, an optional character, a group of alternatives that are
 * themselves finite) or "anything" (`.`, `\d`, `*` …). Adjacent finite atoms multiply into runs; the
 * run whose shortest string is longest wins, so `Runtime\.(?:ImportModuleError|HandlerNotFound)`
 * yields the two full names rather than `Runtime.`. The analysis is conservative: it never claims a
 * literal that a match could lack. Zero-width atoms (anchors, `\b`, lookarounds) neither add nor
 * break.
 */

/** The shortest literal worth prefiltering on; shorter ones would match nearly every line. */
export const MIN_LITERAL_LENGTH = 4;
/** The most strings one run may expand into before it is cut. */
const MAX_SET = 32;

/**
 * Phrases API Gateway writes for every request at INFO level. A literal inside one of them would pick out
 * nearly every line of an INFO log, so another run of the pattern is preferred when it has one.
 */
const COMMON_PHRASES = [
  'Endpoint response body before transformations: ',
  'Method request body before transformations: ',
  'Endpoint request body after transformations: ',
  'Endpoint response headers: ',
  'Method response body after transformations: ',
  'Received response. Status: ',
  'Endpoint request URI: ',
  'Method completed with status: ',
  // Host names every request line carries (Host headers, Lambda and execute-api URLs).
  '.execute-api.',
  '.amazonaws.com',
];
/** A rarer run must still be this long to be preferred over a common one. */
const MIN_RARE_LENGTH = 6;

/** A finite set of strings, or null for "anything" (breaks a run). */
type Strings = string[] | null;

const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'p', 'P', 'k', 'c', 'x', 'u', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
const CONTROL_ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f', v: '\v' };
const EMPTY: string[] = [''];

/**
 * Returns the literal strings (one of which any match contains), or null when some alternative has no
 * run whose every string is at least {@link MIN_LITERAL_LENGTH} characters long.
 */
export function requiredLiterals(source: string): string[] | null {
  const parser = new Parser(source);
  const alternatives = parser.alternation();
  const literals: string[] = [];
  for (const seq of alternatives) {
    const best = bestRun(seq);
    if (!best || Math.min(...best.map((s) => s.length)) < MIN_LITERAL_LENGTH) return null;
    literals.push(...best);
  }
  return [...new Set(literals)];
}

/** Every string of `a` followed by every string of `b`, or null past {@link MAX_SET}. */
function product(a: readonly string[], b: readonly string[]): string[] | null {
  if (a.length * b.length > MAX_SET) return null;
  return a.flatMap((x) => b.map((y) => x + y));
}

/** True when some string of the set lies inside, or begins with, a phrase of every INFO request. */
function isCommon(set: readonly string[]): boolean {
  return set.some((s) => COMMON_PHRASES.some((p) => p.includes(s) || s.startsWith(p)));
}

/**
 * The run of adjacent finite atoms whose shortest string is longest, preferring runs that are not
 * part of the phrases every INFO request writes.
 */
function bestRun(seq: readonly Strings[]): string[] | null {
  let best: string[] | null = null;
  const length = (set: readonly string[]): number => Math.min(...set.map((s) => s.length));
  const rank = (set: readonly string[]): number => (isCommon(set) || length(set) < MIN_RARE_LENGTH ? 0 : 1e6) + length(set);
  const consider = (set: string[] | null): void => {
    if (set && (best === null || rank(set) > rank(best) || (rank(set) === rank(best) && set.length < best.length))) best = set;
  };
  let run: string[] = EMPTY;
  for (const atom of seq) {
    if (atom === null) {
      consider(run);
      run = EMPTY;
      continue;
    }
    const next = product(run, atom);
    if (next === null) {
      // Too many combinations: close the run here and start a new one from this atom.
      consider(run);
      run = atom;
    } else {
      run = next;
    }
  }
  consider(run);
  return best;
}

/** A recursive-descent reader of JavaScript regular-expression source, just deep enough for literals. */
class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  /** alternatives separated by `|`, up to the end or a closing `)`. */
  alternation(): Strings[][] {
    const alternatives: Strings[][] = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      alternatives.push(this.sequence());
    }
    return alternatives;
  }

  private sequence(): Strings[] {
    const atoms: Strings[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      atoms.push(...this.quantify(atom));
    }
    return atoms;
  }

  /** Applies a following quantifier: the atoms that the quantified atom stands for in a sequence. */
  private quantify(atom: Strings): Strings[] {
    const q = this.src[this.i];
    const brace = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.src.slice(this.i, this.i + 24));
    if (q !== '?' && q !== '*' && q !== '+' && !brace) return [atom];
    let min: number;
    let exact: boolean;
    if (brace) {
      this.i += brace[0].length;
      min = Number(brace[1]);
      exact = brace[2] === undefined || brace[3] === String(min);
    } else {
      this.i++;
      min = q === '+' ? 1 : 0;
      exact = false;
    }
    if (this.src[this.i] === '?') this.i++; // lazy
    if (min === 0) return [q === '?' && atom !== null ? [...atom, ''] : null];
    const repeated: Strings[] = Array.from({ length: Math.min(min, 8) }, () => atom);
    // More repetitions may follow: whatever comes next is not adjacent to these.
    return exact && min <= 8 ? repeated : [...repeated, null];
  }

  private atom(): Strings {
    const ch = this.src[this.i++] ?? '';
    switch (ch) {
      case '\\':
        return this.escape();
      case '.':
        return null;
      case '^':
      case '$':
        return EMPTY;
      case '[':
        return this.charClass();
      case '(':
        return this.group();
      default:
        return [ch];
    }
  }

  private escape(): Strings {
    const esc = this.src[this.i++] ?? '';
    if (esc === 'b' || esc === 'B') return EMPTY;
    if (CLASS_ESCAPES.has(esc)) {
      // Skip the escape's argument: \p{…}, \k<…>, \xHH, \uHHHH, \cX.
      if ((esc === 'p' || esc === 'P') && this.src[this.i] === '{') this.i = this.src.indexOf('}', this.i) + 1 || this.src.length;
      if (esc === 'k' && this.src[this.i] === '<') this.i = this.src.indexOf('>', this.i) + 1 || this.src.length;
      return null;
    }
    return [CONTROL_ESCAPES[esc] ?? esc];
  }

  /** A class of at most four plain characters is a small set; anything else (ranges, negation) is "anything". */
  private charClass(): Strings {
    const chars: string[] = [];
    let plain = this.src[this.i] !== '^';
    let first = true;
    while (this.i < this.src.length && (this.src[this.i] !== ']' || first)) {
      first = false;
      let c = this.src[this.i++] ?? '';
      if (c === '\\') {
        const esc = this.src[this.i++] ?? '';
        if (CLASS_ESCAPES.has(esc)) plain = false;
        c = CONTROL_ESCAPES[esc] ?? esc;
      } else if (c === '-' && chars.length > 0 && this.src[this.i] !== ']') {
        plain = false;
      }
      chars.push(c);
    }
    this.i++; // ]
    const set = [...new Set(chars)];
    return plain && set.length > 0 && set.length <= 4 ? set : null;
  }

  private group(): Strings {
    let lookaround = false;
    if (this.src[this.i] === '?') {
      const kind = this.src.slice(this.i, this.i + 3);
      if (kind.startsWith('?:')) this.i += 2;
      else if (kind.startsWith('?=') || kind.startsWith('?!')) {
        this.i += 2;
        lookaround = true;
      } else if (kind.startsWith('?<=') || kind.startsWith('?<!')) {
        this.i += 3;
        lookaround = true;
      } else if (kind.startsWith('?<')) this.i = this.src.indexOf('>', this.i) + 1 || this.src.length;
    }
    const alternatives = this.alternation();
    this.i++; // )
    if (lookaround) return EMPTY;
    // A group stands for a finite set only when every alternative is fully finite.
    let union: string[] = [];
    for (const seq of alternatives) {
      let strings: string[] = EMPTY;
      for (const atom of seq) {
        const next = atom === null ? null : product(strings, atom);
        if (next === null) return null;
        strings = next;
      }
      union = [...union, ...strings];
      if (union.length > MAX_SET) return null;
    }
    return [...new Set(union)];
  }
}
