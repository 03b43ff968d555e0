/**
 * Block Kit as HTML, the way Slack shows it, for the demo page: header, section (mrkdwn or plain text,
 * fields, a button accessory), context, divider and actions with buttons; mrkdwn with code blocks,
 * inline code, links, mentions, bold, italic, strike, quotes and a few emoji. Everything from the bot is
 * escaped for HTML after Slack's own entities are read, so no text it posts can become markup on the
 * page. A block this does not know is shown as its type, never dropped silently.
 */

/** A button as the page needs it to send the click back. */
export interface RenderedButton {
  actionId: string;
  blockId: string;
  value: string;
}

const EMOJI: Record<string, string> = {
  warning: '⚠️',
  mag: '🔍',
  thumbsup: '👍',
  thumbsdown: '👎',
  fire: '🔥',
  white_check_mark: '✅',
  x: '❌',
  lambda: 'λ',
  function: 'ƒ',
  aws: '☁️',
  hourglass_flowing_sand: '⏳',
  rotating_light: '🚨',
};

/** HTML-escapes text that is not markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Slack's three entities back to characters (before escaping again for HTML). */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Names for `<@U…>` mentions and `<#C…>` channels. */
export interface RenderNames {
  user(id: string): string;
  channel(id: string): string;
}

/** mrkdwn to HTML: fenced code, then inline code, then links and styles in the rest. */
export function mrkdwnToHtml(text: string, names: RenderNames): string {
  const parts = text.split(/```/);
  return parts
    .map((part, i) => {
      // Odd parts are inside a fence (an unclosed last fence is shown as text, as Slack does).
      if (i % 2 === 1 && i < parts.length - 1) return `<pre class="code">${escapeHtml(unescapeSlack(part.replace(/^\n/, '').replace(/\n$/, '')))}</pre>`;
      return inlineToHtml(i % 2 === 1 ? `\`\`\`${part}` : part, names);
    })
    .join('');
}

function inlineToHtml(text: string, names: RenderNames): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((piece) => (/^`[^`\n]+`$/.test(piece) ? `<code>${escapeHtml(unescapeSlack(piece.slice(1, -1)))}</code>` : styled(piece, names)))
    .join('')
    .replace(/\n/g, '<br>');
}

/** Links, mentions, emoji and *bold* / _italic_ / ~strike~ / `>` quotes in text without code. */
function styled(text: string, names: RenderNames): string {
  const tokens = text.split(/(<[^<>\n]+>)/);
  const html = tokens
    .map((token) => {
      const angle = /^<([^<>]+)>$/.exec(token)?.[1];
      if (angle === undefined) return emphasis(escapeHtml(unescapeSlack(token)));
      if (angle.startsWith('@')) return `<span class="mention">@${escapeHtml(names.user(angle.slice(1).split('|')[0] ?? ''))}</span>`;
      if (angle.startsWith('#')) return `<span class="mention">#${escapeHtml(names.channel(angle.slice(1).split('|')[0] ?? ''))}</span>`;
      if (angle.startsWith('!')) return `<span class="mention">@${escapeHtml(angle.slice(1).split('|')[0] ?? '')}</span>`;
      const bar = angle.indexOf('|');
      const url = unescapeSlack(bar >= 0 ? angle.slice(0, bar) : angle);
      const label = unescapeSlack(bar >= 0 ? angle.slice(bar + 1) : angle);
      if (!/^(https?:|mailto:)/i.test(url)) return escapeHtml(label);
      return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(label)}</a>`;
    })
    .join('');
  return html.replace(/(^|<br>|\n)&#62; ?([^\n]*)/g, '$1<span class="quote">$2</span>');
}

/** Bold, italic, strike and emoji over already-escaped text. */
function emphasis(html: string): string {
  return html
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1<b>$2</b>')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/g, '$1<i>$2</i>')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/g, '$1<s>$2</s>')
    .replace(/:([a-z0-9_+-]+):/g, (all, name: string) => EMOJI[name] ?? all);
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function textObject(t: unknown, names: RenderNames): string {
  if (!isObject(t)) return '';
  return t.type === 'mrkdwn' ? mrkdwnToHtml(str(t.text), names) : escapeHtml(str(t.text)).replace(/:([a-z0-9_+-]+):/g, (all, name: string) => EMOJI[name] ?? all);
}

function buttonHtml(el: Json, blockId: string, names: RenderNames): string {
  const style = el.style === 'primary' || el.style === 'danger' ? ` ${el.style}` : '';
  const label = isObject(el.text) ? textObject(el.text, names) : '';
  const aria = typeof el.accessibility_label === 'string' ? ` aria-label="${escapeHtml(el.accessibility_label)}" title="${escapeHtml(el.accessibility_label)}"` : '';
  if (typeof el.url === 'string' && /^https?:/i.test(el.url)) return `<a class="button${style}" href="${escapeHtml(el.url)}" target="_blank" rel="noopener noreferrer"${aria}>${label}</a>`;
  return `<button type="button" class="button${style}" data-action-id="${escapeHtml(str(el.action_id))}" data-block-id="${escapeHtml(blockId)}" data-value="${escapeHtml(str(el.value))}"${aria}>${label}</button>`;
}

function elementHtml(el: unknown, blockId: string, names: RenderNames): string {
  if (!isObject(el)) return '';
  if (el.type === 'button') return buttonHtml(el, blockId, names);
  if (el.type === 'mrkdwn' || el.type === 'plain_text') return `<span class="element">${textObject(el, names)}</span>`;
  if (el.type === 'image') return `<span class="element">[image: ${escapeHtml(str(el.alt_text))}]</span>`;
  return `<span class="unknown">[${escapeHtml(str(el.type))}]</span>`;
}

/** One block as HTML. */
export function blockToHtml(block: unknown, index: number, names: RenderNames): string {
  if (!isObject(block)) return '';
  const blockId = typeof block.block_id === 'string' ? block.block_id : `b${index}`;
  switch (block.type) {
    case 'header':
      return `<div class="block header">${textObject(block.text, names)}</div>`;
    case 'section': {
      const fields = Array.isArray(block.fields) ? `<div class="fields">${block.fields.map((f) => `<div>${textObject(f, names)}</div>`).join('')}</div>` : '';
      const accessory = isObject(block.accessory) ? `<div class="accessory">${elementHtml(block.accessory, blockId, names)}</div>` : '';
      return `<div class="block section"><div class="section-text">${textObject(block.text, names)}${fields}</div>${accessory}</div>`;
    }
    case 'context':
      return `<div class="block context">${(Array.isArray(block.elements) ? block.elements : []).map((el) => elementHtml(el, blockId, names)).join('<span class="sep"> </span>')}</div>`;
    case 'divider':
      return '<hr class="block divider">';
    case 'actions':
      return `<div class="block actions">${(Array.isArray(block.elements) ? block.elements : []).map((el) => elementHtml(el, blockId, names)).join('')}</div>`;
    default:
      return `<div class="block unknown">[${escapeHtml(str(block.type))} block]</div>`;
  }
}

/** A message's body: its blocks, or its text when it has none (as Slack shows it). */
export function messageBodyHtml(message: { text: string; blocks?: unknown[] }, names: RenderNames): string {
  if (message.blocks && message.blocks.length > 0) return message.blocks.map((b, i) => blockToHtml(b, i, names)).join('');
  return `<div class="block section"><div class="section-text">${mrkdwnToHtml(message.text, names)}</div></div>`;
}
