/**
 * Text for Slack's mrkdwn, made safe: `&`, `<` and `>` are Slack's control characters and are escaped
 * wherever text is not meant as markup (log lines, API names, anything a user typed), and no text can
 * open or close a code block except the fences these helpers write. Long text is cut without leaving
 * a code block, an inline code span, an entity or a link open.
 */

/**
 * Escapes Slack's three control characters; everything else Slack shows as written. A lone surrogate
 * (a log line cut mid-character) becomes U+FFFD, so that the JSON Slack receives is valid UTF-8.
 */
export function escapeMrkdwn(text: string): string {
  return wellFormed(text).replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** `text` with every lone surrogate replaced by U+FFFD (String#toWellFormed, which ES2023 lacks). */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/**
 * Three backticks end a code block wherever they appear, so a log line must never hold them. They are
 * replaced by look-alikes (U+02CB), visible to a reader, harmless to Slack.
 */
export function defuseFences(text: string): string {
  return text.replace(/`{3,}/g, (run) => 'ˋ'.repeat(run.length));
}

/** Plain text (user or log text) as mrkdwn: escaped, no fences. */
export function plain(text: string): string {
  return defuseFences(escapeMrkdwn(text));
}

/**
 * `text` as one inline code span: one line, escaped, its own backticks replaced (a span cannot hold
 * them), clipped to `max` characters of the original text.
 */
export function inlineCode(text: string, max = 300): string {
  const oneLine = clipText(text.replace(/\s*[\r\n]+\s*/g, ' ↵ ').replace(/`/g, 'ˋ'), max);
  return `\`${escapeMrkdwn(oneLine) || ' '}\``;
}

/** `text` as a fenced code block that nothing inside can close: copyable as written, bar three backticks. */
export function codeBlock(text: string): string {
  return `\`\`\`\n${defuseFences(escapeMrkdwn(text.replace(/\r\n?/g, '\n')))}\n\`\`\``;
}

/** A link, or the escaped label alone when the URL is not a plain https URL that Slack's link markup can hold. */
export function link(url: string, label: string): string {
  const text = plain(label.replace(/[|\r\n]/g, ' ')) || 'link';
  if (!/^https:\/\/[^\s<>|]+$/.test(url) || url.length > 3000) return text;
  // `&` in a URL is escaped like anywhere else in mrkdwn; Slack decodes it before following the link.
  return `<${escapeMrkdwn(url)}|${text}>`;
}

/** Text clipped to `max` UTF-16 units, ending in "…" when clipped, never splitting a surrogate pair. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, Math.max(0, max));
  let end = max - 1;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * mrkdwn clipped to `max` characters ("…" marks the cut) so that it still renders as intended: a cut
 * inside a code block closes the block, a cut inside an inline code span closes the span, and an
 * entity (`&amp;`) or a link (`<url|label>`) is dropped whole rather than split.
 */
export function clipMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  // Room for "…", a newline and a closing fence.
  let end = Math.max(0, max - 5);
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  // A cut through a fence's backticks would leave one or two stray ones: drop them.
  let head = text.slice(0, end).replace(/`+$/, '');
  const amp = head.lastIndexOf('&');
  if (amp >= 0 && !head.slice(amp).includes(';') && /^&(?:amp|lt|gt);/.test(text.slice(amp, amp + 5))) head = head.slice(0, amp);
  const open = head.lastIndexOf('<');
  if (open >= 0 && head.lastIndexOf('>') < open) head = head.slice(0, open);
  const fences = head.split('```').length - 1;
  if (fences % 2 === 1) return `${head}…\n\`\`\``;
  const ticks = head.split('```').join('').split('`').length - 1;
  return ticks % 2 === 1 ? `${head}…\`` : `${head}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
