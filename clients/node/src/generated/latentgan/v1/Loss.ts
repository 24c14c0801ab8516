// Original file: ../../protos/latentgan/v1/latentgan.proto

/**
 * The training loss.
 */
export const Loss = {
  /**
   * Not set: the same as LOSS_NS.
   */
  LOSS_UNSPECIFIED: 'LOSS_UNSPECIFIED',
  /**
   * The non-saturating GAN loss.
   */
  LOSS_NS: 'LOSS_NS',
  /**
   * The hinge loss.
   */
  LOSS_HINGE: 'LOSS_HINGE',
  /**
   * Wasserstein loss with gradient penalty.
   */
  LOSS_WGAN_GP: 'LOSS_WGAN_GP',
} as const;

/**
 * The training loss.
 */
export type Loss =
  /**
   * Not set: the same as LOSS_NS.
   */
  | 'LOSS_UNSPECIFIED'
  | 0
  /**
   * The non-saturating GAN loss.
   */
  | 'LOSS_NS'
  | 1
  /**
   * The hinge loss.
   */
  | 'LOSS_HINGE'
  | 2
  /**
   * Wasserstein loss with gradient penalty.
   */
  | 'LOSS_WGAN_GP'
  | 3

/**
 * The training loss.
 */
export type Loss__Output = typeof Loss[keyof typeof Loss]
