// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { JobState as _latentgan_v1_JobState, JobState__Output as _latentgan_v1_JobState__Output } from '../../latentgan/v1/JobState.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A training job.
 */
export interface TrainJob {
  /**
   * The job's id, for GetTrainJob, WatchTrainJob and CancelTrainJob.
   */
  'id'?: (string);
  /**
   * The request id it was created with.
   */
  'requestId'?: (string);
  /**
   * Where it is in its life.
   */
  'state'?: (_latentgan_v1_JobState);
  /**
   * The model name it registers under.
   */
  'name'?: (string);
  /**
   * The data set it trains on.
   */
  'dataset'?: (string);
  /**
   * When it was created.
   */
  'createTime'?: (_google_protobuf_Timestamp | null);
  /**
   * When it started running (unset while queued).
   */
  'startTime'?: (_google_protobuf_Timestamp | null);
  /**
   * When it finished (unset until then).
   */
  'endTime'?: (_google_protobuf_Timestamp | null);
  /**
   * Generator steps done so far.
   */
  'step'?: (number | string | Long);
  /**
   * Generator steps in all.
   */
  'totalSteps'?: (number | string | Long);
  /**
   * Why it failed (JOB_STATE_FAILED only).
   */
  'error'?: (string);
  /**
   * The registered model version, as NAME@VERSION (JOB_STATE_SUCCEEDED only).
   */
  'model'?: (string);
  /**
   * The registered version's quality metrics (JOB_STATE_SUCCEEDED only).
   */
  'metrics'?: ({[key: string]: number | string});
}

/**
 * A training job.
 */
export interface TrainJob__Output {
  /**
   * The job's id, for GetTrainJob, WatchTrainJob and CancelTrainJob.
   */
  'id': (string);
  /**
   * The request id it was created with.
   */
  'requestId': (string);
  /**
   * Where it is in its life.
   */
  'state': (_latentgan_v1_JobState__Output);
  /**
   * The model name it registers under.
   */
  'name': (string);
  /**
   * The data set it trains on.
   */
  'dataset': (string);
  /**
   * When it was created.
   */
  'createTime': (_google_protobuf_Timestamp__Output | null);
  /**
   * When it started running (unset while queued).
   */
  'startTime': (_google_protobuf_Timestamp__Output | null);
  /**
   * When it finished (unset until then).
   */
  'endTime': (_google_protobuf_Timestamp__Output | null);
  /**
   * Generator steps done so far.
   */
  'step': (string);
  /**
   * Generator steps in all.
   */
  'totalSteps': (string);
  /**
   * Why it failed (JOB_STATE_FAILED only).
   */
  'error': (string);
  /**
   * The registered model version, as NAME@VERSION (JOB_STATE_SUCCEEDED only).
   */
  'model': (string);
  /**
   * The registered version's quality metrics (JOB_STATE_SUCCEEDED only).
   */
  'metrics': ({[key: string]: number});
}
