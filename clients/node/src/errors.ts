// Errors of the latentgan client: every failed call rejects with a LatentGanError.
//
// The server sends rich error details in the `grpc-status-details-bin` trailer: a serialized
// google.rpc.Status whose `details` may hold a google.rpc.BadRequest naming each offending field.
// We decode it with protobufjs from a tiny inline definition (no googleapis protos needed).
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';

const rpcRoot = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: {
              fields: {
                type_url: { type: 'string', id: 1 },
                value: { type: 'bytes', id: 2 },
              },
            },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
              },
            },
            BadRequest: {
              fields: {
                field_violations: { rule: 'repeated', type: 'FieldViolation', id: 1 },
              },
              nested: {
                FieldViolation: {
                  fields: {
                    field: { type: 'string', id: 1 },
                    description: { type: 'string', id: 2 },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
});

const StatusType = rpcRoot.lookupType('google.rpc.Status');
const BadRequestType = rpcRoot.lookupType('google.rpc.BadRequest');
const BAD_REQUEST_URL_SUFFIX = '/google.rpc.BadRequest';
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

/** One offending field of an INVALID_ARGUMENT error. */
export interface FieldViolation {
  /** The field's path in the request, e.g. "n" or "start.latent.values". */
  field: string;
  /** Why it was rejected. */
  description: string;
}

/** What a google.rpc.Status trailer says, as far as this client understands it. */
export interface DecodedStatus {
  code: number;
  message: string;
  /** Type URLs of every detail, understood or not. */
  detailTypes: string[];
  fieldViolations: FieldViolation[];
}

/** Decode a serialized google.rpc.Status (the `grpc-status-details-bin` trailer). */
export function decodeStatusDetails(bytes: Uint8Array): DecodedStatus {
  const status = StatusType.toObject(StatusType.decode(bytes), { defaults: true, bytes: Buffer }) as {
    code: number;
    message: string;
    details: { type_url: string; value: Uint8Array }[];
  };
  const fieldViolations: FieldViolation[] = [];
  for (const any of status.details) {
    if (any.type_url.endsWith(BAD_REQUEST_URL_SUFFIX)) {
      const br = BadRequestType.toObject(BadRequestType.decode(any.value), { defaults: true }) as {
        field_violations: FieldViolation[];
      };
      for (const v of br.field_violations) fieldViolations.push({ field: v.field, description: v.description });
    }
  }
  return {
    code: status.code,
    message: status.message,
    detailTypes: status.details.map((d) => d.type_url),
    fieldViolations,
  };
}

/** Encode a google.rpc.Status with a BadRequest detail (used by tests and fake servers). */
export function encodeBadRequestStatus(code: number, message: string, violations: FieldViolation[]): Buffer {
  const badRequest = BadRequestType.encode(
    BadRequestType.fromObject({ field_violations: violations }),
  ).finish();
  const status = StatusType.fromObject({
    code,
    message,
    details: [{ type_url: 'type.googleapis.com/google.rpc.BadRequest', value: badRequest }],
  });
  return Buffer.from(StatusType.encode(status).finish());
}

/** The name of a gRPC status code, e.g. 3 -> "INVALID_ARGUMENT". */
export function statusName(code: number): string {
  return (grpc.status as unknown as Record<number, string>)[code] ?? `CODE_${code}`;
}

/** A failed latentgan call. */
export class LatentGanError extends Error {
  /** The gRPC status code (a number, compare with `grpc.status.*` or use `codeName`). */
  readonly code: number;
  /** The status code's name, e.g. "INVALID_ARGUMENT", "NOT_FOUND". */
  readonly codeName: string;
  /** The server's error message (the gRPC status details string). */
  readonly details: string;
  /** The first offending field named by a google.rpc.BadRequest detail, if any. */
  readonly field: string | undefined;
  /** Every offending field named by a google.rpc.BadRequest detail. */
  readonly fieldViolations: FieldViolation[];
  /** The response trailers, when the error came from the server. */
  readonly metadata: grpc.Metadata | undefined;

  constructor(
    code: number,
    details: string,
    opts: { fieldViolations?: FieldViolation[]; metadata?: grpc.Metadata; cause?: unknown } = {},
  ) {
    const violations = opts.fieldViolations ?? [];
    const fieldText = violations.length ? ` [${violations.map((v) => v.field).join(', ')}]` : '';
    super(`${statusName(code)}: ${details}${fieldText}`, { cause: opts.cause });
    this.name = 'LatentGanError';
    this.code = code;
    this.codeName = statusName(code);
    this.details = details;
    this.fieldViolations = violations;
    this.field = violations[0]?.field;
    this.metadata = opts.metadata;
  }

  /** Wrap a grpc-js ServiceError (or anything thrown by a call) as a LatentGanError. */
  static from(err: unknown): LatentGanError {
    if (err instanceof LatentGanError) return err;
    const se = err as Partial<grpc.ServiceError> | undefined;
    if (se && typeof se.code === 'number') {
      let violations: FieldViolation[] = [];
      const md = se.metadata instanceof grpc.Metadata ? se.metadata : undefined;
      const raw = md?.get(STATUS_DETAILS_KEY)[0];
      if (raw !== undefined && typeof raw !== 'string') {
        try {
          violations = decodeStatusDetails(raw).fieldViolations;
        } catch {
          // A malformed trailer must not hide the real error.
        }
      }
      return new LatentGanError(se.code, se.details ?? se.message ?? '', {
        fieldViolations: violations,
        metadata: md,
        cause: err,
      });
    }
    const message = err instanceof Error ? err.message : String(err);
    return new LatentGanError(grpc.status.UNKNOWN, message, { cause: err });
  }
}
