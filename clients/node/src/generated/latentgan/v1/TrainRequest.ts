// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { Loss as _latentgan_v1_Loss, Loss__Output as _latentgan_v1_Loss__Output } from '../../latentgan/v1/Loss.js';

/**
 * Request of Train.
 */
export interface TrainRequest {
  /**
   * Client-chosen id that makes the call idempotent: a repeated Train with the same id returns
   * the first call's job. Empty: the server picks one.
   */
  'requestId'?: (string);
  /**
   * The data set: mnist5k, digits, mnist, fashion-mnist, or a path the training workers can read.
   */
  'dataset'?: (string);
  /**
   * Name to register the model under (a new version of it if it exists).
   */
  'name'?: (string);
  /**
   * Train a class-conditional GAN on the data set's labels.
   */
  'conditional'?: (boolean);
  /**
   * Training length in epochs; unset (and no steps): the default for the kind of model.
   */
  'epochs'?: (number);
  /**
   * Training length in generator steps; takes precedence over epochs.
   */
  'steps'?: (number);
  /**
   * Size of the latent vectors; unset: 100.
   */
  'latentDim'?: (number);
  /**
   * The loss; unset: non-saturating.
   */
  'loss'?: (_latentgan_v1_Loss);
  /**
   * Further model and training settings by name (as `latentgan train` flags without the dashes,
   * e.g. "spectral_norm": "true", "batch_size": "128"); unknown names are INVALID_ARGUMENT.
   */
  'options'?: ({[key: string]: string});
  '_epochs'?: "epochs";
  '_steps'?: "steps";
  '_latentDim'?: "latentDim";
}

/**
 * Request of Train.
 */
export interface TrainRequest__Output {
  /**
   * Client-chosen id that makes the call idempotent: a repeated Train with the same id returns
   * the first call's job. Empty: the server picks one.
   */
  'requestId': (string);
  /**
   * The data set: mnist5k, digits, mnist, fashion-mnist, or a path the training workers can read.
   */
  'dataset': (string);
  /**
   * Name to register the model under (a new version of it if it exists).
   */
  'name': (string);
  /**
   * Train a class-conditional GAN on the data set's labels.
   */
  'conditional': (boolean);
  /**
   * Training length in epochs; unset (and no steps): the default for the kind of model.
   */
  'epochs'?: (number);
  /**
   * Training length in generator steps; takes precedence over epochs.
   */
  'steps'?: (number);
  /**
   * Size of the latent vectors; unset: 100.
   */
  'latentDim'?: (number);
  /**
   * The loss; unset: non-saturating.
   */
  'loss': (_latentgan_v1_Loss__Output);
  /**
   * Further model and training settings by name (as `latentgan train` flags without the dashes,
   * e.g. "spectral_norm": "true", "batch_size": "128"); unknown names are INVALID_ARGUMENT.
   */
  'options': ({[key: string]: string});
  '_epochs'?: "epochs";
  '_steps'?: "steps";
  '_latentDim'?: "latentDim";
}
