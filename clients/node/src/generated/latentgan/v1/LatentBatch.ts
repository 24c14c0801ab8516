// Original file: ../../protos/latentgan/v1/latentgan.proto


/**
 * Explicit latent vectors: a rows x dim matrix of float32, row-major.
 */
export interface LatentBatch {
  /**
   * Length of each vector; must equal the model's latent dimension.
   */
  'dim'?: (number);
  /**
   * rows * dim finite values, row after row.
   */
  'values'?: (number | string)[];
}

/**
 * Explicit latent vectors: a rows x dim matrix of float32, row-major.
 */
export interface LatentBatch__Output {
  /**
   * Length of each vector; must equal the model's latent dimension.
   */
  'dim': (number);
  /**
   * rows * dim finite values, row after row.
   */
  'values': (number)[];
}
