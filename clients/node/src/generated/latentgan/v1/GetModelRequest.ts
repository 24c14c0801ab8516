// Original file: ../../protos/latentgan/v1/latentgan.proto


/**
 * Request of GetModel.
 */
export interface GetModelRequest {
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
 * Request of GetModel.
 */
export interface GetModelRequest__Output {
  /**
   * Model name, or NAME@VERSION.
   */
  'model': (string);
  /**
   * Model version; 0 means the latest (or the one named in `model`).
   */
  'version': (number);
}
