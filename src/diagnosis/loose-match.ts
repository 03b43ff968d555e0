/**
 * Matching texts as people paste them. A log line copied into an issue, a chat or a ticket is rarely
 * what CloudWatch wrote: it is lowercased or retyped without punctuation, wrapped over two lines, cut
 * short with "…", prefixed with a console or CLI timestamp, or JSON-escaped inside another line
 * (`"{\"errorMessage\":…}"`). The scanner's patterns are exact; this module gives them a second, looser
 * reading for the lines they did not match:
 *
 * 1. **Repair**: JSON escapes undone (one line may hold several), prefixes stripped (`aws logs tail`,
 *    `sls logs`, `zappa tail`, markdown quotes, bare clock times).
 * 2. **Loose patterns**: each pattern compiled again case-insensitive, with every run of literal
 *    punctuation or spacing turned into "any run of non-alphanumerics, or none", so
 *    `doesn’t match the format` reads `doesnt match the format` and `configuration error: Malformed` reads
 *    `configuration error malformed`. Only patterns whose alphanumeric core appears in the line are tried.
 * 3. **Cut short**: a line ending in "…" or "..." matches a pattern whose required literal it ends with
 *    the beginning of, when that beginning is long and no other cause's literal begins the same way.
 */
import type { TextSignal } from './knowledge/cause';

/** How a line that no pattern matched as it was came to match: repaired, loosely, or by its beginning. */
export type ReadAs = 'repaired' | 'loosely' | 'cut short';

/** Characters that count as content. */
const ALNUM = /[A-Za-z0-9]/;
/**
 * Punctuation and spacing a copy may lose or change: sentence punctuation, quotes of prose, dashes,
 * brackets of prose. JSON's own structure (`{` `}` `[` `]` `"`) and operators stay exact: a pattern that
 * looks for `"body": {` means an object, and must keep meaning it.
 */
const SOFT = /[\s.,:;!?'’‘`()/_-]/;
/** A line that ends in an ellipsis: the copy was cut short. */
const CUT_SHORT = /(?:…|\.{3,})\s*$/;
/** The shortest normalised literal a loose reading may rest on. */
const MIN_CORE = 10;
/** A cut-short line must keep at least this many characters of a literal, and this share of it. */
const MIN_CUT_CHARS = 24;
const MIN_CUT_SHARE = 0.55;

/** Lower-case letters and digits only: what survives any copy. */
export function normalise(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/**
 * The pattern's source with letters matched in any case (by the `i` flag the result is used with) and
 * every run of literal punctuation and spacing, escaped or not, made optional and interchangeable. Classes
 * of letters and digits, groups, alternations, quantifiers and lookarounds keep their meaning. Returns
 * null for a source it cannot read (the pattern then has no loose reading).
 */
export function loosenPattern(source: string): string | null {
  let out = '';
  let i = 0;
  // Whether the output ends with the "any punctuation" run, so that adjacent ones merge.
  let inRun = false;
  // Any run of soft punctuation and spacing; never JSON's structure, which keeps its meaning.
  const RUN = '[^A-Za-z0-9{}\\[\\]"]*';
  const punct = (): void => {
    if (!inRun) out += RUN;
    inRun = true;
  };
  const emit = (s: string): void => {
    out += s;
    inRun = false;
  };
  /** Skips a quantifier after an atom that became a run (the run already repeats). */
  const skipQuantifier = (): void => {
    const m = /^(?:[*+?]|\{\d+(?:,\d*)?\})\??/.exec(source.slice(i));
    if (m) i += m[0].length;
  };
  while (i < source.length) {
    const ch = source[i] ?? '';
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      i += 2;
      if (next === 's' || 'tnrfv'.includes(next) || (SOFT.test(next) && next !== '')) {
        punct();
        skipQuantifier();
      } else if (!ALNUM.test(next) && next !== '') {
        emit(`\\${next}`);
      } else if (next === 'u' || next === 'x') {
        const len = next === 'u' ? 4 : 2;
        emit(`\\${next}${source.slice(i, i + len)}`);
        i += len;
      } else {
        emit(`\\${next}`);
      }
      continue;
    }
    if (ch === '[') {
      // A class: kept unless it holds only punctuation or spacing, which becomes the run.
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      if (j >= source.length) return null;
      const cls = source.slice(i, j + 1);
      i = j + 1;
      const inner = cls.slice(1, -1);
      const negated = inner.startsWith('^');
      const chars = inner.replace(/\\s/g, ' ').replace(/\\(.)/g, '$1');
      const onlyPunct = !negated && chars.length > 0 && [...chars].every((c) => SOFT.test(c));
      if (onlyPunct) {
        punct();
        skipQuantifier();
      } else {
        emit(cls);
      }
      continue;
    }
    if (ch === '(' || ch === ')' || ch === '|' || ch === '^' || ch === '$' || ch === '.' || ch === '*' || ch === '+' || ch === '?' || ch === '{') {
      if (ch === '{') {
        const m = /^\{\d+(?:,\d*)?\}\??/.exec(source.slice(i));
        if (m) {
          emit(m[0]);
          i += m[0].length;
          continue;
        }
      }
      if (ch === '(' && source[i + 1] === '?') {
        // (?: (?= (?! (?<= (?<! (?<name>
        const m = /^\(\?(?::|=|!|<=|<!|<[A-Za-z][A-Za-z0-9]*>)/.exec(source.slice(i));
        if (!m) return null;
        emit(m[0]);
        i += m[0].length;
        continue;
      }
      emit(ch);
      i++;
      continue;
    }
    if (SOFT.test(ch)) {
      // Spacing and prose punctuation: the copy may have lost, changed or doubled it.
      punct();
      i++;
      skipQuantifier();
      continue;
    }
    emit(ch);
    i++;
  }
  try {
    new RegExp(out, 'i');
  } catch {
    return null;
  }
  return out;
}

/** A text signal's loose reading. */
interface LooseSignal {
  signal: TextSignal;
  pattern: RegExp;
  /** Its literals, normalised: one must be in a line for the loose pattern to be tried. */
  cores: string[];
}

/** Prefixes that consoles and CLIs put before a log line. */
const PREFIXES: readonly RegExp[] = [
  // aws logs tail: "2023-05-01T10:00:00.123000+00:00 2023/05/01/[$LATEST]abc123 "
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?\s+\d{4}\/\d{2}\/\d{2}\/\[[^\]]*\][0-9a-f]+\s+/,
  // zappa tail and similar: "[1596470914567] "
  /^\[\d{10,13}\]\s*/,
  // A markdown quote, list bullet or leading ellipsis.
  /^(?:>\s*)+/,
  /^(?:[-*•]\s+)/,
  /^(?:\.{3}|…)\s*/,
  // A bare clock time, "18:25:50 " or "18:25:50.123 ".
  /^\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\s+/,
  // A CloudWatch console copy: "<timestamp>\t<message>"; or an epoch in ms then a tab.
  /^(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?|\d{13})\t/,
];

/**
 * The lines a pasted line may stand for: itself, its JSON escapes undone (split where an escaped
 * newline was), each with console and CLI prefixes stripped.
 */
export function repairLine(raw: string): string[] {
  const out = new Set<string>();
  const add = (s: string): void => {
    let t = s.trim();
    for (let changed = true; changed; ) {
      changed = false;
      for (const p of PREFIXES) {
        const m = p.exec(t);
        if (m && m[0].length > 0 && m[0].length < t.length) {
          t = t.slice(m[0].length).trim();
          changed = true;
        }
      }
    }
    if (t !== '') out.add(t);
  };
  add(raw);
  if (/\\["nt\\/]/.test(raw)) {
    // One or two levels of JSON escaping (a log line in a JSON string in a log line).
    let text = raw;
    for (let level = 0; level < 2 && /\\["nt\\/]/.test(text); level++) {
      text = text.replace(/\\(["\\/])/g, '$1').replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\r/g, '');
    }
    for (const line of text.split('\n')) add(line);
  }
  return [...out];
}

/** Loose readings of the knowledge base's log patterns. */
export class LooseMatcher {
  private readonly signals: LooseSignal[];

  constructor(signals: readonly TextSignal[]) {
    this.signals = signals
      .filter((s) => s.kind === 'log')
      .flatMap((signal) => {
        const source = loosenPattern(signal.pattern.source);
        const cores = [...new Set(signal.literals.map(normalise))].filter((c) => c.length >= MIN_CORE);
        return source !== null && cores.length > 0 ? [{ signal, pattern: new RegExp(source, 'i'), cores }] : [];
      });
  }

  /** The signals a line fires read loosely (after {@link repairLine}), and whether it took a cut-short reading. */
  match(line: string): { signals: TextSignal[]; cut: boolean } {
    const text = normalise(line);
    // A line cut short says nothing about how it ended: patterns about the end of a line do not apply.
    const cutShort = CUT_SHORT.test(line);
    const hits = this.signals.filter((s) => (!cutShort || !s.pattern.source.includes('$')) && s.cores.some((c) => text.includes(c)) && s.pattern.test(line)).map((s) => s.signal);
    if (hits.length > 0) return { signals: hits, cut: false };
    const cut = this.cutShort(line);
    return { signals: cut, cut: cut.length > 0 };
  }

  /**
   * A line cut short: it ends with "…" or "...", and its last characters are the beginning of one
   * cause's literal (long enough, and not the beginning of another cause's as well).
   */
  private cutShort(line: string): TextSignal[] {
    const m = CUT_SHORT.exec(line);
    if (!m) return [];
    const tail = normalise(line.slice(0, m.index));
    if (tail.length < MIN_CUT_CHARS) return [];
    const found: { signal: TextSignal; kept: number }[] = [];
    for (const s of this.signals) {
      let best = 0;
      for (const core of s.cores) {
        // The longest end of the line that begins the literal.
        for (let k = Math.min(core.length - 1, tail.length); k >= MIN_CUT_CHARS; k--) {
          if (tail.endsWith(core.slice(0, k))) {
            if (k >= core.length * MIN_CUT_SHARE) best = Math.max(best, k);
            break;
          }
        }
      }
      if (best > 0) found.push({ signal: s.signal, kept: best });
    }
    const causes = new Set(found.map((f) => f.signal.causeId));
    return causes.size === 1 ? found.map((f) => f.signal) : [];
  }
}
