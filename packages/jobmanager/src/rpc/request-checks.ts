/**
 * Input checks shared by the RPC handlers: a request from the network is untrusted, so every field a
 * handler uses is checked here first and a bad one becomes a ValidationError naming the field.
 */
import { ValidationError, isSafeId } from '@eddy/common';

export function requireId(field: string, value: string | null | undefined): string {
  if (typeof value !== 'string' || !isSafeId(value)) {
    throw new ValidationError(`${field} must be 1-64 characters of a-z, 0-9 and '-', got '${printable(value)}'`);
  }
  return value;
}

export function requireText(field: string, value: string | null | undefined, maxLength = 1024): string {
  if (typeof value !== 'string' || value === '' || value.length > maxLength) {
    throw new ValidationError(`${field} must be a non-empty string of at most ${maxLength} characters`);
  }
  return value;
}

export function requirePort(field: string, value: number | null | undefined): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new ValidationError(`${field} must be a port in [1, 65535], got ${String(value)}`);
  }
  return value;
}

const HOST_PATTERN = /^(\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:.]+|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}))$/;

export function requireHost(field: string, value: string | null | undefined): string {
  if (typeof value !== 'string' || !HOST_PATTERN.test(value)) {
    throw new ValidationError(`${field} must be a host name or IP address, got '${printable(value)}'`);
  }
  return value;
}

/** A finite, non-negative count; anything else counts as 0. */
export function count(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function printable(value: unknown): string {
  const s = String(value);
  return (s.length > 80 ? `${s.slice(0, 80)}...` : s).replace(/[^\x20-\x7e]/g, '?');
}
