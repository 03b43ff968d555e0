/**
 * Renders a cause's fixes for one piece of evidence: placeholders filled from the target and facts,
 * every word shell-quoted, unknown values left visible with a note on how to find them, and the
 * deployment step added where the change needs one to take effect.
 */
import type { FactLookup } from './conditions';
import { evaluateCondition } from './conditions';
import type { ApiType } from './evidence';
import type { FixTemplate } from './knowledge/cause';
import type { TemplateContext } from './placeholders';
import { resolvePlaceholder } from './placeholders';
import type { TemplateLine } from './shell';
import { parseTemplate, renderTemplate } from './shell';

export interface RenderedFix {
  title: string;
  command: string;
  changes: string;
  verify: string;
  notes: string[];
}

function mustParse(template: string): TemplateLine[] {
  const lines = parseTemplate(template);
  if ('error' in lines) throw new Error(lines.error);
  return lines;
}

/** REST changes reach clients only through a new deployment of the stage. */
const REST_REDEPLOY = mustParse('aws apigateway create-deployment --rest-api-id {apiId} --stage-name {stage} --description "apigw-doctor fix"');
/** v2 stages with auto-deploy pick changes up by themselves; the others need a deployment. */
const V2_REDEPLOY = mustParse(
  '# Needed only if the stage does not auto-deploy:\naws apigatewayv2 create-deployment --api-id {apiId} --stage-name {stage} --description "apigw-doctor fix"',
);

/**
 * The fixes that apply to the evidence, rendered: its API type, the signals that fired (`fired`, ids within
 * the cause), and its facts (a fix that would set what is
 * already set, such as a timeout already at its maximum, gives way to the one that says what is left to do).
 */
export function renderFixes(fixes: readonly FixTemplate[], ctx: TemplateContext, lookup?: FactLookup, fired?: ReadonlySet<string>): RenderedFix[] {
  return fixes
    .filter((f) => !f.apiTypes || f.apiTypes.includes(ctx.apiType))
    // A fix for one form of the cause shows when that form was seen (a MOCK template, not a binary body).
    .filter((f) => !f.signals || !fired || f.signals.some((id) => fired.has(id)))
    .filter((f) => !lookup || ((!f.requires || evaluateCondition(f.requires, lookup) === true) && !(f.excludes ?? []).some((c) => evaluateCondition(c, lookup) === true)))
    .map((f) => renderFix(f, ctx));
}

/** The template lines a fix prints for an API type: its commands, then the deployment it needs. */
export function fixCommandLines(fix: FixTemplate, apiType: ApiType): TemplateLine[] {
  const redeploy = fix.redeploy ? (apiType === 'REST' ? REST_REDEPLOY : V2_REDEPLOY) : [];
  return [...fix.command, ...redeploy];
}

/**
 * Command lines with the evidence's values, every word shell-quoted; an unknown value shows as a quoted
 * `'<rest-api-id>'` and the note on how to find it is added to `notes`.
 */
export function renderCommand(lines: readonly TemplateLine[], ctx: TemplateContext, notes: Set<string>): string {
  return renderTemplate(lines, (name) => {
    const r = resolvePlaceholder(name, ctx);
    if (r.note) notes.add(r.note);
    return r.value;
  });
}

export function renderFix(fix: FixTemplate, ctx: TemplateContext): RenderedFix {
  const unknownNotes = new Set<string>();
  const command = renderCommand(fixCommandLines(fix, ctx.apiType), ctx, unknownNotes);
  const verify = renderCommand(fix.verify, ctx, unknownNotes);
  const notes = fix.notes.map((n) => fillText(n, ctx));
  return { title: fillText(fix.title, ctx), command, changes: fillText(fix.changes, ctx), verify, notes: [...notes, ...unknownNotes] };
}

/**
 * Fills `{placeholders}` in prose (never in shell text). A known value shows as it is. An unknown one
 * never shows as a bare `<name>`: an id or name says what it stands for ("the function", capitalised at
 * the start of a sentence), and a part written `[[ … ]]` is left out whole when a placeholder inside it
 * is unknown (`the integration timeout[[ ({integrationTimeoutMs} ms)]]`). A fact outside such a part
 * reads "unknown".
 */
export function fillText(text: string, ctx: TemplateContext): string {
  const optional = text.replace(/\[\[([\s\S]*?)\]\]/g, (_whole, inner: string) => {
    const names = [...inner.matchAll(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g)].map((m) => m[1] ?? '');
    return names.every((n) => resolveOrNull(n, ctx)?.known !== false) ? inner : '';
  });
  return optional.replace(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g, (whole, name: string, offset: number, all: string) => {
    const r = resolveOrNull(name, ctx);
    if (!r) return whole;
    if (r.known) return r.value;
    const phrase = r.prose ?? 'unknown';
    return startsSentence(all, offset) ? phrase.charAt(0).toUpperCase() + phrase.slice(1) : phrase;
  });
}

function resolveOrNull(name: string, ctx: TemplateContext): ReturnType<typeof resolvePlaceholder> | null {
  try {
    return resolvePlaceholder(name, ctx);
  } catch {
    return null;
  }
}

/** True at the start of the text or after a sentence's end. */
function startsSentence(text: string, offset: number): boolean {
  return /(?:[.!?]\s+|\n\s*)$/.test(text.slice(Math.max(0, offset - 4), offset)) || offset === 0;
}
