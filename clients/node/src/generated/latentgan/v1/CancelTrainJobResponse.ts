// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { TrainJob as _latentgan_v1_TrainJob, TrainJob__Output as _latentgan_v1_TrainJob__Output } from '../../latentgan/v1/TrainJob.js';

/**
 * Response of CancelTrainJob.
 */
export interface CancelTrainJobResponse {
  /**
   * The job after the request (cancelled, or already finished).
   */
  'job'?: (_latentgan_v1_TrainJob | null);
}

/**
 * Response of CancelTrainJob.
 */
export interface CancelTrainJobResponse__Output {
  /**
   * The job after the request (cancelled, or already finished).
   */
  'job': (_latentgan_v1_TrainJob__Output | null);
}
