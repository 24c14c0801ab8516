// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { ModelVersion as _latentgan_v1_ModelVersion, ModelVersion__Output as _latentgan_v1_ModelVersion__Output } from '../../latentgan/v1/ModelVersion.js';

/**
 * Response of ListModels.
 */
export interface ListModelsResponse {
  /**
   * Versions by name, then version number.
   */
  'models'?: (_latentgan_v1_ModelVersion)[];
}

/**
 * Response of ListModels.
 */
export interface ListModelsResponse__Output {
  /**
   * Versions by name, then version number.
   */
  'models': (_latentgan_v1_ModelVersion__Output)[];
}
