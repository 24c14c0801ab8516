// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { DirectionSet as _latentgan_v1_DirectionSet, DirectionSet__Output as _latentgan_v1_DirectionSet__Output } from '../../latentgan/v1/DirectionSet.js';

/**
 * Response of ListDirections.
 */
export interface ListDirectionsResponse {
  /**
   * The model version, as NAME@VERSION.
   */
  'model'?: (string);
  /**
   * Its direction sets, by key.
   */
  'sets'?: (_latentgan_v1_DirectionSet)[];
}

/**
 * Response of ListDirections.
 */
export interface ListDirectionsResponse__Output {
  /**
   * The model version, as NAME@VERSION.
   */
  'model': (string);
  /**
   * Its direction sets, by key.
   */
  'sets': (_latentgan_v1_DirectionSet__Output)[];
}
