// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.js';

/**
 * A registered model version: what it is, how it was made, how good it is.
 */
export interface ModelVersion {
  /**
   * Model name.
   */
  'name'?: (string);
  /**
   * Version number, counting from 1.
   */
  'version'?: (number);
  /**
   * When the version was registered.
   */
  'createTime'?: (_google_protobuf_Timestamp | null);
  /**
   * The data set it was trained on (as given to Train).
   */
  'dataset'?: (string);
  /**
   * Image shape [H, W, C].
   */
  'imageShape'?: (number)[];
  /**
   * Size of the latent vectors.
   */
  'latentDim'?: (number);
  /**
   * Class names for a conditional model; empty for an unconditional one.
   */
  'classNames'?: (string)[];
  /**
   * The training loss: ns, hinge or wgan-gp.
   */
  'loss'?: (string);
  /**
   * Quality metrics from the evaluator (fd, coverage, kl_to_prior, precision, recall, ...).
   */
  'metrics'?: ({[key: string]: number | string});
  /**
   * The full manifest.json of the version, for anything not given its own field.
   */
  'manifestJson'?: (string);
  /**
   * Set when the version cannot be served (a corrupt manifest, say): what is wrong with it.
   * Only `name` and `version` are set beside it; GetModel and every generation RPC answer
   * FAILED_PRECONDITION for such a version until it is repaired or removed.
   */
  'problem'?: (string);
}

/**
 * A registered model version: what it is, how it was made, how good it is.
 */
export interface ModelVersion__Output {
  /**
   * Model name.
   */
  'name': (string);
  /**
   * Version number, counting from 1.
   */
  'version': (number);
  /**
   * When the version was registered.
   */
  'createTime': (_google_protobuf_Timestamp__Output | null);
  /**
   * The data set it was trained on (as given to Train).
   */
  'dataset': (string);
  /**
   * Image shape [H, W, C].
   */
  'imageShape': (number)[];
  /**
   * Size of the latent vectors.
   */
  'latentDim': (number);
  /**
   * Class names for a conditional model; empty for an unconditional one.
   */
  'classNames': (string)[];
  /**
   * The training loss: ns, hinge or wgan-gp.
   */
  'loss': (string);
  /**
   * Quality metrics from the evaluator (fd, coverage, kl_to_prior, precision, recall, ...).
   */
  'metrics': ({[key: string]: number});
  /**
   * The full manifest.json of the version, for anything not given its own field.
   */
  'manifestJson': (string);
  /**
   * Set when the version cannot be served (a corrupt manifest, say): what is wrong with it.
   * Only `name` and `version` are set beside it; GetModel and every generation RPC answer
   * FAILED_PRECONDITION for such a version until it is repaired or removed.
   */
  'problem': (string);
}
