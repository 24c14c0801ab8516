// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { AttributeChange as _latentgan_v1_AttributeChange, AttributeChange__Output as _latentgan_v1_AttributeChange__Output } from '../../latentgan/v1/AttributeChange.js';

/**
 * A direction's quality, measured on fixed seeded latents when its set was computed.
 */
export interface DirectionScore {
  /**
   * Every measured attribute's change.
   */
  'changes'?: (_latentgan_v1_AttributeChange)[];
  /**
   * The attribute whose standardized change is largest.
   */
  'topAttribute'?: (string);
  /**
   * RMS standardized change of the other morphology attributes: how much else moves.
   */
  'entanglement'?: (number | string);
  /**
   * Share of samples the evaluator gives the same class at -2 and +2 sigma as at 0; unset when
   * the data set has no evaluator.
   */
  'classKept'?: (number | string);
  /**
   * Latents the scores were measured on.
   */
  'samples'?: (number);
  '_classKept'?: "classKept";
}

/**
 * A direction's quality, measured on fixed seeded latents when its set was computed.
 */
export interface DirectionScore__Output {
  /**
   * Every measured attribute's change.
   */
  'changes': (_latentgan_v1_AttributeChange__Output)[];
  /**
   * The attribute whose standardized change is largest.
   */
  'topAttribute': (string);
  /**
   * RMS standardized change of the other morphology attributes: how much else moves.
   */
  'entanglement': (number);
  /**
   * Share of samples the evaluator gives the same class at -2 and +2 sigma as at 0; unset when
   * the data set has no evaluator.
   */
  'classKept'?: (number);
  /**
   * Latents the scores were measured on.
   */
  'samples': (number);
  '_classKept'?: "classKept";
}
