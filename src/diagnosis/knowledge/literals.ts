/**
 * Finds, for a regular expression, literal strings of which at least one must appear in any text it
 * matches. The scanner looks for these literals first, across a whole chunk of log text at once,
 * and runs the real patterns only on the few lines that contain one. The analysis is conservative:
 * groups, classes and optional characters end a literal run; it never claims a literal that a match
 * could lack.
 */

/** The shortest literal worth prefiltering on; shorter ones would match nearly every line. */
export const MIN_LITERAL_LENGTH = 4;

const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B', 'p', 'P', 'k', 'c', 'x', 'u', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
const CONTROL_ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f', v: '\v' };

/**
 * Returns one required literal per top-level alternative (the longest run in each), or null when an
 * alternative has no literal of {@link MIN_LITERAL_LENGTH} characters.
 */
export function requiredLiterals(source: string): string[] | null {
  const literals: string[] = [];
  for (const alternative of splitTopLevel(source)) {
    const best = longestRun(alternative);
    if (best.length < MIN_LITERAL_LENGTH) return null;
    literals.push(best);
  }
  return literals;
}

/**
 * Calls `visit` with each structural character of a pattern (outside escapes and character classes)
 * and the group depth before it, from `from`; stops when `visit` returns true and gives that index.
 */
function walkStructure(source: string, from: number, visit: (ch: string, i: number, depth: number) => boolean): number {
  let depth = 0;
  let inClass = false;
  for (let i = from; i < source.length; i++) {
    const ch = source[i] ?? '';
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    if (visit(ch, i, depth)) return i;
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
  }
  return source.length;
}

function splitTopLevel(source: string): string[] {
  const parts: string[] = [];
  let start = 0;
  walkStructure(source, 0, (ch, i, depth) => {
    if (ch === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
    return false;
  });
  parts.push(source.slice(start));
  return parts;
}

function longestRun(source: string): string {
  let best = '';
  let run: string[] = [];
  const endRun = (): void => {
    if (run.length > best.length) best = run.join('');
    run = [];
  };
  let i = 0;
  while (i < source.length) {
    const ch = source[i] ?? '';
    let literal: string | null = null;
    let next = i + 1;
    if (ch === '\\') {
      const esc = source[i + 1] ?? '';
      next = i + 2;
      if (CLASS_ESCAPES.has(esc)) literal = null;
      else literal = CONTROL_ESCAPES[esc] ?? esc;
    } else if (ch === '(') {
      next = skipGroup(source, i);
    } else if (ch === '[') {
      next = skipClass(source, i);
    } else if (ch === '{' && !/^\{\d+(,\d*)?\}/.test(source.slice(i, i + 24))) {
      literal = ch;
    } else if ('.^$'.includes(ch)) {
      literal = null;
    } else {
      literal = ch;
    }
    // A quantifier after the atom decides whether the atom must appear.
    const rest = source.slice(next, next + 24);
    const brace = /^\{(\d+)(,\d*)?\}/.exec(rest);
    const q = source[next] === '{' && !brace ? undefined : source[next];
    if (q === '?' || q === '*' || brace?.[1] === '0') {
      endRun();
      next = skipQuantifier(source, next);
    } else if (q === '+' || q === '{') {
      if (literal !== null) run.push(literal);
      endRun();
      next = skipQuantifier(source, next);
    } else if (literal !== null) {
      run.push(literal);
    } else {
      endRun();
    }
    i = next;
  }
  endRun();
  return best;
}

function skipGroup(source: string, open: number): number {
  // The group's closing parenthesis is the first ")" seen at depth 1 (inside the group opened at `open`).
  return walkStructure(source, open, (ch, _i, depth) => ch === ')' && depth === 1) + 1;
}

function skipClass(source: string, open: number): number {
  for (let i = open + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']' && i > open + 1) return i + 1;
  }
  return source.length;
}

function skipQuantifier(source: string, at: number): number {
  let i = at;
  if (source[i] === '{') {
    const close = source.indexOf('}', i);
    i = close < 0 ? source.length : close + 1;
  } else {
    i++;
  }
  if (source[i] === '?') i++; // lazy
  return i;
}
