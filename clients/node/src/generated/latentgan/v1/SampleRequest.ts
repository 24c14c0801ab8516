// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { LatentBatch as _latentgan_v1_LatentBatch, LatentBatch__Output as _latentgan_v1_LatentBatch__Output } from '../../latentgan/v1/LatentBatch.js';
import type { ImageEncoding as _latentgan_v1_ImageEncoding, ImageEncoding__Output as _latentgan_v1_ImageEncoding__Output } from '../../latentgan/v1/ImageEncoding.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Request of Sample.
 */
export interface SampleRequest {
  /**
   * Model name, or NAME@VERSION.
   */
  'model'?: (string);
  /**
   * Model version; 0 means the latest (or the one named in `model`).
   */
  'version'?: (number);
  /**
   * Number of images when sampling by seed (1 .. the server's limit). With `latents`, 0 or the
   * number of rows.
   */
  'n'?: (number);
  /**
   * Image i is made from latent vector (seed, i).
   */
  'seed'?: (number | string | Long);
  /**
   * Image i is made from row i of these vectors.
   */
  'latents'?: (_latentgan_v1_LatentBatch | null);
  /**
   * Class labels for a conditional model: none (classes cycle 0, 1, ...), one for every image,
   * or one per image. Unconditional models take none.
   */
  'labels'?: (number)[];
  /**
   * Truncation psi in [0, 1]: pulls the latents towards the mean for typical images. Unset: 1
   * (no truncation).
   */
  'truncation'?: (number | string);
  /**
   * How to send the images back; unset: raw.
   */
  'encoding'?: (_latentgan_v1_ImageEncoding);
  /**
   * Where the latent vectors come from; unset means seed 0.
   */
  'source'?: "seed"|"latents";
  '_truncation'?: "truncation";
}

/**
 * Request of Sample.
 */
export interface SampleRequest__Output {
  /**
   * Model name, or NAME@VERSION.
   */
  'model': (string);
  /**
   * Model version; 0 means the latest (or the one named in `model`).
   */
  'version': (number);
  /**
   * Number of images when sampling by seed (1 .. the server's limit). With `latents`, 0 or the
   * number of rows.
   */
  'n': (number);
  /**
   * Image i is made from latent vector (seed, i).
   */
  'seed'?: (string);
  /**
   * Image i is made from row i of these vectors.
   */
  'latents'?: (_latentgan_v1_LatentBatch__Output | null);
  /**
   * Class labels for a conditional model: none (classes cycle 0, 1, ...), one for every image,
   * or one per image. Unconditional models take none.
   */
  'labels': (number)[];
  /**
   * Truncation psi in [0, 1]: pulls the latents towards the mean for typical images. Unset: 1
   * (no truncation).
   */
  'truncation'?: (number);
  /**
   * How to send the images back; unset: raw.
   */
  'encoding': (_latentgan_v1_ImageEncoding__Output);
  /**
   * Where the latent vectors come from; unset means seed 0.
   */
  'source'?: "seed"|"latents";
  '_truncation'?: "truncation";
}
