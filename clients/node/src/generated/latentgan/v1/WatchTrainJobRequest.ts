// Original file: ../../protos/latentgan/v1/latentgan.proto


/**
 * Request of WatchTrainJob.
 */
export interface WatchTrainJobRequest {
  /**
   * The job's id.
   */
  'jobId'?: (string);
}

/**
 * Request of WatchTrainJob.
 */
export interface WatchTrainJobRequest__Output {
  /**
   * The job's id.
   */
  'jobId': (string);
}
