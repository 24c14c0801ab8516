// Original file: ../../protos/latentgan/v1/latentgan.proto


/**
 * Request of ListModels.
 */
export interface ListModelsRequest {
  /**
   * Only versions of this model name; empty: every model.
   */
  'name'?: (string);
}

/**
 * Request of ListModels.
 */
export interface ListModelsRequest__Output {
  /**
   * Only versions of this model name; empty: every model.
   */
  'name': (string);
}
