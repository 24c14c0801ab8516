// Original file: ../../protos/latentgan/v1/latentgan.proto

/**
 * How Project finds the latents of an image.
 */
export const ProjectionMethod = {
  /**
   * Not set: the same as PROJECTION_METHOD_AUTO.
   */
  PROJECTION_METHOD_UNSPECIFIED: 'PROJECTION_METHOD_UNSPECIFIED',
  /**
   * The version's encoder's guess refined by optimiser steps (default 100); a version
   * without an encoder runs OPTIMIZE instead, and the response says so.
   */
  PROJECTION_METHOD_AUTO: 'PROJECTION_METHOD_AUTO',
  /**
   * Adam on z from the best of several seeded starts (default at most 200 steps, stopping early
   * when the loss stops improving).
   */
  PROJECTION_METHOD_OPTIMIZE: 'PROJECTION_METHOD_OPTIMIZE',
  /**
   * One forward pass of the version's learned encoder; INVALID_ARGUMENT naming `method` when
   * the version has no encoder (`latentgan encoder --model M` trains one).
   */
  PROJECTION_METHOD_ENCODER: 'PROJECTION_METHOD_ENCODER',
} as const;

/**
 * How Project finds the latents of an image.
 */
export type ProjectionMethod =
  /**
   * Not set: the same as PROJECTION_METHOD_AUTO.
   */
  | 'PROJECTION_METHOD_UNSPECIFIED'
  | 0
  /**
   * The version's encoder's guess refined by optimiser steps (default 100); a version
   * without an encoder runs OPTIMIZE instead, and the response says so.
   */
  | 'PROJECTION_METHOD_AUTO'
  | 1
  /**
   * Adam on z from the best of several seeded starts (default at most 200 steps, stopping early
   * when the loss stops improving).
   */
  | 'PROJECTION_METHOD_OPTIMIZE'
  | 2
  /**
   * One forward pass of the version's learned encoder; INVALID_ARGUMENT naming `method` when
   * the version has no encoder (`latentgan encoder --model M` trains one).
   */
  | 'PROJECTION_METHOD_ENCODER'
  | 3

/**
 * How Project finds the latents of an image.
 */
export type ProjectionMethod__Output = typeof ProjectionMethod[keyof typeof ProjectionMethod]
