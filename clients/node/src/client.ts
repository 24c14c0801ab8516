// The latentgan TypeScript client: promise methods over @grpc/grpc-js for latentgan.v1.LatentGan.
//
// The .proto is loaded at run time from the repository's `protos/` folder (never copied); the
// TypeScript types under src/generated/ are generated from the same file by
// `npm run generate` (and verified by `npm run check-generated`). The gRPC service config beside
// it (latentgan/v1/service_config.json: retry policy and deadlines) is read from there too and
// given to the channel, so this client retries and times out as the Python SDK does.
//
// 64-bit integers: the loader decodes uint64 as decimal strings (`longs: String`). Seeds are
// accepted as number (a safe integer), bigint or decimal string; step counts are returned as
// numbers (they are far below 2^53).
//
// Every request is checked against its message type before it is sent (src/checks.ts): a value
// the proto cannot carry (a negative or fractional uint32, NaN for an integer, a number for a
// string, an unknown choice), and every other argument refused here, rejects with the same
// LatentGanError INVALID_ARGUMENT the server would send, its `field` naming the argument.
import { existsSync, readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';

import { checkRequest, invalidAt, shown } from './checks.js';
import { LatentGanError } from './errors.js';
import type { ProtoGrpcType } from './generated/latentgan.js';
import type { LatentGanClient as RawClient } from './generated/latentgan/v1/LatentGan.js';
import type { ImageBatch__Output } from './generated/latentgan/v1/ImageBatch.js';
import type { ModelVersion__Output } from './generated/latentgan/v1/ModelVersion.js';
import type { TrainJob__Output } from './generated/latentgan/v1/TrainJob.js';
import type { LatentBatch } from './generated/latentgan/v1/LatentBatch.js';
import type { Timestamp__Output } from './generated/google/protobuf/Timestamp.js';
import type { SampleResponse__Output } from './generated/latentgan/v1/SampleResponse.js';
import type { InterpolateResponse__Output } from './generated/latentgan/v1/InterpolateResponse.js';
import type { ListModelsResponse__Output } from './generated/latentgan/v1/ListModelsResponse.js';
import type { GetModelResponse__Output } from './generated/latentgan/v1/GetModelResponse.js';
import type { TrainResponse__Output } from './generated/latentgan/v1/TrainResponse.js';
import type { GetTrainJobResponse__Output } from './generated/latentgan/v1/GetTrainJobResponse.js';
import type { CancelTrainJobResponse__Output } from './generated/latentgan/v1/CancelTrainJobResponse.js';
import type { ListTrainJobsResponse__Output } from './generated/latentgan/v1/ListTrainJobsResponse.js';
import type { WatchTrainJobResponse__Output } from './generated/latentgan/v1/WatchTrainJobResponse.js';
import type { Direction__Output } from './generated/latentgan/v1/Direction.js';
import type { DirectionSet__Output } from './generated/latentgan/v1/DirectionSet.js';
import type { DirectionMethod } from './generated/latentgan/v1/DirectionMethod.js';
import type { EditRequest as EditRequestWire } from './generated/latentgan/v1/EditRequest.js';
import type { InterpolateRequest as InterpolateRequestWire } from './generated/latentgan/v1/InterpolateRequest.js';
import type { TrainRequest as TrainRequestWire } from './generated/latentgan/v1/TrainRequest.js';
import type { ListDirectionsResponse__Output } from './generated/latentgan/v1/ListDirectionsResponse.js';
import type { ComputeDirectionsResponse__Output } from './generated/latentgan/v1/ComputeDirectionsResponse.js';
import type { EditResponse__Output } from './generated/latentgan/v1/EditResponse.js';
import type { ImageBatch } from './generated/latentgan/v1/ImageBatch.js';
import type { LatentBatch__Output } from './generated/latentgan/v1/LatentBatch.js';
import type { ProjectionMethod } from './generated/latentgan/v1/ProjectionMethod.js';
import type { ProjectResponse__Output } from './generated/latentgan/v1/ProjectResponse.js';
import type { CompleteRequest as CompleteRequestWire } from './generated/latentgan/v1/CompleteRequest.js';
import type { CompleteResponse__Output } from './generated/latentgan/v1/CompleteResponse.js';

/** proto-loader options; the generated types in src/generated/ are made with the same ones. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** The folder holding `latentgan/v1/latentgan.proto`: $LATENTGAN_PROTO_DIR, else the repo's protos/. */
export function defaultProtoDir(): string {
  const env = process.env['LATENTGAN_PROTO_DIR'];
  if (env) return env;
  // src/client.ts (or dist/client.js) -> clients/node -> repository root -> protos
  return fileURLToPath(new URL('../../../protos/', import.meta.url));
}

const packageCache = new Map<string, ProtoGrpcType>();

/** The path of `file` under protoDir; an Error saying how to point the client elsewhere if absent. */
function requireProtoFile(protoDir: string, file: string): string {
  const path = `${protoDir}/${file}`;
  if (!existsSync(path)) {
    throw new Error(`cannot find ${file} under ${protoDir} (set LATENTGAN_PROTO_DIR or the protoDir option)`);
  }
  return path;
}

const typesCache = new Map<string, Map<string, protobuf.Type>>();

/** The request types of latentgan.v1 by name, as protobufjs reflects them (camelCase fields), to check requests against. */
function loadRequestTypes(protoDir: string): Map<string, protobuf.Type> {
  let types = typesCache.get(protoDir);
  if (!types) {
    const file = 'latentgan/v1/latentgan.proto';
    requireProtoFile(protoDir, file);
    const root = new protobuf.Root();
    // google/protobuf/*.proto come bundled with protobufjs; everything else is under protoDir.
    root.resolvePath = (_origin: string, target: string) => (target.startsWith('/') ? target : `${protoDir}/${target}`);
    root.loadSync(file, { keepCase: false });
    root.resolveAll();
    const service = root.lookupService('latentgan.v1.LatentGan');
    types = new Map(service.methodsArray.map((m) => [m.requestType, root.lookupType(`latentgan.v1.${m.requestType}`)]));
    typesCache.set(protoDir, types);
  }
  return types;
}

function loadPackage(protoDir: string): ProtoGrpcType {
  let pkg = packageCache.get(protoDir);
  if (!pkg) {
    const file = 'latentgan/v1/latentgan.proto';
    requireProtoFile(protoDir, file);
    const def = protoLoader.loadSync(file, { ...LOADER_OPTIONS, includeDirs: [protoDir] });
    pkg = grpc.loadPackageDefinition(def) as unknown as ProtoGrpcType;
    packageCache.set(protoDir, pkg);
  }
  return pkg;
}

/** project's and complete's deadline unless a call gives its own: fitting latents takes an optimiser run (the service config allows them 120 s too). */
export const PROJECTION_TIMEOUT_MS = 120_000;

/** The most `retries` a client takes: gRPC caps a retry policy's maxAttempts at 5. */
export const MAX_RETRIES = 4;

/** A gRPC service config (the parts this client rewrites; the rest passes through as read). */
export interface ServiceConfig {
  methodConfig: Array<{
    name: Array<{ service: string; method?: string }>;
    /** The longest deadline of these methods, e.g. "60s". */
    timeout?: string;
    retryPolicy?: { maxAttempts: number; [key: string]: unknown };
  }>;
  [key: string]: unknown;
}

/**
 * The service config of latentgan.v1.LatentGan, read from `latentgan/v1/service_config.json`
 * under protoDir (the file the Python SDK ships a copy of), with `retries` applied as in Python:
 * undefined keeps the file's retry policies, 0 removes them, N sets every maxAttempts to N + 1.
 */
export function loadServiceConfig(protoDir: string = defaultProtoDir(), retries?: number): ServiceConfig {
  if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0 && retries <= MAX_RETRIES)) {
    throw new RangeError(`retries must be an integer in [0, ${MAX_RETRIES}], got ${retries}`);
  }
  const config = JSON.parse(readFileSync(requireProtoFile(protoDir, 'latentgan/v1/service_config.json'), 'utf8')) as ServiceConfig;
  for (const method of config.methodConfig) {
    if (retries === 0) delete method.retryPolicy;
    else if (retries !== undefined && method.retryPolicy) method.retryPolicy.maxAttempts = retries + 1;
  }
  return config;
}

// grpc.health.v1, inline: enough for Health/Check.
const healthRoot = protobuf.Root.fromJSON({
  nested: {
    HealthCheckRequest: { fields: { service: { type: 'string', id: 1 } } },
    HealthCheckResponse: {
      fields: { status: { type: 'ServingStatus', id: 1 } },
      nested: { ServingStatus: { values: { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } } },
    },
  },
});
const HealthCheckRequest = healthRoot.lookupType('HealthCheckRequest');
const HealthCheckResponse = healthRoot.lookupType('HealthCheckResponse');

// ---------------------------------------------------------------------------------------------
// Public types

export interface ClientOptions {
  /** Bearer token, sent as `authorization: Bearer <token>` on every call. */
  token?: string;
  /** TLS: false/unset for plaintext, true for the system roots, or a custom root certificate. */
  tls?: boolean | { rootCert: Buffer };
  /** Deadline of each unary call in milliseconds (default 30000; the service config may give quick calls a shorter one). Streams have none by default. */
  timeoutMs?: number;
  /**
   * How many times (0 to 4) a call that failed UNAVAILABLE is tried again: unset follows the
   * service config (latentgan/v1/service_config.json under protoDir), 0 never retries. As the
   * Python SDK's `retries`.
   */
  retries?: number;
  /** Folder holding latentgan/v1/latentgan.proto and service_config.json (default: $LATENTGAN_PROTO_DIR or ../../protos). */
  protoDir?: string;
  /** Extra grpc-js channel options, applied last (the default raises the receive limit to 64 MiB and sets the service config). */
  channelOptions?: grpc.ChannelOptions;
}

/** Per-call options. */
export interface CallOptions {
  /** Deadline of this call in milliseconds (overrides the client's timeoutMs; 0: none). */
  timeoutMs?: number;
  /** Cancels the call when aborted. */
  signal?: AbortSignal;
}

/** A seed: a non-negative integer (uint64), as number, bigint or decimal string. */
export type Seed = number | bigint | string;

/** Explicit latent vectors: `rows x dim` float32 values, row-major. */
export interface Latents {
  dim: number;
  values: ArrayLike<number>;
}

export type Encoding = 'raw' | 'png';

/** A batch of uint8 images, N x H x W x C. */
export interface Images {
  /** [N, H, W, C]. */
  shape: [number, number, number, number];
  /** Raw pixels, N*H*W*C bytes, row-major (image, row, column, channel); empty with encoding 'png'. */
  data: Uint8Array;
  /** One PNG file per image with encoding 'png'; empty otherwise. */
  png: Uint8Array[];
}

export interface SampleRequest {
  /** Model name, or NAME@VERSION. */
  model: string;
  /** Number of images (1 .. the server's limit) when sampling by seed; with `latents`, 0 or the row count. Sent as given (unset: 0, which the server rejects when sampling by seed). */
  n?: number;
  /** Image i is made from latent vector (seed, i). Unset (and no latents): seed 0. */
  seed?: Seed;
  /** Image i is made from row i of these vectors (instead of a seed). */
  latents?: Latents;
  /** Class labels for a conditional model: none, one for all, or one per image. */
  labels?: number[];
  /** Truncation psi in [0, 1]; unset: no truncation. */
  truncation?: number;
  /** Model version; 0/unset: the latest. */
  version?: number;
  /** How the images travel (default 'raw'). */
  encoding?: Encoding;
}

export interface SampleResult {
  images: Images;
  /** The model version that made them, NAME@VERSION. */
  model: string;
  /** Class label of each image (empty for an unconditional model). */
  labels: number[];
}

export interface InterpolateRequest {
  model: string;
  version?: number;
  /** Start point: seed (default 0) or an explicit latent vector (one row). */
  seedA?: Seed;
  latentA?: Latents;
  /** End point: seed (default 0) or an explicit latent vector. */
  seedB?: Seed;
  latentB?: Latents;
  /** Number of frames, both ends included (2 .. the server's limit). Sent as given. */
  steps?: number;
  /** Path through latent space (default 'slerp'). */
  method?: 'lerp' | 'slerp';
  /** Classes at the two ends, for a conditional model. */
  labelA?: number;
  labelB?: number;
  truncation?: number;
  encoding?: Encoding;
}

export interface InterpolateResult {
  /** steps x H x W x C, from start to end. */
  frames: Images;
  model: string;
}

export interface ModelVersion {
  name: string;
  version: number;
  createTime: Date | undefined;
  dataset: string;
  /** [H, W, C]. */
  imageShape: number[];
  latentDim: number;
  /** Class names of a conditional model; empty for an unconditional one. */
  classNames: string[];
  /** ns, hinge or wgan-gp. */
  loss: string;
  metrics: Record<string, number>;
  /** manifest.json of the version, as sent. */
  manifestJson: string;
  /** Set when the version cannot be served (a corrupt manifest, say): what is wrong with it.
   * Only name and version are set beside it. */
  problem?: string;
}

export interface GetModelResult {
  model: ModelVersion;
  /** Every version registered under its name, ascending. */
  versions: number[];
}

export type LossName = 'ns' | 'hinge' | 'wgan-gp';

export interface TrainRequest {
  /** mnist5k, digits, mnist, fashion-mnist, or a path the training workers can read. */
  dataset: string;
  /** Name to register the model under. */
  name?: string;
  /** Makes the call idempotent: a repeated Train with the same id returns the first job. */
  requestId?: string;
  conditional?: boolean;
  epochs?: number;
  /** Generator steps; takes precedence over epochs. */
  steps?: number;
  latentDim?: number;
  loss?: LossName;
  /** Further settings by name, as `latentgan train` flags without dashes (e.g. batch_size). */
  options?: Record<string, string | number | boolean>;
}

export type JobState = 'unspecified' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface TrainJob {
  id: string;
  requestId: string;
  state: JobState;
  name: string;
  dataset: string;
  createTime: Date | undefined;
  startTime: Date | undefined;
  endTime: Date | undefined;
  step: number;
  totalSteps: number;
  /** Why it failed (state 'failed' only). */
  error: string;
  /** The registered version, NAME@VERSION (state 'succeeded' only). */
  model: string;
  metrics: Record<string, number>;
}

/** Which jobs listJobs returns. */
export interface ListJobsRequest {
  /** Only jobs that register under this model name; unset: every job. */
  name?: string;
  /** The most jobs to return, newest first (default 20; the server returns at most 200). */
  limit?: number;
}

/** One event of watch. */
export interface TrainEvent {
  job: TrainJob;
  step: number;
  losses: Record<string, number>;
  imagesPerSecond: number;
  metrics: Record<string, number>;
  /** The latest sample grid, when the event carries one. */
  sampleGrid: Images | undefined;
}

export type HealthStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/** How a set of directions is found: SeFa, GANSpace's PCA, an InterFaceGAN attribute boundary, or random (the baseline). */
export type DirectionMethodName = 'sefa' | 'pca' | 'attribute' | 'random';

/** How one measured attribute of the images changes along a direction. */
export interface AttributeChange {
  /** thickness, slant, width, height, area, or class:K (the evaluator's logit). */
  attribute: string;
  /** Least-squares change of the attribute per prior standard deviation along the direction (px, degrees, px², logits). */
  slope: number;
  /** R² of that straight-line fit. */
  r2: number;
  /** The slope in standard deviations of the attribute over unedited samples. */
  standardized: number;
}

/** A direction's quality, measured on fixed seeded latents when its set was computed. */
export interface DirectionScore {
  changes: AttributeChange[];
  /** The attribute whose standardized change is largest. */
  topAttribute: string;
  /** RMS standardized change of the other morphology attributes: how much else moves. */
  entanglement: number;
  /** Share of samples keeping their class from -2 to +2 sigma; undefined when the data set has no evaluator. */
  classKept: number | undefined;
  /** Latents the scores were measured on. */
  samples: number;
}

/** One stored unit direction in a model version's latent space. */
export interface DirectionInfo {
  /** Stable id, as `edit` takes it: KEY:INDEX for sefa, pca and random sets (sefa:0), the set's key for an attribute (attribute:thickness). */
  id: string;
  /** The key of the set it belongs to. */
  setKey: string;
  /** The set's method: sefa, pca, attribute or random. */
  method: string;
  /** The unit vector, latent_dim values. */
  vector: Float32Array;
  /** What the method says of it (see DirectionSetInfo.valueName); NaN for random directions. */
  value: number;
  score: DirectionScore;
}

/** The directions one method with one set of parameters found for a model version. */
export interface DirectionSetInfo {
  /** The set's key: the method (or attribute:NAME), with non-default parameters in brackets. */
  key: string;
  /** sefa, pca, attribute or random. */
  method: string;
  /** The parameters that made the set (k, samples, seed, attribute, orthogonal_to), parsed from their JSON. */
  parameters: Record<string, unknown>;
  /** The directions, the most important first. */
  directions: DirectionInfo[];
  /** What DirectionInfo.value means for this method. */
  valueName: string;
  /** When the set was computed (undefined only from a broken server). */
  created: Date | undefined;
  /** Seconds spent finding the directions. */
  computeSeconds: number;
  /** Seconds spent scoring them. */
  scoreSeconds: number;
  /** True if this call computed the set; false if it was stored already (and as listed). */
  createdNow: boolean;
  /** The model version, NAME@VERSION. */
  model: string;
}

/** Which version `directions` lists. */
export interface DirectionsOptions {
  /** Model version; 0/unset: the latest (or the one named in `model`). */
  version?: number;
}

/** What `computeDirections` computes (every field optional; the server's defaults as the Python SDK's). */
export interface ComputeDirectionsOptions {
  /** Default 'sefa'. */
  method?: DirectionMethodName;
  /** How many directions (sefa, pca, random), 1 .. the latent size; unset/0: 10. */
  k?: number;
  /** The attribute of method 'attribute' (required there, refused elsewhere): thickness, slant, width, height, area or class:K. */
  attribute?: string;
  /** Direction ids the result is made orthogonal to, e.g. ['attribute:class:3']. */
  orthogonalTo?: string[];
  /** Latents to sample (pca, attribute); unset/0: the method's default (5000 for pca, 3000 for attribute). */
  samples?: number;
  /** Seed of the sampled latents and of random directions (default 0). */
  seed?: Seed;
  /** Model version; 0/unset: the latest. */
  version?: number;
}

/**
 * What `edit` moves along: a stored direction's id (e.g. 'sefa:0'), a weighted mix of stored
 * directions ({ 'sefa:0': 1, 'attribute:thickness': -0.5 }), or an explicit offset in z
 * (latent_dim numbers, used as given: strength 1 adds it once).
 */
export type EditDirection = string | Record<string, number> | ArrayLike<number>;

/** The latents `edit` moves, and how it returns them. Give at most one of seed, latents, arithmetic. */
export interface EditOptions {
  /** Row i is latent vector (seed, i), the image sample({ seed }) makes at index i. Unset (and no latents or arithmetic): seed 0. */
  seed?: Seed;
  /** Rows when editing by seed (default 1, as the Python SDK); with latents, 0 (default) or the row count; with arithmetic, 0 (default) or 1. Sent as given. */
  n?: number;
  /** Row i is row i of these vectors. */
  latents?: Latents;
  /** One row: latent arithmetic z(a, 0) - z(b, 0) + z(c, 0) of seeds [a, b, c]. */
  arithmetic?: [Seed, Seed, Seed];
  /** Class labels for a conditional model, per row: none (classes cycle), one, or one per row. */
  labels?: number[];
  /** Truncation psi in [0, 1], applied to the rows before the edit; unset: 1. */
  truncation?: number;
  /** Model version; 0/unset: the latest. */
  version?: number;
  /** How the images travel (default 'raw'). */
  encoding?: Encoding;
}

export interface EditResult {
  /**
   * The grid, rows*columns x H x W x C, row-major: image (r, j), latent r moved by
   * strengths[j], is image r * columns + j. See image(r, j).
   */
  images: Images;
  /** The model version that made them, NAME@VERSION. */
  model: string;
  /** Class label of each row (empty for an unconditional model). */
  labels: number[];
  /** The number of rows (latents). */
  rows: number;
  /** The number of columns: strengths.length. */
  columns: number;
  /** The strengths of the columns, in order. */
  strengths: number[];
  /** Image (row r, column j): its H*W*C raw pixels (a view into images.data), or its PNG file with encoding 'png'. */
  image(r: number, j: number): Uint8Array;
}

/** How `project` finds the latents of an image: the version's encoder refined by a few optimiser steps (the optimiser alone if it has no encoder), the optimiser alone, or the encoder alone. */
export type ProjectionMethodName = 'auto' | 'optimize' | 'encoder';

/**
 * Images to send to `project` (and, one of them, to `complete`):
 * - a raw batch `{ shape: [N, H, W, C], data }` of uint8 pixels (C in 1, 3, 4; an `Images` result
 *   of sample() or edit() goes as it is, PNG files included);
 * - PNG files (`Uint8Array[]` or `Buffer[]`), one per image, each of its own size and channels;
 * - one PNG file (a `Uint8Array` or `Buffer`).
 * The server fits each image to the model: its channels, padded to a square with black, resized.
 */
export type ImagesInput = RawImages | Uint8Array[] | Uint8Array;

/** A raw batch of uint8 images; `png`, when it holds N files, sends those instead of `data`. */
export interface RawImages {
  /** [N, H, W, C]. */
  shape: [number, number, number, number];
  /** N*H*W*C bytes, row-major (image, row, column, channel). */
  data: Uint8Array;
  /** One PNG file per image (as `Images` from encoding 'png'); empty or unset: raw `data`. */
  png?: Uint8Array[];
}

/** complete()'s mask presets besides random:P: the part of the image that is unknown. */
export const MASK_PRESETS = ['center', 'left', 'right', 'top', 'bottom'] as const;

/**
 * Which pixels of complete()'s image are known: a preset naming the unknown part ('center',
 * 'left', 'right', 'top', 'bottom', or 'random:P' for a share P in (0, 1) of the pixels, chosen
 * by the seed), or a one-image mask, raw (uint8, known where at least 128: 255 / 0) or a PNG file,
 * grey or colour at any size, fitted like the image.
 */
export type MaskInput = string | RawImages | Uint8Array | Uint8Array[];

/** How `project` runs (every field optional). As the Python SDK's `project` arguments. */
export interface ProjectOptions {
  /** Class labels for a conditional model: none (the evaluator predicts each image's class), one for all, or one per image. */
  labels?: number[];
  /** Default 'auto'. */
  method?: ProjectionMethodName;
  /** Optimiser steps, 0 .. the server's limit; unset: the method's default (auto 100, optimize 200, encoder 0). */
  steps?: number;
  /** Seed of the optimiser's starts (default 0): the same request gives the same latents. */
  seed?: Seed;
  /** Model version; 0/unset: the latest. */
  version?: number;
  /** How the reconstructions travel (default 'raw'). */
  encoding?: Encoding;
}

/** How `complete` runs (every field optional). As the Python SDK's `complete` arguments. */
export interface CompleteOptions {
  /** Completions to return (default 4). */
  k?: number;
  /** Optimiser steps, 1 .. the server's limit; unset: 200. */
  steps?: number;
  /** The image's class for a conditional model; unset: the evaluator's prediction. */
  label?: number;
  /** Seed of the optimiser's starts, and of a random:P mask (default 0). */
  seed?: Seed;
  /** Model version; 0/unset: the latest. */
  version?: number;
  /** How the completions travel (default 'raw'). */
  encoding?: Encoding;
}

/** Latent vectors returned by project and complete: `rows x dim` float32, row-major; as `Latents`, so they go straight to sample, interpolate or edit. */
export interface LatentRows {
  dim: number;
  values: Float32Array;
  /** The number of vectors. */
  rows: number;
  /** Vector i (a view into values). */
  row(i: number): Float32Array;
}

/** Real images in a model version's latent space, from `project`. */
export interface ProjectResult {
  /** The version projected into, NAME@VERSION. */
  model: string;
  /** The method that ran ('optimize' when 'auto' found no encoder). */
  method: ProjectionMethodName | 'unspecified';
  /** One latent per image: pass them (with labels) as `latents` to sample, interpolate or edit. */
  latents: LatentRows;
  /** The class of each image, given or predicted; empty for an unconditional model. */
  labels: number[];
  /** The reconstructions G(latent), N x H x W x C at the model's shape. */
  images: Images;
  /** Per image: mean squared difference of reconstruction and fitted input, in [-1, 1] units. */
  pixelDistances: number[];
  /** Per image: the distance on the evaluator's feature maps (the offline LPIPS). */
  featureDistances: number[];
  /** Per image: the optimiser steps its latent took (0: the encoder's guess as it was). */
  steps: number[];
}

/** Which pixels a completion kept: H x W, row-major. */
export interface KnownMask {
  /** [H, W], the model's size. */
  shape: [number, number];
  /** H*W bytes: 1 where the pixel was known (kept exactly), 0 where it was filled in. */
  known: Uint8Array;
}

/** An image's unknown pixels filled in from the latent space, from `complete`. */
export interface CompleteResult {
  /** The version that completed it, NAME@VERSION. */
  model: string;
  /** The k completions, best first, k x H x W x C at the model's shape. */
  images: Images;
  /** Each completion's loss (context loss plus the discriminator prior), ascending. */
  losses: number[];
  /** Each completion's latent. */
  latents: LatentRows;
  /** The mask used, at the model's size. */
  mask: KnownMask;
  /** The class completed with (conditional models); undefined otherwise. */
  label: number | undefined;
}

// ---------------------------------------------------------------------------------------------
// Conversions

/** A seed as the wire's uint64 (a decimal string); INVALID_ARGUMENT naming `field` if it is not one. */
function seedToWire(seed: Seed, field = 'seed'): string {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0) throw invalidAt(field, `${field} must be a non-negative safe integer, got ${shown(seed)}`);
    return String(seed);
  }
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed >= 1n << 64n) throw invalidAt(field, `${field} out of uint64 range: ${shown(seed)}`);
    return seed.toString();
  }
  if (typeof seed !== 'string' || !/^\d+$/.test(seed)) {
    throw invalidAt(field, `${field} must be a non-negative integer (number, bigint or decimal string), got ${shown(seed)}`);
  }
  return seed;
}

/** Latents as the wire's LatentBatch (its dim and values are checked with the request). */
function latentsToWire(l: Latents, field = 'latents'): LatentBatch {
  if (l === null || typeof l !== 'object' || typeof l.values?.length !== 'number') {
    throw invalidAt(field, `${field} must be { dim, values } with values an array of numbers, got ${shown(l)}`);
  }
  return { dim: l.dim, values: Array.from(l.values) };
}

function encodingToWire(e: Encoding | undefined): 'IMAGE_ENCODING_RAW' | 'IMAGE_ENCODING_PNG' | 'IMAGE_ENCODING_UNSPECIFIED' {
  if (e === undefined) return 'IMAGE_ENCODING_UNSPECIFIED';
  if (e === 'raw') return 'IMAGE_ENCODING_RAW';
  if (e === 'png') return 'IMAGE_ENCODING_PNG';
  throw invalidAt('encoding', `encoding must be 'raw' or 'png', got ${shown(e)}`);
}

/** An optional list argument as the wire's array: undefined is [], an array or typed array is copied, anything else refused. */
function listOf<T>(field: string, v: ArrayLike<T> | undefined): T[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) && !(ArrayBuffer.isView(v) && !(v instanceof DataView))) {
    throw invalidAt(field, `${field} must be an array, got ${shown(v)}`);
  }
  return Array.from(v);
}

function toUint8(b: Buffer | Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Decode an ImageBatch into { shape, data, png }; checks that raw data matches the shape. */
export function decodeImages(batch: ImageBatch__Output | null | undefined): Images {
  if (!batch) throw new LatentGanError(grpc.status.INTERNAL, 'response carries no images');
  const s = batch.shape;
  if (s.length !== 4) throw new LatentGanError(grpc.status.INTERNAL, `image shape must have 4 dims, got [${s.join(', ')}]`);
  const shape: [number, number, number, number] = [s[0]!, s[1]!, s[2]!, s[3]!];
  const png = batch.png.map(toUint8);
  const data = toUint8(batch.data);
  if (batch.encoding === 'IMAGE_ENCODING_PNG') {
    if (png.length !== shape[0]) {
      throw new LatentGanError(grpc.status.INTERNAL, `expected ${shape[0]} PNG files, got ${png.length}`);
    }
  } else {
    const want = shape[0] * shape[1] * shape[2] * shape[3];
    if (data.length !== want) {
      throw new LatentGanError(grpc.status.INTERNAL, `expected ${want} bytes for shape [${shape.join(', ')}], got ${data.length}`);
    }
  }
  return { shape, data, png };
}

function toDate(t: Timestamp__Output | null | undefined): Date | undefined {
  if (!t) return undefined;
  return new Date(Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6));
}

function toModelVersion(m: ModelVersion__Output | null): ModelVersion {
  if (!m) throw new LatentGanError(grpc.status.INTERNAL, 'response carries no model');
  return {
    name: m.name,
    version: m.version,
    createTime: toDate(m.createTime),
    dataset: m.dataset,
    imageShape: [...m.imageShape],
    latentDim: m.latentDim,
    classNames: [...m.classNames],
    loss: m.loss,
    metrics: { ...m.metrics },
    manifestJson: m.manifestJson,
    ...(m.problem ? { problem: m.problem } : {}),
  };
}

const JOB_STATES: Record<string, JobState> = {
  JOB_STATE_UNSPECIFIED: 'unspecified',
  JOB_STATE_QUEUED: 'queued',
  JOB_STATE_RUNNING: 'running',
  JOB_STATE_SUCCEEDED: 'succeeded',
  JOB_STATE_FAILED: 'failed',
  JOB_STATE_CANCELLED: 'cancelled',
};

function toJob(j: TrainJob__Output | null): TrainJob {
  if (!j) throw new LatentGanError(grpc.status.INTERNAL, 'response carries no job');
  return {
    id: j.id,
    requestId: j.requestId,
    state: JOB_STATES[j.state] ?? 'unspecified',
    name: j.name,
    dataset: j.dataset,
    createTime: toDate(j.createTime),
    startTime: toDate(j.startTime),
    endTime: toDate(j.endTime),
    step: Number(j.step),
    totalSteps: Number(j.totalSteps),
    error: j.error,
    model: j.model,
    metrics: { ...j.metrics },
  };
}

function toEvent(e: WatchTrainJobResponse__Output): TrainEvent {
  return {
    job: toJob(e.job),
    step: Number(e.step),
    losses: { ...e.losses },
    imagesPerSecond: e.imagesPerSecond,
    metrics: { ...e.metrics },
    sampleGrid: e.sampleGrid && e.sampleGrid.shape.length ? decodeImages(e.sampleGrid) : undefined,
  };
}

const DIRECTION_METHODS: Record<DirectionMethodName, DirectionMethod> = {
  sefa: 'DIRECTION_METHOD_SEFA',
  pca: 'DIRECTION_METHOD_PCA',
  attribute: 'DIRECTION_METHOD_ATTRIBUTE',
  random: 'DIRECTION_METHOD_RANDOM',
};

function toDirection(d: Direction__Output, set: DirectionSet__Output): DirectionInfo {
  const sc = d.score;
  return {
    id: d.id,
    setKey: set.key,
    method: set.method,
    vector: Float32Array.from(d.vector),
    value: d.value,
    score: {
      changes: (sc?.changes ?? []).map((c) => ({ attribute: c.attribute, slope: c.slope, r2: c.r2, standardized: c.standardized })),
      topAttribute: sc?.topAttribute ?? '',
      entanglement: sc?.entanglement ?? 0,
      classKept: sc?.classKept,
      samples: sc?.samples ?? 0,
    },
  };
}

function toDirectionSet(set: DirectionSet__Output | null, model: string, createdNow: boolean): DirectionSetInfo {
  if (!set) throw new LatentGanError(grpc.status.INTERNAL, 'response carries no direction set');
  const parameters: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(set.parameters)) {
    try {
      parameters[k] = JSON.parse(v);
    } catch {
      throw new LatentGanError(grpc.status.INTERNAL, `parameter ${k} of direction set ${set.key} is not JSON: ${JSON.stringify(v)}`);
    }
  }
  return {
    key: set.key,
    method: set.method,
    parameters,
    directions: set.directions.map((d) => toDirection(d, set)),
    valueName: set.valueName,
    created: toDate(set.createTime),
    computeSeconds: set.computeSeconds,
    scoreSeconds: set.scoreSeconds,
    createdNow,
    model,
  };
}

function nonNegativeInt(name: string, v: number | undefined): number {
  if (v === undefined) return 0;
  if (!Number.isInteger(v) || v < 0) throw invalidAt(name, `${name} must be a non-negative integer, got ${shown(v)}`);
  return v;
}

/** The `direction` oneof of an EditRequest. */
function editDirectionToWire(d: EditDirection): Pick<EditRequestWire, 'directionId' | 'mix' | 'vector'> {
  if (typeof d === 'string') {
    if (!d) throw invalidAt('direction', 'direction must not be empty: give a direction id, a mix or a vector');
    return { directionId: d };
  }
  if (d === null || typeof d !== 'object') throw invalidAt('direction', `direction must be an id, a mix or a vector, got ${shown(d)}`);
  if (typeof (d as ArrayLike<number>).length === 'number') {
    const values = Array.from(d as ArrayLike<number>);
    if (!values.length) throw invalidAt('direction', 'direction must not be empty: give a direction id, a mix or a vector');
    const bad = values.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad >= 0) throw invalidAt('direction', `direction value ${bad} must be a finite number, got ${shown(values[bad])}`);
    return { vector: { dim: values.length, values } };
  }
  const weights = { ...(d as Record<string, number>) };
  const ids = Object.keys(weights);
  if (!ids.length) throw invalidAt('direction', 'direction must not be empty: give a direction id, a mix or a vector');
  for (const id of ids) {
    if (!id) throw invalidAt('direction', 'a direction id in the mix is empty');
    const w = weights[id];
    if (typeof w !== 'number' || !Number.isFinite(w)) throw invalidAt('direction', `weight of ${id} must be a finite number, got ${shown(w)}`);
  }
  return { mix: { weights } };
}

function toEditResult(res: EditResponse__Output): EditResult {
  const images = decodeImages(res.images);
  const rows = res.rows;
  const strengths = [...res.strengths];
  const columns = strengths.length;
  if (images.shape[0] !== rows * columns) {
    throw new LatentGanError(grpc.status.INTERNAL, `expected ${rows} x ${columns} images, got ${images.shape[0]}`);
  }
  const size = images.shape[1] * images.shape[2] * images.shape[3];
  return {
    images,
    model: res.model,
    labels: [...res.labels],
    rows,
    columns,
    strengths,
    image(r: number, j: number): Uint8Array {
      if (!(Number.isInteger(r) && r >= 0 && r < rows && Number.isInteger(j) && j >= 0 && j < columns)) {
        throw new RangeError(`image (${r}, ${j}) is outside the ${rows} x ${columns} grid`);
      }
      const i = r * columns + j;
      return images.png.length ? images.png[i]! : images.data.subarray(i * size, (i + 1) * size);
    },
  };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function isPng(b: Uint8Array): boolean {
  return b.length > PNG_SIGNATURE.length && PNG_SIGNATURE.every((v, i) => b[i] === v);
}

function pngFiles(files: Uint8Array[], name: string): Uint8Array[] {
  if (!files.length) throw invalidAt(name, `${name} must hold at least one image`);
  files.forEach((f, i) => {
    if (!(f instanceof Uint8Array)) throw invalidAt(name, `${name}[${i}] must be a PNG file (Uint8Array or Buffer)`);
    if (!isPng(f)) throw invalidAt(name, `${name}[${i}] is not a PNG file (decode other formats to raw pixels first)`);
  });
  return files;
}

/**
 * Images to send as an ImageBatch: raw as given, or PNG files. A list of PNG files travels with
 * shape [N, 0, 0, 0] (each file carries its own size); PNG files of an `Images` keep its shape.
 */
export function imagesToWire(images: ImagesInput, name = 'images'): ImageBatch {
  if (images instanceof Uint8Array) images = [images];
  if (Array.isArray(images)) {
    const png = pngFiles(images, name);
    return { shape: [png.length, 0, 0, 0], encoding: 'IMAGE_ENCODING_PNG', png };
  }
  if (images === null || typeof images !== 'object' || !Array.isArray(images.shape)) {
    throw invalidAt(name, `${name} must be a raw batch { shape: [N, H, W, C], data }, or PNG files`);
  }
  const shape = images.shape;
  if (shape.length !== 4 || !shape.every((v) => Number.isInteger(v) && v > 0)) {
    throw invalidAt(name, `${name}.shape must be [N, H, W, C] of positive integers, got [${shape.join(', ')}]`);
  }
  if (![1, 3, 4].includes(shape[3])) throw invalidAt(name, `${name} must have 1, 3 or 4 channels, got ${shape[3]}`);
  if (images.png?.length) {
    if (images.png.length !== shape[0]) throw invalidAt(name, `${name} has ${images.png.length} PNG files for shape [${shape.join(', ')}]`);
    return { shape: [...shape], encoding: 'IMAGE_ENCODING_PNG', png: pngFiles(images.png, `${name}.png`) };
  }
  const want = shape[0] * shape[1] * shape[2] * shape[3];
  if (!(images.data instanceof Uint8Array) || images.data.length !== want) {
    throw invalidAt(name, `${name}.data must be ${want} bytes for shape [${shape.join(', ')}], got ${images.data?.length}`);
  }
  return { shape: [...shape], encoding: 'IMAGE_ENCODING_RAW', data: images.data };
}

/** Exactly one image as an ImageBatch (a raw batch of one, or one PNG file). */
function oneImageToWire(image: ImagesInput, name: string): ImageBatch {
  const batch = imagesToWire(image, name);
  const n = batch.png?.length ?? batch.shape?.[0];
  if (batch.shape?.[0] !== 1 || n !== 1) throw invalidAt(name, `${name} must be exactly one image, got ${n}`);
  return batch;
}

function maskToWire(mask: MaskInput): Pick<CompleteRequestWire, 'maskPreset' | 'maskImage'> {
  if (typeof mask === 'string') {
    if ((MASK_PRESETS as readonly string[]).includes(mask)) return { maskPreset: mask };
    if (mask.startsWith('random:')) {
      const p = Number(mask.slice('random:'.length));
      if (mask.length > 'random:'.length && p > 0 && p < 1) return { maskPreset: mask };
      throw invalidAt('mask', `mask random:P needs a share P in (0, 1), got ${shown(mask)}`);
    }
    throw invalidAt('mask', `mask must be one of ${[...MASK_PRESETS, 'random:P'].join(', ')}, or a mask image; got ${shown(mask)}`);
  }
  return { maskImage: oneImageToWire(mask, 'mask') };
}

const PROJECTION_METHODS: Record<ProjectionMethodName, ProjectionMethod> = {
  auto: 'PROJECTION_METHOD_AUTO',
  optimize: 'PROJECTION_METHOD_OPTIMIZE',
  encoder: 'PROJECTION_METHOD_ENCODER',
};

function projectionMethodName(m: string): ProjectionMethodName | 'unspecified' {
  if (m === 'PROJECTION_METHOD_UNSPECIFIED') return 'auto'; // the proto: unset is auto
  const found = Object.entries(PROJECTION_METHODS).find(([, wire]) => wire === m);
  return found ? (found[0] as ProjectionMethodName) : 'unspecified';
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw invalidAt(name, `${name} must be a positive integer, got ${shown(v)}`);
  return v;
}

function toLatentRows(batch: LatentBatch__Output | null, what: string): LatentRows {
  const values = Float32Array.from(batch?.values ?? []);
  const dim = batch?.dim ?? 0;
  if (!dim || values.length % dim) {
    throw new LatentGanError(grpc.status.INTERNAL, `${what} has ${values.length} latent values for dim ${dim}`);
  }
  const rows = values.length / dim;
  return {
    dim,
    values,
    rows,
    row(i: number): Float32Array {
      if (!(Number.isInteger(i) && i >= 0 && i < rows)) throw new RangeError(`latent ${i} is outside the ${rows} rows`);
      return values.subarray(i * dim, (i + 1) * dim);
    },
  };
}

function checkCounts(what: string, expected: number, counts: Record<string, number>): void {
  const wrong = Object.entries(counts).filter(([, n]) => n !== expected).map(([k, n]) => `${n} ${k}`);
  if (wrong.length) throw new LatentGanError(grpc.status.INTERNAL, `${what} has ${expected} images but ${wrong.join(', ')}`);
}

function toProjectResult(res: ProjectResponse__Output): ProjectResult {
  const images = decodeImages(res.reconstructions);
  const latents = toLatentRows(res.latents, 'project answer');
  const counts: Record<string, number> = {
    latents: latents.rows, pixelDistances: res.pixelDistances.length, featureDistances: res.featureDistances.length, steps: res.steps.length,
  };
  if (res.labels.length) counts['labels'] = res.labels.length;
  checkCounts('project answer', images.shape[0], counts);
  return {
    model: res.model,
    method: projectionMethodName(res.method),
    latents,
    labels: [...res.labels],
    images,
    pixelDistances: [...res.pixelDistances],
    featureDistances: [...res.featureDistances],
    steps: [...res.steps],
  };
}

/** The first channel of an 8-bit, non-interlaced PNG (what a mask needs), row-major. */
function pngFirstChannel(file: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  const fail = (why: string): never => { throw new LatentGanError(grpc.status.INTERNAL, `cannot decode the mask PNG: ${why}`); };
  if (!isPng(file)) fail('not a PNG file');
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let width = 0, height = 0, channels = 0;
  const idat: Uint8Array[] = [];
  for (let at = 8; at + 8 <= file.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...file.subarray(at + 4, at + 8));
    const body = file.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const [depth, colour, , , interlace] = body.subarray(8, 13);
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colour ?? -1] ?? 0;
      if (depth !== 8 || !channels || interlace !== 0) fail(`bit depth ${depth}, colour type ${colour}, interlace ${interlace}`);
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (!width || !height) fail('no IHDR');
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length !== height * (stride + 1)) fail(`${raw.length} bytes of image data for ${width} x ${height} x ${channels}`);
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) fail(`filter ${filter}`);
      out[y * stride + x] = (line[x]! + predictor) & 0xff;
    }
  }
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = out[i * channels]!;
  return { width, height, pixels };
}

function toKnownMask(batch: CompleteResponse__Output['mask'], h: number, w: number): KnownMask {
  const images = decodeImages(batch);
  let first: { width: number; height: number; pixels: Uint8Array };
  if (images.png.length) first = pngFirstChannel(images.png[0]!);
  else {
    const [, height, width, channels] = images.shape;
    const pixels = new Uint8Array(height * width);
    for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i * channels]!;
    first = { width, height, pixels };
  }
  if (images.shape[0] !== 1 || first.height !== h || first.width !== w) {
    throw new LatentGanError(grpc.status.INTERNAL, `complete answer's mask is [${images.shape.join(', ')}], not 1 x ${h} x ${w}`);
  }
  return { shape: [h, w], known: first.pixels.map((v) => (v >= 128 ? 1 : 0)) };
}

function toCompleteResult(res: CompleteResponse__Output): CompleteResult {
  const images = decodeImages(res.completions);
  const latents = toLatentRows(res.latents, 'complete answer');
  checkCounts('complete answer', images.shape[0], { losses: res.losses.length, latents: latents.rows });
  return {
    model: res.model,
    images,
    losses: [...res.losses],
    latents,
    mask: toKnownMask(res.mask, images.shape[1], images.shape[2]),
    label: res.label ?? undefined,
  };
}

const LOSSES: Record<LossName, 'LOSS_NS' | 'LOSS_HINGE' | 'LOSS_WGAN_GP'> = {
  ns: 'LOSS_NS',
  hinge: 'LOSS_HINGE',
  'wgan-gp': 'LOSS_WGAN_GP',
};

// Where a request's wire path is not the caller's argument: what an INVALID_ARGUMENT names instead.
const ENDPOINT_NAMES: Record<string, string> = {
  'start.seed': 'seedA', 'start.latent': 'latentA', 'start.label': 'labelA',
  'end.seed': 'seedB', 'end.latent': 'latentB', 'end.label': 'labelB',
};
const DIRECTION_NAMES: Record<string, string> = { directionId: 'direction', mix: 'direction', vector: 'direction' };
const MASK_NAMES: Record<string, string> = { maskPreset: 'mask', maskImage: 'mask' };
const JOB_NAMES: Record<string, string> = { jobId: 'id' };

// ---------------------------------------------------------------------------------------------
// The client

type UnaryStarter<Res> = (
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: grpc.requestCallback<Res>,
) => grpc.ClientUnaryCall;

/** A typed, promise-based client for latentgan.v1.LatentGan. Call close() when done. */
export class LatentGanClient {
  /** The underlying grpc-js client (generated types), for anything not wrapped here. */
  readonly raw: RawClient;
  readonly address: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly requestTypes: Map<string, protobuf.Type>;

  constructor(address: string, options: ClientOptions = {}) {
    this.address = address;
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const protoDir = options.protoDir ?? defaultProtoDir();
    const pkg = loadPackage(protoDir);
    this.requestTypes = loadRequestTypes(protoDir);
    const serviceConfig = loadServiceConfig(protoDir, options.retries);
    let creds: grpc.ChannelCredentials;
    if (options.tls === true) creds = grpc.credentials.createSsl();
    else if (options.tls) creds = grpc.credentials.createSsl(options.tls.rootCert);
    else creds = grpc.credentials.createInsecure();
    this.raw = new pkg.latentgan.v1.LatentGan(address, creds, {
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
      'grpc.enable_retries': options.retries === 0 ? 0 : 1,
      'grpc.service_config': JSON.stringify(serviceConfig),
      // Its own connection: the server's per-client admission bound counts a connection.
      'grpc.use_local_subchannel_pool': 1,
      ...options.channelOptions,
    });
  }

  /** Close the channel. */
  close(): void {
    this.raw.close();
  }

  /**
   * `request` checked against message `type` of latentgan.v1 (src/checks.ts): what the proto
   * cannot carry throws INVALID_ARGUMENT naming the argument (`names` maps a wire path to it).
   */
  private check<T extends object>(type: string, request: T, names?: Record<string, string>): T {
    const found = this.requestTypes.get(type);
    if (!found) throw new Error(`latentgan.v1.LatentGan takes no ${type}`);
    return checkRequest(found, request, names);
  }

  private metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    // Sent as plain metadata (not call credentials) so it also works on plaintext channels.
    if (this.token) md.set('authorization', `Bearer ${this.token}`);
    return md;
  }

  private callOptions(opts: CallOptions | undefined, defaultTimeoutMs: number): grpc.CallOptions {
    const t = opts?.timeoutMs ?? defaultTimeoutMs;
    return t > 0 ? { deadline: Date.now() + t } : {};
  }

  private unary<Res>(start: UnaryStarter<Res>, opts?: CallOptions, defaultTimeoutMs = this.timeoutMs): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      if (opts?.signal?.aborted) {
        reject(new LatentGanError(grpc.status.CANCELLED, 'aborted before the call started'));
        return;
      }
      const onAbort = () => call.cancel();
      const call = start(this.metadata(), this.callOptions(opts, defaultTimeoutMs), (err, res) => {
        opts?.signal?.removeEventListener('abort', onAbort);
        if (err) reject(LatentGanError.from(err));
        else if (!res) reject(new LatentGanError(grpc.status.INTERNAL, 'empty response'));
        else resolve(res);
      });
      opts?.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Images from a model's latent space, by seed or by explicit latent vectors. */
  async sample(req: SampleRequest, opts?: CallOptions): Promise<SampleResult> {
    if (req === null || typeof req !== 'object') throw invalidAt('req', `sample takes a request object, got ${shown(req)}`);
    if (req.seed !== undefined && req.latents !== undefined) throw invalidAt('latents', 'give seed or latents, not both');
    const request = this.check('SampleRequest', {
      model: req.model,
      version: req.version ?? 0,
      n: req.n ?? 0,
      ...(req.latents !== undefined ? { latents: latentsToWire(req.latents) } : {}),
      ...(req.seed !== undefined ? { seed: seedToWire(req.seed) } : {}),
      labels: listOf('labels', req.labels),
      ...(req.truncation !== undefined ? { truncation: req.truncation } : {}),
      encoding: encodingToWire(req.encoding),
    });
    const res = await this.unary<SampleResponse__Output>((md, o, cb) => this.raw.sample(request, md, o, cb), opts);
    return { images: decodeImages(res.images), model: res.model, labels: [...res.labels] };
  }

  /** Frames walking between two latent points or two classes. */
  async interpolate(req: InterpolateRequest, opts?: CallOptions): Promise<InterpolateResult> {
    if (req === null || typeof req !== 'object') throw invalidAt('req', `interpolate takes a request object, got ${shown(req)}`);
    const endpoint = (end: 'A' | 'B', seed: Seed | undefined, latent: Latents | undefined, label: number | undefined) => {
      if (seed !== undefined && latent !== undefined) throw invalidAt(`latent${end}`, `give seed${end} or latent${end}, not both`);
      return {
        ...(seed !== undefined ? { seed: seedToWire(seed, `seed${end}`) } : {}),
        ...(latent !== undefined ? { latent: latentsToWire(latent, `latent${end}`) } : {}),
        ...(label !== undefined ? { label } : {}),
      };
    };
    const method = req.method === undefined
      ? 'INTERPOLATION_METHOD_UNSPECIFIED'
      : req.method === 'lerp' ? 'INTERPOLATION_METHOD_LERP'
        : req.method === 'slerp' ? 'INTERPOLATION_METHOD_SLERP'
          : (() => { throw invalidAt('method', `method must be 'lerp' or 'slerp', got ${shown(req.method)}`); })();
    const request = this.check<InterpolateRequestWire>('InterpolateRequest', {
      model: req.model,
      version: req.version ?? 0,
      start: endpoint('A', req.seedA, req.latentA, req.labelA),
      end: endpoint('B', req.seedB, req.latentB, req.labelB),
      steps: req.steps ?? 0,
      method,
      ...(req.truncation !== undefined ? { truncation: req.truncation } : {}),
      encoding: encodingToWire(req.encoding),
    }, ENDPOINT_NAMES);
    const res = await this.unary<InterpolateResponse__Output>((md, o, cb) => this.raw.interpolate(request, md, o, cb), opts);
    return { frames: decodeImages(res.frames), model: res.model };
  }

  /**
   * A model version's stored directions: every direction of every set, flat, in the server's
   * order (set by set, the most important direction of each set first). As the Python SDK's `directions(model)`.
   */
  async directions(model: string, options: DirectionsOptions = {}, opts?: CallOptions): Promise<DirectionInfo[]> {
    const request = this.check('ListDirectionsRequest', { model, version: options.version ?? 0 });
    const res = await this.unary<ListDirectionsResponse__Output>((md, o, cb) => this.raw.listDirections(request, md, o, cb), opts);
    return res.sets.flatMap((set) => toDirectionSet(set, res.model, false).directions);
  }

  /**
   * Compute a set of directions for a model version and store it beside the version; a set
   * computed before (same method and parameters) comes back as stored (createdNow false).
   * The first set of a version may take a while (the data set's evaluator is loaded, or trained
   * once): give a timeoutMs that allows for it. As the Python SDK's `compute_directions`.
   */
  async computeDirections(model: string, options: ComputeDirectionsOptions = {}, opts?: CallOptions): Promise<DirectionSetInfo> {
    let method: DirectionMethod = 'DIRECTION_METHOD_UNSPECIFIED';
    if (options.method !== undefined) {
      const m = Object.hasOwn(DIRECTION_METHODS, options.method) ? DIRECTION_METHODS[options.method] : undefined;
      if (!m) throw invalidAt('method', `method must be one of ${Object.keys(DIRECTION_METHODS).join(', ')}, got ${shown(options.method)}`);
      method = m;
    }
    const request = this.check('ComputeDirectionsRequest', {
      model,
      version: options.version ?? 0,
      method,
      k: nonNegativeInt('k', options.k),
      samples: nonNegativeInt('samples', options.samples),
      seed: seedToWire(options.seed ?? 0),
      attribute: options.attribute ?? '',
      orthogonalTo: listOf('orthogonalTo', options.orthogonalTo),
    });
    const res = await this.unary<ComputeDirectionsResponse__Output>((md, o, cb) => this.raw.computeDirections(request, md, o, cb), opts);
    return toDirectionSet(res.set, res.model, res.created);
  }

  /**
   * Latents moved along a direction: a grid with a row per latent and a column per strength
   * (unset or empty strengths: the server's -3, -1.5, 0, 1.5, 3). Strength 0 gives exactly the
   * image sample() gives for the same row. As the Python SDK's `edit`.
   */
  async edit(model: string, direction: EditDirection, strengths?: number[], options: EditOptions = {}, opts?: CallOptions): Promise<EditResult> {
    const sources = [options.seed, options.latents, options.arithmetic].filter((x) => x !== undefined).length;
    if (sources > 1) throw invalidAt(options.arithmetic !== undefined ? 'arithmetic' : 'latents', 'give seed, latents or arithmetic, not more than one');
    const dir = editDirectionToWire(direction);
    const strengthsWire = listOf('strengths', strengths);
    const bad = strengthsWire.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad >= 0) throw invalidAt('strengths', `strengths[${bad}] must be a finite number, got ${shown(strengthsWire[bad])}`);
    let source: Pick<EditRequestWire, 'seed' | 'latents' | 'arithmetic'>;
    if (options.latents !== undefined) source = { latents: latentsToWire(options.latents) };
    else if (options.arithmetic !== undefined) {
      const a = options.arithmetic;
      if (!Array.isArray(a) || a.length !== 3) throw invalidAt('arithmetic', 'arithmetic takes three seeds [a, b, c]: z(a) - z(b) + z(c)');
      const [sa, sb, sc] = a.map((v, i) => seedToWire(v, `arithmetic[${i}]`));
      source = { arithmetic: { seedA: sa, seedB: sb, seedC: sc } };
    } else source = options.seed !== undefined ? { seed: seedToWire(options.seed) } : {};
    const bySeed = options.latents === undefined && options.arithmetic === undefined;
    const request = this.check('EditRequest', {
      model,
      version: options.version ?? 0,
      n: options.n ?? (bySeed ? 1 : 0),
      ...source,
      labels: listOf('labels', options.labels),
      ...(options.truncation !== undefined ? { truncation: options.truncation } : {}),
      encoding: encodingToWire(options.encoding),
      ...dir,
      strengths: strengthsWire,
    }, DIRECTION_NAMES);
    const res = await this.unary<EditResponse__Output>((md, o, cb) => this.raw.edit(request, md, o, cb), opts);
    return toEditResult(res);
  }

  /**
   * Real images into a model's latent space: the latents that reproduce them, with the
   * reconstructions and their distances. The way to edit a real image:
   *
   *     const p = await client.project('digits', [png]);
   *     const grid = await client.edit('digits', 'sefa:0', [-3, 0, 3], { latents: p.latents, labels: p.labels });
   *
   * `images`: a raw batch { shape: [N, H, W, C], data } or PNG files (see ImagesInput). Unless
   * opts.timeoutMs says otherwise, its deadline is PROJECTION_TIMEOUT_MS (120 s, the service
   * config's), not the client's timeoutMs. As the Python SDK's `project`.
   */
  async project(model: string, images: ImagesInput, options: ProjectOptions = {}, opts?: CallOptions): Promise<ProjectResult> {
    let method: ProjectionMethod = 'PROJECTION_METHOD_AUTO';
    if (options.method !== undefined) {
      const m = Object.hasOwn(PROJECTION_METHODS, options.method) ? PROJECTION_METHODS[options.method] : undefined;
      if (!m) throw invalidAt('method', `method must be one of ${Object.keys(PROJECTION_METHODS).join(', ')}, got ${shown(options.method)}`);
      method = m;
    }
    const batch = imagesToWire(images, 'images');
    const steps = options.steps === undefined ? {} : { steps: nonNegativeInt('steps', options.steps) };
    const request = this.check('ProjectRequest', {
      model,
      version: options.version ?? 0,
      images: batch,
      labels: listOf('labels', options.labels),
      method,
      ...steps,
      seed: seedToWire(options.seed ?? 0),
      encoding: encodingToWire(options.encoding),
    });
    const res = await this.unary<ProjectResponse__Output>((md, o, cb) => this.raw.project(request, md, o, cb), opts, PROJECTION_TIMEOUT_MS);
    return toProjectResult(res);
  }

  /**
   * Fill in the unknown pixels of one image from a model's latent space (inpainting): k
   * completions (default 4), best first, the known pixels exactly those of the fitted input.
   * `mask` is a preset ('center', 'left', 'right', 'top', 'bottom', 'random:P') naming the
   * unknown part, or a mask image (see MaskInput). Deadline as for project. As the Python SDK's
   * `complete`.
   */
  async complete(model: string, image: ImagesInput, mask: MaskInput, options: CompleteOptions = {}, opts?: CallOptions): Promise<CompleteResult> {
    const batch = oneImageToWire(image, 'image');
    const maskWire = maskToWire(mask);
    const k = positiveInt('k', options.k ?? 4);
    const steps = options.steps === undefined ? {} : { steps: positiveInt('steps', options.steps) };
    const request = this.check('CompleteRequest', {
      model,
      version: options.version ?? 0,
      image: batch,
      ...maskWire,
      k,
      ...steps,
      ...(options.label !== undefined ? { label: options.label } : {}),
      seed: seedToWire(options.seed ?? 0),
      encoding: encodingToWire(options.encoding),
    }, MASK_NAMES);
    const res = await this.unary<CompleteResponse__Output>((md, o, cb) => this.raw.complete(request, md, o, cb), opts, PROJECTION_TIMEOUT_MS);
    return toCompleteResult(res);
  }

  /** Every registered model version, optionally only those of one name. */
  async listModels(name?: string, opts?: CallOptions): Promise<ModelVersion[]> {
    const request = this.check('ListModelsRequest', { name: name ?? '' });
    const res = await this.unary<ListModelsResponse__Output>((md, o, cb) => this.raw.listModels(request, md, o, cb), opts);
    return res.models.map(toModelVersion);
  }

  /** One model version (NAME, NAME@VERSION, or NAME with version; latest by default). */
  async getModel(model: string, version?: number, opts?: CallOptions): Promise<GetModelResult> {
    const request = this.check('GetModelRequest', { model, version: version ?? 0 });
    const res = await this.unary<GetModelResponse__Output>((md, o, cb) => this.raw.getModel(request, md, o, cb), opts);
    return { model: toModelVersion(res.model), versions: [...res.versions] };
  }

  /** Start a training job; returns at once with the (usually queued) job. */
  async train(req: TrainRequest, opts?: CallOptions): Promise<TrainJob> {
    if (req === null || typeof req !== 'object') throw invalidAt('req', `train takes a request object, got ${shown(req)}`);
    const options: Record<string, string> = {};
    if (req.options !== undefined && (req.options === null || typeof req.options !== 'object' || Array.isArray(req.options))) {
      throw invalidAt('options', `options must be an object of flag values, got ${shown(req.options)}`);
    }
    for (const [k, v] of Object.entries(req.options ?? {})) {
      // Sent as strings, as `latentgan train` flags: anything else would arrive as its String().
      if (!['string', 'number', 'boolean'].includes(typeof v)) throw invalidAt('options', `options.${k} must be a string, number or boolean, got ${shown(v)}`);
      options[k] = String(v);
    }
    if (req.loss !== undefined && !Object.hasOwn(LOSSES, req.loss)) {
      throw invalidAt('loss', `loss must be one of ${Object.keys(LOSSES).join(', ')}, got ${shown(req.loss)}`);
    }
    const request = this.check<TrainRequestWire>('TrainRequest', {
      requestId: req.requestId ?? '',
      dataset: req.dataset,
      name: req.name ?? '',
      conditional: req.conditional ?? false,
      ...(req.epochs !== undefined ? { epochs: req.epochs } : {}),
      ...(req.steps !== undefined ? { steps: req.steps } : {}),
      ...(req.latentDim !== undefined ? { latentDim: req.latentDim } : {}),
      loss: req.loss === undefined ? 'LOSS_UNSPECIFIED' : LOSSES[req.loss],
      options,
    });
    const res = await this.unary<TrainResponse__Output>((md, o, cb) => this.raw.train(request, md, o, cb), opts);
    return toJob(res.job);
  }

  /** The current state of a training job. */
  async getJob(id: string, opts?: CallOptions): Promise<TrainJob> {
    const request = this.check('GetTrainJobRequest', { jobId: id }, JOB_NAMES);
    const res = await this.unary<GetTrainJobResponse__Output>((md, o, cb) => this.raw.getTrainJob(request, md, o, cb), opts);
    return toJob(res.job);
  }

  /** Recent training jobs, newest first, optionally only those of one model name. */
  async listJobs(req: ListJobsRequest = {}, opts?: CallOptions): Promise<TrainJob[]> {
    const limit = nonNegativeInt('limit', req.limit ?? 20);
    const request = this.check('ListTrainJobsRequest', { name: req.name ?? '', limit: Math.min(limit, 200) });
    const res = await this.unary<ListTrainJobsResponse__Output>((md, o, cb) => this.raw.listTrainJobs(request, md, o, cb), opts);
    return res.jobs.map(toJob);
  }

  /** Ask a training job to stop; returns the job after the request (cancelled, or already finished). */
  async cancel(id: string, opts?: CallOptions): Promise<TrainJob> {
    const request = this.check('CancelTrainJobRequest', { jobId: id }, JOB_NAMES);
    const res = await this.unary<CancelTrainJobResponse__Output>((md, o, cb) => this.raw.cancelTrainJob(request, md, o, cb), opts);
    return toJob(res.job);
  }

  /** @deprecated Use {@link LatentGanClient.cancel} (the Python SDK's name); this alias calls it. */
  cancelJob(id: string, opts?: CallOptions): Promise<TrainJob> {
    return this.cancel(id, opts);
  }

  /**
   * Progress events of a training job as they happen, ending when the job finishes.
   * No deadline unless opts.timeoutMs is given; breaking out of the loop cancels the stream.
   */
  async *watch(id: string, opts?: CallOptions): AsyncGenerator<TrainEvent, void, undefined> {
    const request = this.check('WatchTrainJobRequest', { jobId: id }, JOB_NAMES);
    const call = this.raw.watchTrainJob(request, this.metadata(), this.callOptions(opts, 0));
    const onAbort = () => call.cancel();
    opts?.signal?.addEventListener('abort', onAbort, { once: true });
    let ended = false;
    try {
      for await (const msg of call as AsyncIterable<WatchTrainJobResponse__Output>) {
        yield toEvent(msg);
      }
      ended = true;
    } catch (err) {
      ended = true;
      throw LatentGanError.from(err);
    } finally {
      opts?.signal?.removeEventListener('abort', onAbort);
      if (!ended) call.cancel();
    }
  }

  /** @deprecated Use {@link LatentGanClient.watch} (the Python SDK's name); this alias calls it. */
  watchJob(id: string, opts?: CallOptions): AsyncGenerator<TrainEvent, void, undefined> {
    return this.watch(id, opts);
  }

  /** The standard gRPC health check (grpc.health.v1.Health/Check); service "" is the whole server. */
  health(service = '', opts?: CallOptions): Promise<HealthStatus> {
    return new Promise((resolve, reject) => {
      this.raw.makeUnaryRequest(
        '/grpc.health.v1.Health/Check',
        (req: { service: string }) => Buffer.from(HealthCheckRequest.encode(HealthCheckRequest.fromObject(req)).finish()),
        (buf: Buffer) => HealthCheckResponse.toObject(HealthCheckResponse.decode(buf), { enums: String, defaults: true }) as { status: HealthStatus },
        { service },
        this.metadata(),
        this.callOptions(opts, this.timeoutMs),
        (err, res) => {
          if (err) reject(LatentGanError.from(err));
          else resolve(res?.status ?? 'UNKNOWN');
        },
      );
    });
  }
}
