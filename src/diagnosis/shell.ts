/**
 * Command templates and POSIX shell quoting. A template is parsed into words once, at load time;
 * rendering substitutes raw values into each word and quotes the whole word, so that no value,
 * whatever it holds, can end a word, start a command or expand when the text is pasted into a shell.
 */

/** A piece of one shell word: literal text or a `{placeholder}`. */
export type Segment = { text: string } | { placeholder: string };

/** A template line: a command (its words) or a comment, printed as written. */
export type TemplateLine = { words: Segment[][] } | { comment: string };

const PLACEHOLDER = /\{([a-zA-Z][a-zA-Z0-9]*)\}/g;
/** Characters that never need quoting in any POSIX shell word. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one value as one shell word. */
export function shellQuote(value: string): string {
  if (SAFE_WORD.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Parses a template: one command per line, words split on blanks, `'…'` and `"…"` group literal text
 * (no expansion happens, ever: quoting is redone on output), `\` at a line end continues the command,
 * `#` starts a comment line (comments may not hold placeholders: a value with a newline could end
 * the comment). Returns the lines, or an error message.
 */
export function parseTemplate(template: string): TemplateLine[] | { error: string } {
  const lines: TemplateLine[] = [];
  const joined = template.replace(/\\\r?\n/g, ' ');
  for (const rawLine of joined.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (PLACEHOLDER.test(line)) return { error: `a comment line may not hold a {placeholder}: ${line}` };
      PLACEHOLDER.lastIndex = 0;
      lines.push({ comment: line });
      continue;
    }
    const words = splitWords(line);
    if ('error' in words) return words;
    lines.push({ words });
  }
  return lines;
}

function splitWords(line: string): Segment[][] | { error: string } {
  const words: Segment[][] = [];
  let current: string[] = [];
  let inWord = false;
  let quote: '"' | "'" | null = null;
  const segments: Segment[] = [];
  const flushText = (): void => {
    if (current.length > 0) {
      segments.push(...splitPlaceholders(current.join('')));
      current = [];
    }
  };
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else current.push(ch);
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === ' ' || ch === '\t') {
      if (inWord) {
        flushText();
        words.push(segments.splice(0));
        inWord = false;
      }
    } else {
      current.push(ch);
      inWord = true;
    }
  }
  if (quote) return { error: `unbalanced ${quote} in: ${line}` };
  if (inWord) {
    flushText();
    words.push(segments.splice(0));
  }
  return words;
}

function splitPlaceholders(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ placeholder: m[1] ?? '' });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** The placeholders a template uses, in order of first use. */
export function placeholdersOf(lines: readonly TemplateLine[]): string[] {
  const names = new Set<string>();
  for (const line of lines) {
    if ('comment' in line) continue;
    for (const word of line.words) for (const seg of word) if ('placeholder' in seg) names.add(seg.placeholder);
  }
  return [...names];
}

/** The words of each command line with values substituted, unquoted: what a shell should receive. */
export function expandTemplate(lines: readonly TemplateLine[], valueOf: (name: string) => string): string[][] {
  return lines.flatMap((line) => ('comment' in line ? [] : [line.words.map((word) => joinWord(word, valueOf))]));
}

/** Renders a template as shell text: every word quoted as needed, one command per line. */
export function renderTemplate(lines: readonly TemplateLine[], valueOf: (name: string) => string): string {
  return lines
    .map((line) => ('comment' in line ? line.comment : line.words.map((word) => shellQuote(joinWord(word, valueOf))).join(' ')))
    .join('\n');
}

function joinWord(word: readonly Segment[], valueOf: (name: string) => string): string {
  return word.map((seg) => ('text' in seg ? seg.text : valueOf(seg.placeholder))).join('');
}
