// Original file: ../../protos/latentgan/v1/latentgan.proto


/**
 * Request of CancelTrainJob.
 */
export interface CancelTrainJobRequest {
  /**
   * The job's id.
   */
  'jobId'?: (string);
}

/**
 * Request of CancelTrainJob.
 */
export interface CancelTrainJobRequest__Output {
  /**
   * The job's id.
   */
  'jobId': (string);
}
