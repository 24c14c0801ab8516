// Original file: ../../protos/latentgan/v1/latentgan.proto

/**
 * How to walk between two latent points.
 */
export const InterpolationMethod = {
  /**
   * Not set: the same as INTERPOLATION_METHOD_SLERP.
   */
  INTERPOLATION_METHOD_UNSPECIFIED: 'INTERPOLATION_METHOD_UNSPECIFIED',
  /**
   * Straight line between the two latent vectors.
   */
  INTERPOLATION_METHOD_LERP: 'INTERPOLATION_METHOD_LERP',
  /**
   * Great-circle path, which keeps the vectors' norm typical of the Gaussian prior.
   */
  INTERPOLATION_METHOD_SLERP: 'INTERPOLATION_METHOD_SLERP',
} as const;

/**
 * How to walk between two latent points.
 */
export type InterpolationMethod =
  /**
   * Not set: the same as INTERPOLATION_METHOD_SLERP.
   */
  | 'INTERPOLATION_METHOD_UNSPECIFIED'
  | 0
  /**
   * Straight line between the two latent vectors.
   */
  | 'INTERPOLATION_METHOD_LERP'
  | 1
  /**
   * Great-circle path, which keeps the vectors' norm typical of the Gaussian prior.
   */
  | 'INTERPOLATION_METHOD_SLERP'
  | 2

/**
 * How to walk between two latent points.
 */
export type InterpolationMethod__Output = typeof InterpolationMethod[keyof typeof InterpolationMethod]
