// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { DirectionScore as _latentgan_v1_DirectionScore, DirectionScore__Output as _latentgan_v1_DirectionScore__Output } from '../../latentgan/v1/DirectionScore.js';

/**
 * One unit direction in the latent space.
 */
export interface Direction {
  /**
   * Stable id: KEY:INDEX for sefa, pca and random sets (sefa:0), the set's key for an
   * attribute (attribute:thickness, attribute:class:7).
   */
  'id'?: (string);
  /**
   * The unit vector, latent_dim values.
   */
  'vector'?: (number | string)[];
  /**
   * What the method says of it (see DirectionSet.value_name); NaN for random directions.
   */
  'value'?: (number | string);
  /**
   * How it scores.
   */
  'score'?: (_latentgan_v1_DirectionScore | null);
}

/**
 * One unit direction in the latent space.
 */
export interface Direction__Output {
  /**
   * Stable id: KEY:INDEX for sefa, pca and random sets (sefa:0), the set's key for an
   * attribute (attribute:thickness, attribute:class:7).
   */
  'id': (string);
  /**
   * The unit vector, latent_dim values.
   */
  'vector': (number)[];
  /**
   * What the method says of it (see DirectionSet.value_name); NaN for random directions.
   */
  'value': (number);
  /**
   * How it scores.
   */
  'score': (_latentgan_v1_DirectionScore__Output | null);
}
