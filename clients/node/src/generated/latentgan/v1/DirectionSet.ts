// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { Direction as _latentgan_v1_Direction, Direction__Output as _latentgan_v1_Direction__Output } from '../../latentgan/v1/Direction.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.js';

/**
 * The directions one method with one set of parameters found for a model version.
 */
export interface DirectionSet {
  /**
   * The set's key: the method (or attribute:NAME), with non-default parameters in brackets.
   */
  'key'?: (string);
  /**
   * sefa, pca, attribute or random.
   */
  'method'?: (string);
  /**
   * The parameters that made the set (k, samples, seed, attribute, orthogonal_to), as JSON
   * values.
   */
  'parameters'?: ({[key: string]: string});
  /**
   * The directions, the most important first.
   */
  'directions'?: (_latentgan_v1_Direction)[];
  /**
   * What Direction.value means for this method.
   */
  'valueName'?: (string);
  /**
   * When the set was computed.
   */
  'createTime'?: (_google_protobuf_Timestamp | null);
  /**
   * Seconds spent finding the directions.
   */
  'computeSeconds'?: (number | string);
  /**
   * Seconds spent scoring them.
   */
  'scoreSeconds'?: (number | string);
}

/**
 * The directions one method with one set of parameters found for a model version.
 */
export interface DirectionSet__Output {
  /**
   * The set's key: the method (or attribute:NAME), with non-default parameters in brackets.
   */
  'key': (string);
  /**
   * sefa, pca, attribute or random.
   */
  'method': (string);
  /**
   * The parameters that made the set (k, samples, seed, attribute, orthogonal_to), as JSON
   * values.
   */
  'parameters': ({[key: string]: string});
  /**
   * The directions, the most important first.
   */
  'directions': (_latentgan_v1_Direction__Output)[];
  /**
   * What Direction.value means for this method.
   */
  'valueName': (string);
  /**
   * When the set was computed.
   */
  'createTime': (_google_protobuf_Timestamp__Output | null);
  /**
   * Seconds spent finding the directions.
   */
  'computeSeconds': (number);
  /**
   * Seconds spent scoring them.
   */
  'scoreSeconds': (number);
}
