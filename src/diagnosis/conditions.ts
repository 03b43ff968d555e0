/**
 * Predicates over facts, as written in knowledge files (`requires`, `excludes`, `when`). A fact can
 * be unknown, so a predicate is three-valued: `requires` needs a known true, `excludes` fires only
 * on a known true, and an unknown fact never rules a cause in or out by itself.
 */
import type { FactName, FactValue } from './facts';
import { ALL_FACTS, isFactName } from './facts';
import { isRecord } from './evidence';

type Scalar = string | number | boolean;
type NumberOperand = number | { fact: FactName };

/** One test on one fact. All the listed operators must hold. */
export interface FactTest {
  equals?: Scalar;
  in?: Scalar[];
  not?: Scalar;
  notIn?: Scalar[];
  /** true: the fact is known; false: the fact is unknown (the only test that is never unknown). */
  present?: boolean;
  gt?: NumberOperand;
  gte?: NumberOperand;
  lt?: NumberOperand;
  lte?: NumberOperand;
  /** A JavaScript regular expression the (string) fact must match. */
  matches?: RegExp;
}

/** Every entry must hold. */
export type Condition = readonly (readonly [FactName, FactTest])[];

export type Truth = boolean | 'unknown';

export type FactLookup = (name: FactName) => FactValue | undefined;

const OPERATORS = ['equals', 'in', 'not', 'notIn', 'present', 'gt', 'gte', 'lt', 'lte', 'matches'] as const;

/**
 * Parses a condition map as written in YAML: `{fact: value}`, `{fact: [a, b]}` (one of) or
 * `{fact: {gt: 0}}`. Returns the condition, or a message saying what is wrong and where.
 */
export function parseCondition(raw: unknown, where: string): Condition | { error: string; field: string } {
  if (!isRecord(raw)) return { field: where, error: 'expected a map of fact name to value or test, e.g. {integrationType: AWS_PROXY}' };
  const out: [FactName, FactTest][] = [];
  for (const [name, spec] of Object.entries(raw)) {
    const field = `${where}.${name}`;
    if (!isFactName(name)) {
      return { field, error: `unknown fact "${name}"; expected one of the fact vocabulary (knowledge/README.md), e.g. ${Object.keys(ALL_FACTS).slice(0, 4).join(', ')}` };
    }
    const test = parseTest(spec, field);
    if ('error' in test) return test;
    out.push([name, test]);
  }
  if (out.length === 0) return { field: where, error: 'expected at least one fact test' };
  return out;
}

function parseTest(spec: unknown, field: string): FactTest | { error: string; field: string } {
  if (isScalar(spec)) return { equals: spec };
  if (Array.isArray(spec)) {
    if (!spec.every(isScalar)) return { field, error: 'expected a list of strings, numbers or booleans' };
    return { in: spec };
  }
  if (!isRecord(spec)) return { field, error: 'expected a value, a list of values, or a test such as {gt: 0}' };
  const test: FactTest = {};
  for (const [op, v] of Object.entries(spec)) {
    const opField = `${field}.${op}`;
    switch (op) {
      case 'equals':
      case 'not':
        if (!isScalar(v)) return { field: opField, error: 'expected a string, number or boolean' };
        test[op] = v;
        break;
      case 'in':
      case 'notIn':
        if (!Array.isArray(v) || !v.every(isScalar)) return { field: opField, error: 'expected a list of strings, numbers or booleans' };
        test[op] = v;
        break;
      case 'present':
        if (typeof v !== 'boolean') return { field: opField, error: 'expected true or false' };
        test.present = v;
        break;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte': {
        if (typeof v === 'number') test[op] = v;
        else if (isRecord(v) && typeof v.fact === 'string' && isFactName(v.fact)) test[op] = { fact: v.fact };
        else return { field: opField, error: 'expected a number or {fact: <fact name>}' };
        break;
      }
      case 'matches':
        if (typeof v !== 'string') return { field: opField, error: 'expected a regular expression as a string' };
        try {
          test.matches = new RegExp(v);
        } catch (e) {
          return { field: opField, error: `not a valid JavaScript regular expression (${(e as Error).message})` };
        }
        break;
      default:
        return { field: opField, error: `unknown test "${op}"; expected one of ${OPERATORS.join(', ')}` };
    }
  }
  return test;
}

/** Evaluates every test; false wins over unknown, unknown over true. */
export function evaluateCondition(condition: Condition, lookup: FactLookup): Truth {
  let result: Truth = true;
  for (const [name, test] of condition) {
    const r = evaluateTest(test, lookup(name), lookup);
    if (r === false) return false;
    if (r === 'unknown') result = 'unknown';
  }
  return result;
}

function evaluateTest(test: FactTest, value: FactValue | undefined, lookup: FactLookup): Truth {
  if (test.present !== undefined && test.present !== (value !== undefined)) return false;
  if (value === undefined) return test.present === false ? true : hasValueTests(test) ? 'unknown' : true;
  let result: Truth = true;
  const and = (t: Truth): void => {
    if (result === false) return;
    if (t === false || t === 'unknown') result = t;
  };
  if (test.equals !== undefined) and(sameValue(value, test.equals));
  if (test.in !== undefined) and(test.in.some((v) => sameValue(value, v)));
  if (test.not !== undefined) and(!sameValue(value, test.not));
  if (test.notIn !== undefined) and(!test.notIn.some((v) => sameValue(value, v)));
  if (test.matches !== undefined) and(typeof value === 'string' && test.matches.test(value));
  for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
    const operand = test[op];
    if (operand === undefined) continue;
    const right = typeof operand === 'number' ? operand : lookup(operand.fact);
    if (right === undefined) and('unknown');
    else if (typeof value !== 'number' || typeof right !== 'number') and(false);
    else and(compare(op, value, right));
  }
  return result;
}

function hasValueTests(test: FactTest): boolean {
  return OPERATORS.some((op) => op !== 'present' && test[op] !== undefined);
}

function compare(op: 'gt' | 'gte' | 'lt' | 'lte', a: number, b: number): boolean {
  switch (op) {
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
  }
}

/** Strings compare case-insensitively (AWS enums arrive in either case from hand-written evidence). */
function sameValue(value: FactValue, expected: Scalar): boolean {
  if (typeof value === 'object') return value.some((v) => sameValue(v, expected));
  if (typeof value === 'string' && typeof expected === 'string') return value.toLowerCase() === expected.toLowerCase();
  return value === expected;
}

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** The fact names a condition reads, including facts used as operands. */
export function factsOf(condition: Condition): FactName[] {
  const names: FactName[] = [];
  for (const [name, test] of condition) {
    names.push(name);
    for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
      const operand = test[op];
      if (operand !== undefined && typeof operand !== 'number') names.push(operand.fact);
    }
  }
  return names;
}
