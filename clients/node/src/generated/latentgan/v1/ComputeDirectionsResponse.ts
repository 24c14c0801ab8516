// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { DirectionSet as _latentgan_v1_DirectionSet, DirectionSet__Output as _latentgan_v1_DirectionSet__Output } from '../../latentgan/v1/DirectionSet.js';

/**
 * Response of ComputeDirections.
 */
export interface ComputeDirectionsResponse {
  /**
   * The model version, as NAME@VERSION.
   */
  'model'?: (string);
  /**
   * The set.
   */
  'set'?: (_latentgan_v1_DirectionSet | null);
  /**
   * True if this call computed it; false if it was stored already.
   */
  'created'?: (boolean);
}

/**
 * Response of ComputeDirections.
 */
export interface ComputeDirectionsResponse__Output {
  /**
   * The model version, as NAME@VERSION.
   */
  'model': (string);
  /**
   * The set.
   */
  'set': (_latentgan_v1_DirectionSet__Output | null);
  /**
   * True if this call computed it; false if it was stored already.
   */
  'created': (boolean);
}
