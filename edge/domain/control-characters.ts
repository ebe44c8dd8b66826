/**
 * Control characters are never text a client means, and Postgres cannot store NUL at all (PGlite neither): a request
 * carrying one in a field, a query parameter or a path segment is refused up front with a 400 naming where it is,
 * instead of failing in the database (a 500, or a 503 that makes a device retry forever). Tab, line feed and
 * carriage return are text and stay allowed.
 */
import { AppError } from '../errors.ts';

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export interface ControlCharacterProblem {
  path: string;
  message: string;
}

const describe = (char: string) => `contains a control character (U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}); remove it`;

/** The problem with one string, or null when it holds no control character. */
export function controlCharacterIn(value: string, path: string): ControlCharacterProblem | null {
  const found = CONTROL.exec(value);
  return found ? { path, message: describe(found[0]) } : null;
}

/**
 * The first string (value or object key) holding a control character in a parsed JSON value, with its dotted path
 * (`fixes.3.vehicle_id`). Iterative, so a deeply nested body cannot overflow the stack.
 */
export function findControlCharacter(input: unknown, prefix = ''): ControlCharacterProblem | null {
  const stack: [unknown, string][] = [[input, prefix]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      const problem = controlCharacterIn(value, path);
      if (problem) return problem;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], path ? `${path}.${i}` : String(i)]);
    } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        const childPath = path ? `${path}.${key}` : key;
        const inKey = controlCharacterIn(key, childPath);
        if (inKey) return { path: childPath, message: `the field name ${inKey.message}` };
        stack.push([child, childPath]);
      }
    }
  }
  return null;
}

export function controlCharacterError(problem: ControlCharacterProblem): AppError {
  return new AppError('validation_failed', `${problem.path || 'the body'}: ${problem.message}`, { details: [problem] });
}

/** Throws the API's validation_failed error when the value holds a control character anywhere. */
export function rejectControlCharacters(input: unknown, prefix = ''): void {
  const problem = findControlCharacter(input, prefix);
  if (problem) throw controlCharacterError(problem);
}
