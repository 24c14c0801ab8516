// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { DirectionMethod as _latentgan_v1_DirectionMethod, DirectionMethod__Output as _latentgan_v1_DirectionMethod__Output } from '../../latentgan/v1/DirectionMethod.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Request of ComputeDirections.
 */
export interface ComputeDirectionsRequest {
  /**
   * Model name, or NAME@VERSION.
   */
  'model'?: (string);
  /**
   * Model version; 0 means the latest (or the one named in `model`).
   */
  'version'?: (number);
  /**
   * How to find the directions; unset: SeFa.
   */
  'method'?: (_latentgan_v1_DirectionMethod);
  /**
   * How many directions (sefa, pca, random), 1 .. the latent size; 0: 10.
   */
  'k'?: (number);
  /**
   * Latents to sample (pca, attribute); 0: the method's default (5000 for pca, 3000 for
   * attribute).
   */
  'samples'?: (number);
  /**
   * Seed of the sampled latents and of random directions.
   */
  'seed'?: (number | string | Long);
  /**
   * The attribute of DIRECTION_METHOD_ATTRIBUTE (required there, refused elsewhere): thickness,
   * slant, width, height, area (single-channel data sets) or class:K (labelled data sets).
   */
  'attribute'?: (string);
  /**
   * Direction ids the result is made orthogonal to (conditional manipulation), e.g.
   * attribute:class:3 to change thickness with the class held.
   */
  'orthogonalTo'?: (string)[];
}

/**
 * Request of ComputeDirections.
 */
export interface ComputeDirectionsRequest__Output {
  /**
   * Model name, or NAME@VERSION.
   */
  'model': (string);
  /**
   * Model version; 0 means the latest (or the one named in `model`).
   */
  'version': (number);
  /**
   * How to find the directions; unset: SeFa.
   */
  'method': (_latentgan_v1_DirectionMethod__Output);
  /**
   * How many directions (sefa, pca, random), 1 .. the latent size; 0: 10.
   */
  'k': (number);
  /**
   * Latents to sample (pca, attribute); 0: the method's default (5000 for pca, 3000 for
   * attribute).
   */
  'samples': (number);
  /**
   * Seed of the sampled latents and of random directions.
   */
  'seed': (string);
  /**
   * The attribute of DIRECTION_METHOD_ATTRIBUTE (required there, refused elsewhere): thickness,
   * slant, width, height, area (single-channel data sets) or class:K (labelled data sets).
   */
  'attribute': (string);
  /**
   * Direction ids the result is made orthogonal to (conditional manipulation), e.g.
   * attribute:class:3 to change thickness with the class held.
   */
  'orthogonalTo': (string)[];
}
