/**
 * The knowledge base's own literals, per log source, for the Logs Insights filters: the service sends
 * back only lines that could fire a signal, so a busy log group costs one small answer. The literals
 * come from the shipped and team knowledge files, never from what a user typed.
 */
import type { LogSource } from '../diagnosis/evidence';
import type { KnowledgeBase, TextSignal } from '../diagnosis/knowledge/cause';

export type LogLiterals = Readonly<Record<LogSource, readonly string[]>>;

export function logLiteralsOf(kb: KnowledgeBase): LogLiterals {
  const signals = kb.causes.flatMap((c) => c.signals.filter((s): s is TextSignal => s.kind === 'log' || s.kind === 'access'));
  const of = (source: LogSource): string[] =>
    [...new Set(signals.filter((s) => s.kind === 'log' && (!s.sources || s.sources.includes(source))).flatMap((s) => s.literals))]
      // A literal that contains a shorter one adds nothing to an alternation.
      .filter((l, _, all) => !all.some((o) => o !== l && l.includes(o)))
      .sort();
  return { execution: of('execution'), lambda: of('lambda'), access: of('access') };
}
