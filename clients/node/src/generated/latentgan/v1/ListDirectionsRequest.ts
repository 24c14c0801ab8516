// Original file: ../../protos/latentgan/v1/latentgan.proto


/**
 * Request of ListDirections.
 */
export interface ListDirectionsRequest {
  /**
   * Model name, or NAME@VERSION.
   */
  'model'?: (string);
  /**
   * Model version; 0 means the latest (or the one named in `model`).
   */
  'version'?: (number);
}

/**
 * Request of ListDirections.
 */
export interface ListDirectionsRequest__Output {
  /**
   * Model name, or NAME@VERSION.
   */
  'model': (string);
  /**
   * Model version; 0 means the latest (or the one named in `model`).
   */
  'version': (number);
}
