// Original file: ../../protos/latentgan/v1/latentgan.proto


/**
 * Request of GetTrainJob.
 */
export interface GetTrainJobRequest {
  /**
   * The job's id.
   */
  'jobId'?: (string);
}

/**
 * Request of GetTrainJob.
 */
export interface GetTrainJobRequest__Output {
  /**
   * The job's id.
   */
  'jobId': (string);
}
