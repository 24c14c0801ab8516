// Checking a request against its message type before it is sent: what protobuf cannot carry is
// refused as INVALID_ARGUMENT naming the caller's argument, not mangled on the way out.
//
// protobufjs, which grpc-js serializes through, coerces rather than refuses: a uint32 field
// given -1 sends 4294967295 (`v >>> 0`), 1.5 sends 1, NaN or 'abc' sends 0, a number for a
// string field sends its text, an unknown enum name is dropped. Every request the client builds
// goes through `checkRequest`, which walks the message type (loaded by protobufjs from the same
// .proto) and checks each value present against its field: integers in their wire type's range,
// numbers (float32's range for a float), booleans, well-formed strings, bytes, enum names,
// every element of a repeated field and every entry of a map, nested messages. The check comes
// from the .proto, so a field added there is covered without code here. What a value means
// (n >= 1, a known model) is the server's to judge.
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';

import { LatentGanError } from './errors.js';

/** An INVALID_ARGUMENT raised before any call: `field` is the argument, `description` one line. */
export function invalidArgument(field: string, description: string): LatentGanError {
  return new LatentGanError(grpc.status.INVALID_ARGUMENT, description, { fieldViolations: [{ field, description }] });
}

/** The argument a value's path names, the error's field: labels[2] -> labels, latents.dim -> latents. */
export function argumentOf(path: string): string {
  return /^[A-Za-z_$][\w$]*/.exec(path)?.[0] ?? path;
}

/** An INVALID_ARGUMENT for the value at `path` (an argument, or a part of one). */
export function invalidAt(path: string, description: string): LatentGanError {
  return invalidArgument(argumentOf(path), description);
}

const SHOWN = 40;

/** A value as a message echoes it, cut short. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'bigint' ? `${value}n` : String(value);
  } catch {
    text = typeof value;
  }
  if (Array.isArray(value)) text = `[${text}]`;
  return text.length <= SHOWN ? text : `${text.slice(0, SHOWN - 3)}...`;
}

/** The type of a value as a message names it: null, array, Uint8Array, or its typeof. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'a Uint8Array';
  return `a ${typeof value}`;
}

/** "<path> must be <expected>, got a <type> (<value>)": the value itself only when it is a scalar. */
function wrongType(path: string, expected: string, value: unknown): LatentGanError {
  const echo = typeof value === 'object' || value === undefined ? '' : ` (${shown(value)})`;
  return invalidAt(path, `${path} must be ${expected}, got ${kindOf(value)}${echo}`);
}

const INT_RANGES: Record<string, [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};
const FLOAT32_MAX = 3.4028234663852886e38;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u; // with the u flag, only an unpaired half matches

function checkInteger(type: string, value: unknown, path: string): void {
  const [low, high] = INT_RANGES[type]!;
  const wide = type.endsWith('64');
  let whole: bigint;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw wrongType(path, 'an integer', value);
    // Beyond 2^53 a number is no longer the integer that was meant: 64-bit values go as strings.
    if (!Number.isSafeInteger(value)) throw invalidAt(path, `${path} must be a safe integer (or, for 64 bits, a decimal string), got ${shown(value)}`);
    whole = BigInt(value);
  } else if (wide && typeof value === 'string' && /^-?\d+$/.test(value)) {
    whole = BigInt(value);
  } else {
    throw wrongType(path, wide ? 'an integer (a number or a decimal string)' : 'an integer', value);
  }
  if (whole < low || whole > high) throw invalidAt(path, `${path} must be in [${low}, ${high}] (${type}), got ${shown(value)}`);
}

type Names = Record<string, string>;

function checkScalar(field: protobuf.Field, value: unknown, path: string, names: Names): void {
  const type = field.type;
  if (type in INT_RANGES) return checkInteger(type, value, path);
  switch (type) {
    case 'double':
    case 'float':
      if (typeof value !== 'number') throw wrongType(path, 'a number', value);
      if (type === 'float' && Number.isFinite(value) && Math.abs(value) > FLOAT32_MAX) {
        throw invalidAt(path, `${path} is beyond float32's range, got ${shown(value)}`);
      }
      return;
    case 'bool':
      if (typeof value !== 'boolean') throw wrongType(path, 'a boolean', value);
      return;
    case 'string':
      if (typeof value !== 'string') throw wrongType(path, 'a string', value);
      if (LONE_SURROGATE.test(value)) throw invalidAt(path, `${path} is not well-formed text (a lone surrogate), got ${shown(value)}`);
      return;
    case 'bytes':
      if (!(value instanceof Uint8Array)) throw wrongType(path, 'a Uint8Array or Buffer', value);
      return;
  }
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) {
    if (typeof value === 'string') {
      if (!Object.hasOwn(resolved.values, value)) {
        throw invalidAt(path, `${path} must be one of ${Object.keys(resolved.values).join(', ')}, got ${shown(value)}`);
      }
      return;
    }
    return checkInteger('int32', value, path); // proto3 enums are open: any int32 travels
  }
  if (resolved instanceof protobuf.Type) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
      throw wrongType(path, `a ${resolved.name} object`, value);
    }
    return checkFields(resolved, value as Record<string, unknown>, path, names);
  }
  throw new Error(`unresolved type ${type} of ${field.fullName}`); // a broken .proto: a bug, not bad input
}

function checkFields(type: protobuf.Type, object: Record<string, unknown>, prefix: string, names: Names): void {
  for (const field of type.fieldsArray) {
    const value = object[field.name];
    if (value === undefined || value === null) continue; // unset, as protobufjs reads it
    const wire = prefix ? `${prefix}.${field.name}` : field.name;
    const path = names[wire] ?? wire;
    if (field instanceof protobuf.MapField) {
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) throw wrongType(path, 'an object', value);
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        checkScalar(field, item, `${path}[${JSON.stringify(key)}]`, names);
      }
    } else if (field.repeated) {
      if (!Array.isArray(value)) throw wrongType(path, 'an array', value);
      value.forEach((item: unknown, i) => checkScalar(field, item, `${path}[${i}]`, names));
    } else {
      checkScalar(field, value, path, names);
    }
  }
}

/**
 * Check `request` (a plain object as grpc-js takes it, camelCase field names) against message
 * `type` and return it; the first value its field cannot carry is thrown as INVALID_ARGUMENT.
 * `names` renames a field's path in the request to the caller's argument where the two differ
 * ({ 'start.seed': 'seedA' }): the error's field is the argument, its message names the exact
 * part (labels[2], latents.values[7]).
 */
export function checkRequest<T extends object>(type: protobuf.Type, request: T, names: Names = {}): T {
  checkFields(type, request as Record<string, unknown>, '', names);
  return request;
}
