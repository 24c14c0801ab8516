// Original file: ../../protos/latentgan/v1/latentgan.proto

/**
 * Where a training job is in its life.
 */
export const JobState = {
  /**
   * Not set; never sent by the server.
   */
  JOB_STATE_UNSPECIFIED: 'JOB_STATE_UNSPECIFIED',
  /**
   * Waiting for a training worker.
   */
  JOB_STATE_QUEUED: 'JOB_STATE_QUEUED',
  /**
   * Training.
   */
  JOB_STATE_RUNNING: 'JOB_STATE_RUNNING',
  /**
   * Finished and registered its model version.
   */
  JOB_STATE_SUCCEEDED: 'JOB_STATE_SUCCEEDED',
  /**
   * Stopped by an error; see TrainJob.error.
   */
  JOB_STATE_FAILED: 'JOB_STATE_FAILED',
  /**
   * Stopped at a client's request.
   */
  JOB_STATE_CANCELLED: 'JOB_STATE_CANCELLED',
} as const;

/**
 * Where a training job is in its life.
 */
export type JobState =
  /**
   * Not set; never sent by the server.
   */
  | 'JOB_STATE_UNSPECIFIED'
  | 0
  /**
   * Waiting for a training worker.
   */
  | 'JOB_STATE_QUEUED'
  | 1
  /**
   * Training.
   */
  | 'JOB_STATE_RUNNING'
  | 2
  /**
   * Finished and registered its model version.
   */
  | 'JOB_STATE_SUCCEEDED'
  | 3
  /**
   * Stopped by an error; see TrainJob.error.
   */
  | 'JOB_STATE_FAILED'
  | 4
  /**
   * Stopped at a client's request.
   */
  | 'JOB_STATE_CANCELLED'
  | 5

/**
 * Where a training job is in its life.
 */
export type JobState__Output = typeof JobState[keyof typeof JobState]
