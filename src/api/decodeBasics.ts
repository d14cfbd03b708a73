// The primitives of the tolerant readers (src/api/decode.ts): required fields checked with a
// path in the error, optional fields of the wrong type dropped; and people (users, participants).
// No vscode import.
import type { Participant, User } from './types';
export type Json = Record<string, unknown>;

export class ShapeError extends Error {}

export function fail(path: string, expected: string): never {
  throw new ShapeError(`${path} should be ${expected}`);
}

export function obj(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object');
  return value as Json;
}

export function str(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(`${path}.${key}`, 'a string');
  return v;
}

export function num(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${path}.${key}`, 'a number');
  return v;
}

export function bool(o: Json, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') fail(`${path}.${key}`, 'true or false');
  return v;
}

export function optStr(o: Json, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

export function optNullableStr(o: Json, key: string): string | null | undefined {
  const v = o[key];
  return typeof v === 'string' || v === null ? v : undefined;
}

export function optBool(o: Json, key: string): boolean | undefined {
  const v = o[key];
  return typeof v === 'boolean' ? v : undefined;
}

export function optNum(o: Json, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function optRecord(o: Json, key: string): Record<string, unknown> | undefined {
  const v = o[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function arr<T>(o: Json, key: string, path: string, item: (v: unknown, p: string) => T): T[] {
  const v = o[key];
  if (!Array.isArray(v)) fail(`${path}.${key}`, 'a list');
  return v.map((x, i) => item(x, `${path}.${key}[${i}]`));
}

/** Drops undefined values so that objects compare and serialise cleanly. */
export function compact<T extends object>(value: T): T {
  // A copy rather than `delete`: deleting keys drops objects into slow dictionary mode, which
  // made decoding a 200-chat page several times slower than JSON.parse.
  const out = {} as T;
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

export function readUser(value: unknown, path = 'user'): User {
  const o = obj(value, path);
  const user: User = { id: str(o, 'id', path) };
  copyOptional(user, o, USER_STRINGS, 'string');
  copyOptional(user, o, USER_FLAGS, 'boolean');
  return user;
}

export function readParticipant(value: unknown, path = 'participant'): Participant {
  // Built field by field (no spread, no delete): a 200-chat page has thousands of these.
  const participant: Participant = readUser(value, path);
  copyOptional(participant, value as Json, PARTICIPANT_FLAGS, 'boolean');
  return participant;
}

const USER_STRINGS = ['username', 'phoneNumber', 'email', 'fullName', 'imgURL'] as const;
const USER_FLAGS = ['cannotMessage', 'isSelf'] as const;
const PARTICIPANT_FLAGS = ['isAdmin', 'isPending', 'isNetworkBot'] as const;

/** Copies the keys whose values have the expected type; others are left out. */
function copyOptional(target: object, source: Json, keys: readonly string[], type: 'string' | 'boolean'): void {
  for (const key of keys) {
    const v = source[key];
    if (typeof v === type) (target as Json)[key] = v;
  }
}

