import type { z } from 'zod';
import { describedSchema, issueWords, takesWords } from '../schema-words.ts';

/** A parameter value a layer's or block's schema refuses: which parameter, and why in words. */
export interface ParamProblem {
  param: string;
  /** "at least 1", "a whole number, at least 1, or a pair such as “3, 5” (…)", "one of relu, tanh". */
  words: string;
}

/**
 * Why `params` do not fit a kind's schema, said at the parameter it is about (the one named in `prefer`
 * when it has a problem), or null when they fit.
 */
export function paramProblem(schema: z.ZodType, params: unknown, prefer?: string): ParamProblem | null {
  const parsed = schema.safeParse(params);
  return parsed.success ? null : issuesProblem(schema, parsed.error.issues, prefer);
}

/** The problem a schema's refusal (`issues`, from its own safeParse) says, as `paramProblem` says it. */
export function issuesProblem(
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  prefer?: string,
): ParamProblem {
  const issue = issues.find((i) => i.path[0] === prefer) ?? issues[0]!;
  const param = issue.path.length ? String(issue.path[0]) : '';
  const root = describedSchema(schema);
  const node = param ? root.properties?.[param] : root;
  const takes = () => (node ? takesWords(node) : 'a value of the kind shown');
  return { param, words: issueWords(issue, takes, node) };
}
