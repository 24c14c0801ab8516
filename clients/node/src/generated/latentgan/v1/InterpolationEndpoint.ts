// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { LatentBatch as _latentgan_v1_LatentBatch, LatentBatch__Output as _latentgan_v1_LatentBatch__Output } from '../../latentgan/v1/LatentBatch.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One end of an interpolation: a latent point and, for a conditional model, a class.
 */
export interface InterpolationEndpoint {
  /**
   * Latent vector (seed, 0): the image Sample(n=1, seed) makes.
   */
  'seed'?: (number | string | Long);
  /**
   * An explicit latent vector (one row).
   */
  'latent'?: (_latentgan_v1_LatentBatch | null);
  /**
   * The class at this end, for a conditional model; unset: class 0 at the start, and the start's
   * class at the end.
   */
  'label'?: (number);
  /**
   * The latent point; unset means seed 0.
   */
  'point'?: "seed"|"latent";
  '_label'?: "label";
}

/**
 * One end of an interpolation: a latent point and, for a conditional model, a class.
 */
export interface InterpolationEndpoint__Output {
  /**
   * Latent vector (seed, 0): the image Sample(n=1, seed) makes.
   */
  'seed'?: (string);
  /**
   * An explicit latent vector (one row).
   */
  'latent'?: (_latentgan_v1_LatentBatch__Output | null);
  /**
   * The class at this end, for a conditional model; unset: class 0 at the start, and the start's
   * class at the end.
   */
  'label'?: (number);
  /**
   * The latent point; unset means seed 0.
   */
  'point'?: "seed"|"latent";
  '_label'?: "label";
}
