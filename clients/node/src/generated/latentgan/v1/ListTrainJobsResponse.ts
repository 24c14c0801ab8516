// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { TrainJob as _latentgan_v1_TrainJob, TrainJob__Output as _latentgan_v1_TrainJob__Output } from '../../latentgan/v1/TrainJob.js';

/**
 * Response of ListTrainJobs.
 */
export interface ListTrainJobsResponse {
  /**
   * The jobs, newest (latest create_time) first.
   */
  'jobs'?: (_latentgan_v1_TrainJob)[];
}

/**
 * Response of ListTrainJobs.
 */
export interface ListTrainJobsResponse__Output {
  /**
   * The jobs, newest (latest create_time) first.
   */
  'jobs': (_latentgan_v1_TrainJob__Output)[];
}
