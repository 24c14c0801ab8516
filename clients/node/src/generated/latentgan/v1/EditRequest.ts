// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { LatentBatch as _latentgan_v1_LatentBatch, LatentBatch__Output as _latentgan_v1_LatentBatch__Output } from '../../latentgan/v1/LatentBatch.js';
import type { LatentArithmetic as _latentgan_v1_LatentArithmetic, LatentArithmetic__Output as _latentgan_v1_LatentArithmetic__Output } from '../../latentgan/v1/LatentArithmetic.js';
import type { ImageEncoding as _latentgan_v1_ImageEncoding, ImageEncoding__Output as _latentgan_v1_ImageEncoding__Output } from '../../latentgan/v1/ImageEncoding.js';
import type { DirectionMix as _latentgan_v1_DirectionMix, DirectionMix__Output as _latentgan_v1_DirectionMix__Output } from '../../latentgan/v1/DirectionMix.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Request of Edit.
 */
export interface EditRequest {
  /**
   * Model name, or NAME@VERSION.
   */
  'model'?: (string);
  /**
   * Model version; 0 means the latest (or the one named in `model`).
   */
  'version'?: (number);
  /**
   * Number of latents (rows) when editing by seed (1 .. the server's limit). With `latents`, 0
   * or the number of rows.
   */
  'n'?: (number);
  /**
   * Row i is latent vector (seed, i): the image Sample(seed) makes at index i.
   */
  'seed'?: (number | string | Long);
  /**
   * Row i is row i of these vectors.
   */
  'latents'?: (_latentgan_v1_LatentBatch | null);
  /**
   * One row: latent arithmetic z(a, 0) - z(b, 0) + z(c, 0).
   */
  'arithmetic'?: (_latentgan_v1_LatentArithmetic | null);
  /**
   * Class labels for a conditional model, per row: none (classes cycle), one, or one per row.
   */
  'labels'?: (number)[];
  /**
   * Truncation psi in [0, 1], applied to the rows before the edit; unset: 1.
   */
  'truncation'?: (number | string);
  /**
   * How to send the images back; unset: raw.
   */
  'encoding'?: (_latentgan_v1_ImageEncoding);
  /**
   * One stored direction: a strength is in standard deviations of the prior along it.
   */
  'directionId'?: (string);
  /**
   * A weighted sum of stored directions.
   */
  'mix'?: (_latentgan_v1_DirectionMix | null);
  /**
   * An explicit offset in z (one row of latent_dim values), used as given: strength 1 adds
   * it once (so latents c with vector a - b give latent arithmetic).
   */
  'vector'?: (_latentgan_v1_LatentBatch | null);
  /**
   * The strengths, one column each (1 .. 64 values, each finite, |s| <= 100); empty: -3, -1.5,
   * 0, 1.5, 3. Strength 0 gives exactly the image Sample gives for the same row.
   */
  'strengths'?: (number | string)[];
  /**
   * Where the latents come from; unset means seed 0.
   */
  'source'?: "seed"|"latents"|"arithmetic";
  '_truncation'?: "truncation";
  /**
   * What to move along; required.
   */
  'direction'?: "directionId"|"mix"|"vector";
}

/**
 * Request of Edit.
 */
export interface EditRequest__Output {
  /**
   * Model name, or NAME@VERSION.
   */
  'model': (string);
  /**
   * Model version; 0 means the latest (or the one named in `model`).
   */
  'version': (number);
  /**
   * Number of latents (rows) when editing by seed (1 .. the server's limit). With `latents`, 0
   * or the number of rows.
   */
  'n': (number);
  /**
   * Row i is latent vector (seed, i): the image Sample(seed) makes at index i.
   */
  'seed'?: (string);
  /**
   * Row i is row i of these vectors.
   */
  'latents'?: (_latentgan_v1_LatentBatch__Output | null);
  /**
   * One row: latent arithmetic z(a, 0) - z(b, 0) + z(c, 0).
   */
  'arithmetic'?: (_latentgan_v1_LatentArithmetic__Output | null);
  /**
   * Class labels for a conditional model, per row: none (classes cycle), one, or one per row.
   */
  'labels': (number)[];
  /**
   * Truncation psi in [0, 1], applied to the rows before the edit; unset: 1.
   */
  'truncation'?: (number);
  /**
   * How to send the images back; unset: raw.
   */
  'encoding': (_latentgan_v1_ImageEncoding__Output);
  /**
   * One stored direction: a strength is in standard deviations of the prior along it.
   */
  'directionId'?: (string);
  /**
   * A weighted sum of stored directions.
   */
  'mix'?: (_latentgan_v1_DirectionMix__Output | null);
  /**
   * An explicit offset in z (one row of latent_dim values), used as given: strength 1 adds
   * it once (so latents c with vector a - b give latent arithmetic).
   */
  'vector'?: (_latentgan_v1_LatentBatch__Output | null);
  /**
   * The strengths, one column each (1 .. 64 values, each finite, |s| <= 100); empty: -3, -1.5,
   * 0, 1.5, 3. Strength 0 gives exactly the image Sample gives for the same row.
   */
  'strengths': (number)[];
  /**
   * Where the latents come from; unset means seed 0.
   */
  'source'?: "seed"|"latents"|"arithmetic";
  '_truncation'?: "truncation";
  /**
   * What to move along; required.
   */
  'direction'?: "directionId"|"mix"|"vector";
}
