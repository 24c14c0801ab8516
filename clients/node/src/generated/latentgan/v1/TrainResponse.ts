// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { TrainJob as _latentgan_v1_TrainJob, TrainJob__Output as _latentgan_v1_TrainJob__Output } from '../../latentgan/v1/TrainJob.js';

/**
 * Response of Train.
 */
export interface TrainResponse {
  /**
   * The job, usually still queued.
   */
  'job'?: (_latentgan_v1_TrainJob | null);
}

/**
 * Response of Train.
 */
export interface TrainResponse__Output {
  /**
   * The job, usually still queued.
   */
  'job': (_latentgan_v1_TrainJob__Output | null);
}
