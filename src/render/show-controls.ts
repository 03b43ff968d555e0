/**
 * Text from logs, evidence files, file names and AWS, made safe to print on a terminal. A terminal obeys
 * the control characters in what it prints: ESC sequences recolour, clear the screen, move the cursor,
 * retitle the window or hide text; C1 controls (U+0080–U+009F) do the same on some terminals; a carriage
 * return overwrites the line; bidi controls reorder what is shown (Trojan Source). Each such character is
 * shown as its JSON escape instead: ESC as `\u001b`, BEL `\u0007`, CR `\r`, U+009B `\u009b`, U+202E
 * `\u202e`. A line then reads the same in a report as in `--json`, and JSON passed through stays valid
 * JSON with the same values (JSON.stringify escapes C0 controls but leaves C1 and bidi controls raw).
 */

/**
 * The ANSI sequences the reports of src/render write themselves: bold, dim and their reset, red, green and
 * their reset. Kept on a terminal when asked; a test checks that src/render uses no others.
 */
export const STYLE_SEQUENCES: readonly string[] = ['\x1b[1m', '\x1b[2m', '\x1b[22m', '\x1b[31m', '\x1b[32m', '\x1b[39m'];

/** Carriage return, then erase the line: how the live progress list (`progress.ts`) redraws its spinner line. */
export const REDRAW_SEQUENCE = '\r\x1b[2K';

export interface ShowControlsOptions {
  /** Keep `\n` and `\t` (default true: reports are many lines); false makes the text one line. */
  lineBreaks?: boolean;
  /**
   * Keep {@link STYLE_SEQUENCES} (default false). Only for text whose untrusted parts were escaped before
   * it was styled (`showControlsIn`), or hostile text could style itself.
   */
  styles?: boolean;
  /** Keep {@link REDRAW_SEQUENCE} too (default false), for the live progress on a terminal. */
  redraw?: boolean;
}

/** C0 controls but tab and newline, DEL, C1 controls (as a character class, to build the patterns). */
const CONTROLS = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f';
/** Arabic letter mark, LRM/RLM, line and paragraph separators, LRE…RLO, LRI…PDI; and U+FEFF, the invisible stray byte-order mark. */
const INVISIBLE = '\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069\\ufeff';

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

const patterns = new Map<string, RegExp>();

function patternFor(lineBreaks: boolean, styles: boolean, redraw: boolean): RegExp {
  const key = `${lineBreaks}${styles}${redraw}`;
  let pattern = patterns.get(key);
  if (!pattern) {
    const kept = [...(redraw ? [REDRAW_SEQUENCE] : []), ...(styles ? STYLE_SEQUENCES : [])].map(escapeRegExp);
    const single = `[${CONTROLS}${INVISIBLE}${lineBreaks ? '' : '\\t\\n'}]`;
    // A kept sequence is tried first at each position, so its ESC is not escaped on its own.
    pattern = new RegExp([...kept, single].join('|'), 'g');
    patterns.set(key, pattern);
  }
  return pattern;
}

function escapeRegExp(text: string): string {
  return text.replace(/[[\]\\^$.|?*+(){}]/g, '\\$&');
}

/** One character as it is shown: its JSON escape. */
function showCharacter(c: string): string {
  return SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` with every control character shown as its JSON escape (see the file's comment). */
export function showControls(text: string, options: ShowControlsOptions = {}): string {
  const pattern = patternFor(options.lineBreaks ?? true, options.styles ?? false, options.redraw ?? false);
  // Kept sequences are several characters long; a character to show is one.
  return text.replace(pattern, (match) => (match.length > 1 ? match : showCharacter(match)));
}

/**
 * A copy of `value` with {@link showControls} applied to every string in it (plain objects and arrays,
 * recursively; line breaks kept), for the data a report is rendered from. Parts without control
 * characters are shared, not copied.
 */
export function showControlsIn<T>(value: T): T {
  return showIn(value) as T;
}

function showIn(value: unknown): unknown {
  if (typeof value === 'string') return showControls(value);
  if (Array.isArray(value)) {
    const out = value.map(showIn);
    return out.some((v, i) => v !== value[i]) ? out : value;
  }
  if (value === null || typeof value !== 'object') return value;
  const proto: unknown = Object.getPrototypeOf(value);
  // Only plain records: an instance (a Date, a Map) is left as it is.
  if (proto !== Object.prototype && proto !== null) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const shown = showIn(v);
    if (shown !== v) changed = true;
    out[k] = shown;
  }
  return changed ? out : value;
}

/** Messages a user sees on one line are clipped to this many characters (default of {@link toOneLine}). */
export const ONE_LINE_MAX = 500;

/**
 * `text` as one line: every control character, newlines and tabs included, shown as its escape, and
 * when longer than `maxLength` its middle cut out (`…`), keeping the start (what went wrong) and the
 * end (what to do next). An escape is never cut in half.
 */
export function toOneLine(text: string, maxLength = ONE_LINE_MAX): string {
  const shown = showControls(text, { lineBreaks: false });
  if (shown.length <= maxLength) return shown;
  const headBudget = Math.floor(((maxLength - 1) * 2) / 3);
  const tailBudget = maxLength - 1 - headBudget;
  // Cut between characters as shown (code points, each escape whole). Neither end needs more than
  // `maxLength` characters of the text, and a pair split by these slices is never reached.
  const show = (c: string): string => showControls(c, { lineBreaks: false });
  let head = '';
  for (const piece of Array.from(text.slice(0, maxLength), show)) {
    if (head.length + piece.length > headBudget) break;
    head += piece;
  }
  let tail = '';
  for (const piece of Array.from(text.slice(-maxLength), show).reverse()) {
    if (tail.length + piece.length > tailBudget) break;
    tail = piece + tail;
  }
  return `${head}…${tail}`;
}
