/** Small checks shared by the compilers of options objects (checkpointing, restart strategies). */
import { ValidationError } from './errors.js';

export function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** How a bad value is shown in a message: strings quoted, everything else as JSON would show it. */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

/** A misspelt option must fail loudly: silently ignoring it would run with the default instead. */
export function checkKnownOptions(prefix: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ValidationError(`${prefix}: unknown option '${key}' (known: ${known.join(', ')})`);
    }
  }
}
