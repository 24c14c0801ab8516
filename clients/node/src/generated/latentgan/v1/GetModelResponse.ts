// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { ModelVersion as _latentgan_v1_ModelVersion, ModelVersion__Output as _latentgan_v1_ModelVersion__Output } from '../../latentgan/v1/ModelVersion.js';

/**
 * Response of GetModel.
 */
export interface GetModelResponse {
  /**
   * The model version.
   */
  'model'?: (_latentgan_v1_ModelVersion | null);
  /**
   * Every version registered under its name, ascending.
   */
  'versions'?: (number)[];
}

/**
 * Response of GetModel.
 */
export interface GetModelResponse__Output {
  /**
   * The model version.
   */
  'model': (_latentgan_v1_ModelVersion__Output | null);
  /**
   * Every version registered under its name, ascending.
   */
  'versions': (number)[];
}
