// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { TrainJob as _latentgan_v1_TrainJob, TrainJob__Output as _latentgan_v1_TrainJob__Output } from '../../latentgan/v1/TrainJob.js';
import type { ImageBatch as _latentgan_v1_ImageBatch, ImageBatch__Output as _latentgan_v1_ImageBatch__Output } from '../../latentgan/v1/ImageBatch.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One event of WatchTrainJob: the job as it is now and, for a progress report, its numbers.
 */
export interface WatchTrainJobResponse {
  /**
   * The job, including its state after this event.
   */
  'job'?: (_latentgan_v1_TrainJob | null);
  /**
   * Generator step this event reports.
   */
  'step'?: (number | string | Long);
  /**
   * Latest losses by name (d, g, gp, rotation, kl, ...).
   */
  'losses'?: ({[key: string]: number | string});
  /**
   * Training speed.
   */
  'imagesPerSecond'?: (number | string);
  /**
   * Metrics, when this event reports an evaluation.
   */
  'metrics'?: ({[key: string]: number | string});
  /**
   * The latest sample grid, when this event carries one (a single image).
   */
  'sampleGrid'?: (_latentgan_v1_ImageBatch | null);
}

/**
 * One event of WatchTrainJob: the job as it is now and, for a progress report, its numbers.
 */
export interface WatchTrainJobResponse__Output {
  /**
   * The job, including its state after this event.
   */
  'job': (_latentgan_v1_TrainJob__Output | null);
  /**
   * Generator step this event reports.
   */
  'step': (string);
  /**
   * Latest losses by name (d, g, gp, rotation, kl, ...).
   */
  'losses': ({[key: string]: number});
  /**
   * Training speed.
   */
  'imagesPerSecond': (number);
  /**
   * Metrics, when this event reports an evaluation.
   */
  'metrics': ({[key: string]: number});
  /**
   * The latest sample grid, when this event carries one (a single image).
   */
  'sampleGrid': (_latentgan_v1_ImageBatch__Output | null);
}
