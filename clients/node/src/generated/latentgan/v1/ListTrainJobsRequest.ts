// Original file: ../../protos/latentgan/v1/latentgan.proto


/**
 * Request of ListTrainJobs.
 */
export interface ListTrainJobsRequest {
  /**
   * Only jobs that register under this model name; empty: every job.
   */
  'name'?: (string);
  /**
   * The most jobs to return, newest first: 0 means 20; more than 200 is read as 200.
   */
  'limit'?: (number);
}

/**
 * Request of ListTrainJobs.
 */
export interface ListTrainJobsRequest__Output {
  /**
   * Only jobs that register under this model name; empty: every job.
   */
  'name': (string);
  /**
   * The most jobs to return, newest first: 0 means 20; more than 200 is read as 200.
   */
  'limit': (number);
}
