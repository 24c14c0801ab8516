// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { TrainJob as _latentgan_v1_TrainJob, TrainJob__Output as _latentgan_v1_TrainJob__Output } from '../../latentgan/v1/TrainJob.js';

/**
 * Response of GetTrainJob.
 */
export interface GetTrainJobResponse {
  /**
   * The job.
   */
  'job'?: (_latentgan_v1_TrainJob | null);
}

/**
 * Response of GetTrainJob.
 */
export interface GetTrainJobResponse__Output {
  /**
   * The job.
   */
  'job': (_latentgan_v1_TrainJob__Output | null);
}
