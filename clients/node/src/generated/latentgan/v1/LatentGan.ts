// Original file: ../../protos/latentgan/v1/latentgan.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CancelTrainJobRequest as _latentgan_v1_CancelTrainJobRequest, CancelTrainJobRequest__Output as _latentgan_v1_CancelTrainJobRequest__Output } from '../../latentgan/v1/CancelTrainJobRequest.js';
import type { CancelTrainJobResponse as _latentgan_v1_CancelTrainJobResponse, CancelTrainJobResponse__Output as _latentgan_v1_CancelTrainJobResponse__Output } from '../../latentgan/v1/CancelTrainJobResponse.js';
import type { CompleteRequest as _latentgan_v1_CompleteRequest, CompleteRequest__Output as _latentgan_v1_CompleteRequest__Output } from '../../latentgan/v1/CompleteRequest.js';
import type { CompleteResponse as _latentgan_v1_CompleteResponse, CompleteResponse__Output as _latentgan_v1_CompleteResponse__Output } from '../../latentgan/v1/CompleteResponse.js';
import type { ComputeDirectionsRequest as _latentgan_v1_ComputeDirectionsRequest, ComputeDirectionsRequest__Output as _latentgan_v1_ComputeDirectionsRequest__Output } from '../../latentgan/v1/ComputeDirectionsRequest.js';
import type { ComputeDirectionsResponse as _latentgan_v1_ComputeDirectionsResponse, ComputeDirectionsResponse__Output as _latentgan_v1_ComputeDirectionsResponse__Output } from '../../latentgan/v1/ComputeDirectionsResponse.js';
import type { EditRequest as _latentgan_v1_EditRequest, EditRequest__Output as _latentgan_v1_EditRequest__Output } from '../../latentgan/v1/EditRequest.js';
import type { EditResponse as _latentgan_v1_EditResponse, EditResponse__Output as _latentgan_v1_EditResponse__Output } from '../../latentgan/v1/EditResponse.js';
import type { GetModelRequest as _latentgan_v1_GetModelRequest, GetModelRequest__Output as _latentgan_v1_GetModelRequest__Output } from '../../latentgan/v1/GetModelRequest.js';
import type { GetModelResponse as _latentgan_v1_GetModelResponse, GetModelResponse__Output as _latentgan_v1_GetModelResponse__Output } from '../../latentgan/v1/GetModelResponse.js';
import type { GetTrainJobRequest as _latentgan_v1_GetTrainJobRequest, GetTrainJobRequest__Output as _latentgan_v1_GetTrainJobRequest__Output } from '../../latentgan/v1/GetTrainJobRequest.js';
import type { GetTrainJobResponse as _latentgan_v1_GetTrainJobResponse, GetTrainJobResponse__Output as _latentgan_v1_GetTrainJobResponse__Output } from '../../latentgan/v1/GetTrainJobResponse.js';
import type { InterpolateRequest as _latentgan_v1_InterpolateRequest, InterpolateRequest__Output as _latentgan_v1_InterpolateRequest__Output } from '../../latentgan/v1/InterpolateRequest.js';
import type { InterpolateResponse as _latentgan_v1_InterpolateResponse, InterpolateResponse__Output as _latentgan_v1_InterpolateResponse__Output } from '../../latentgan/v1/InterpolateResponse.js';
import type { ListDirectionsRequest as _latentgan_v1_ListDirectionsRequest, ListDirectionsRequest__Output as _latentgan_v1_ListDirectionsRequest__Output } from '../../latentgan/v1/ListDirectionsRequest.js';
import type { ListDirectionsResponse as _latentgan_v1_ListDirectionsResponse, ListDirectionsResponse__Output as _latentgan_v1_ListDirectionsResponse__Output } from '../../latentgan/v1/ListDirectionsResponse.js';
import type { ListModelsRequest as _latentgan_v1_ListModelsRequest, ListModelsRequest__Output as _latentgan_v1_ListModelsRequest__Output } from '../../latentgan/v1/ListModelsRequest.js';
import type { ListModelsResponse as _latentgan_v1_ListModelsResponse, ListModelsResponse__Output as _latentgan_v1_ListModelsResponse__Output } from '../../latentgan/v1/ListModelsResponse.js';
import type { ListTrainJobsRequest as _latentgan_v1_ListTrainJobsRequest, ListTrainJobsRequest__Output as _latentgan_v1_ListTrainJobsRequest__Output } from '../../latentgan/v1/ListTrainJobsRequest.js';
import type { ListTrainJobsResponse as _latentgan_v1_ListTrainJobsResponse, ListTrainJobsResponse__Output as _latentgan_v1_ListTrainJobsResponse__Output } from '../../latentgan/v1/ListTrainJobsResponse.js';
import type { ProjectRequest as _latentgan_v1_ProjectRequest, ProjectRequest__Output as _latentgan_v1_ProjectRequest__Output } from '../../latentgan/v1/ProjectRequest.js';
import type { ProjectResponse as _latentgan_v1_ProjectResponse, ProjectResponse__Output as _latentgan_v1_ProjectResponse__Output } from '../../latentgan/v1/ProjectResponse.js';
import type { SampleRequest as _latentgan_v1_SampleRequest, SampleRequest__Output as _latentgan_v1_SampleRequest__Output } from '../../latentgan/v1/SampleRequest.js';
import type { SampleResponse as _latentgan_v1_SampleResponse, SampleResponse__Output as _latentgan_v1_SampleResponse__Output } from '../../latentgan/v1/SampleResponse.js';
import type { TrainRequest as _latentgan_v1_TrainRequest, TrainRequest__Output as _latentgan_v1_TrainRequest__Output } from '../../latentgan/v1/TrainRequest.js';
import type { TrainResponse as _latentgan_v1_TrainResponse, TrainResponse__Output as _latentgan_v1_TrainResponse__Output } from '../../latentgan/v1/TrainResponse.js';
import type { WatchTrainJobRequest as _latentgan_v1_WatchTrainJobRequest, WatchTrainJobRequest__Output as _latentgan_v1_WatchTrainJobRequest__Output } from '../../latentgan/v1/WatchTrainJobRequest.js';
import type { WatchTrainJobResponse as _latentgan_v1_WatchTrainJobResponse, WatchTrainJobResponse__Output as _latentgan_v1_WatchTrainJobResponse__Output } from '../../latentgan/v1/WatchTrainJobResponse.js';

/**
 * The latentgan service: training jobs, the model registry, and generation.
 */
export interface LatentGanClient extends grpc.Client {
  /**
   * Ask a training job to stop; it stops within seconds and keeps its last checkpoint.
   */
  CancelTrainJob(argument: _latentgan_v1_CancelTrainJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_CancelTrainJobResponse__Output>): grpc.ClientUnaryCall;
  CancelTrainJob(argument: _latentgan_v1_CancelTrainJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_CancelTrainJobResponse__Output>): grpc.ClientUnaryCall;
  CancelTrainJob(argument: _latentgan_v1_CancelTrainJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_CancelTrainJobResponse__Output>): grpc.ClientUnaryCall;
  CancelTrainJob(argument: _latentgan_v1_CancelTrainJobRequest, callback: grpc.requestCallback<_latentgan_v1_CancelTrainJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Ask a training job to stop; it stops within seconds and keeps its last checkpoint.
   */
  cancelTrainJob(argument: _latentgan_v1_CancelTrainJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_CancelTrainJobResponse__Output>): grpc.ClientUnaryCall;
  cancelTrainJob(argument: _latentgan_v1_CancelTrainJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_CancelTrainJobResponse__Output>): grpc.ClientUnaryCall;
  cancelTrainJob(argument: _latentgan_v1_CancelTrainJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_CancelTrainJobResponse__Output>): grpc.ClientUnaryCall;
  cancelTrainJob(argument: _latentgan_v1_CancelTrainJobRequest, callback: grpc.requestCallback<_latentgan_v1_CancelTrainJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Fill in the unknown pixels of an image from the latent space (inpainting): k completions,
   * best first, the known pixels kept exactly.
   */
  Complete(argument: _latentgan_v1_CompleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_CompleteResponse__Output>): grpc.ClientUnaryCall;
  Complete(argument: _latentgan_v1_CompleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_CompleteResponse__Output>): grpc.ClientUnaryCall;
  Complete(argument: _latentgan_v1_CompleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_CompleteResponse__Output>): grpc.ClientUnaryCall;
  Complete(argument: _latentgan_v1_CompleteRequest, callback: grpc.requestCallback<_latentgan_v1_CompleteResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Fill in the unknown pixels of an image from the latent space (inpainting): k completions,
   * best first, the known pixels kept exactly.
   */
  complete(argument: _latentgan_v1_CompleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_CompleteResponse__Output>): grpc.ClientUnaryCall;
  complete(argument: _latentgan_v1_CompleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_CompleteResponse__Output>): grpc.ClientUnaryCall;
  complete(argument: _latentgan_v1_CompleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_CompleteResponse__Output>): grpc.ClientUnaryCall;
  complete(argument: _latentgan_v1_CompleteRequest, callback: grpc.requestCallback<_latentgan_v1_CompleteResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Compute a set of directions for a model version and store it beside the version; a set
   * computed before (the same method and parameters) is returned as it is, never recomputed.
   */
  ComputeDirections(argument: _latentgan_v1_ComputeDirectionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ComputeDirectionsResponse__Output>): grpc.ClientUnaryCall;
  ComputeDirections(argument: _latentgan_v1_ComputeDirectionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_ComputeDirectionsResponse__Output>): grpc.ClientUnaryCall;
  ComputeDirections(argument: _latentgan_v1_ComputeDirectionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ComputeDirectionsResponse__Output>): grpc.ClientUnaryCall;
  ComputeDirections(argument: _latentgan_v1_ComputeDirectionsRequest, callback: grpc.requestCallback<_latentgan_v1_ComputeDirectionsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Compute a set of directions for a model version and store it beside the version; a set
   * computed before (the same method and parameters) is returned as it is, never recomputed.
   */
  computeDirections(argument: _latentgan_v1_ComputeDirectionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ComputeDirectionsResponse__Output>): grpc.ClientUnaryCall;
  computeDirections(argument: _latentgan_v1_ComputeDirectionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_ComputeDirectionsResponse__Output>): grpc.ClientUnaryCall;
  computeDirections(argument: _latentgan_v1_ComputeDirectionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ComputeDirectionsResponse__Output>): grpc.ClientUnaryCall;
  computeDirections(argument: _latentgan_v1_ComputeDirectionsRequest, callback: grpc.requestCallback<_latentgan_v1_ComputeDirectionsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Latents moved along a direction: a grid with a row per latent and a column per strength.
   */
  Edit(argument: _latentgan_v1_EditRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_EditResponse__Output>): grpc.ClientUnaryCall;
  Edit(argument: _latentgan_v1_EditRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_EditResponse__Output>): grpc.ClientUnaryCall;
  Edit(argument: _latentgan_v1_EditRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_EditResponse__Output>): grpc.ClientUnaryCall;
  Edit(argument: _latentgan_v1_EditRequest, callback: grpc.requestCallback<_latentgan_v1_EditResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Latents moved along a direction: a grid with a row per latent and a column per strength.
   */
  edit(argument: _latentgan_v1_EditRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_EditResponse__Output>): grpc.ClientUnaryCall;
  edit(argument: _latentgan_v1_EditRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_EditResponse__Output>): grpc.ClientUnaryCall;
  edit(argument: _latentgan_v1_EditRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_EditResponse__Output>): grpc.ClientUnaryCall;
  edit(argument: _latentgan_v1_EditRequest, callback: grpc.requestCallback<_latentgan_v1_EditResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * One model version: its manifest and metrics.
   */
  GetModel(argument: _latentgan_v1_GetModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _latentgan_v1_GetModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _latentgan_v1_GetModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _latentgan_v1_GetModelRequest, callback: grpc.requestCallback<_latentgan_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  /**
   * One model version: its manifest and metrics.
   */
  getModel(argument: _latentgan_v1_GetModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _latentgan_v1_GetModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _latentgan_v1_GetModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _latentgan_v1_GetModelRequest, callback: grpc.requestCallback<_latentgan_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The current state of a training job.
   */
  GetTrainJob(argument: _latentgan_v1_GetTrainJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_GetTrainJobResponse__Output>): grpc.ClientUnaryCall;
  GetTrainJob(argument: _latentgan_v1_GetTrainJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_GetTrainJobResponse__Output>): grpc.ClientUnaryCall;
  GetTrainJob(argument: _latentgan_v1_GetTrainJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_GetTrainJobResponse__Output>): grpc.ClientUnaryCall;
  GetTrainJob(argument: _latentgan_v1_GetTrainJobRequest, callback: grpc.requestCallback<_latentgan_v1_GetTrainJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The current state of a training job.
   */
  getTrainJob(argument: _latentgan_v1_GetTrainJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_GetTrainJobResponse__Output>): grpc.ClientUnaryCall;
  getTrainJob(argument: _latentgan_v1_GetTrainJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_GetTrainJobResponse__Output>): grpc.ClientUnaryCall;
  getTrainJob(argument: _latentgan_v1_GetTrainJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_GetTrainJobResponse__Output>): grpc.ClientUnaryCall;
  getTrainJob(argument: _latentgan_v1_GetTrainJobRequest, callback: grpc.requestCallback<_latentgan_v1_GetTrainJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Frames walking between two latent points or two classes.
   */
  Interpolate(argument: _latentgan_v1_InterpolateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_InterpolateResponse__Output>): grpc.ClientUnaryCall;
  Interpolate(argument: _latentgan_v1_InterpolateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_InterpolateResponse__Output>): grpc.ClientUnaryCall;
  Interpolate(argument: _latentgan_v1_InterpolateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_InterpolateResponse__Output>): grpc.ClientUnaryCall;
  Interpolate(argument: _latentgan_v1_InterpolateRequest, callback: grpc.requestCallback<_latentgan_v1_InterpolateResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Frames walking between two latent points or two classes.
   */
  interpolate(argument: _latentgan_v1_InterpolateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_InterpolateResponse__Output>): grpc.ClientUnaryCall;
  interpolate(argument: _latentgan_v1_InterpolateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_InterpolateResponse__Output>): grpc.ClientUnaryCall;
  interpolate(argument: _latentgan_v1_InterpolateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_InterpolateResponse__Output>): grpc.ClientUnaryCall;
  interpolate(argument: _latentgan_v1_InterpolateRequest, callback: grpc.requestCallback<_latentgan_v1_InterpolateResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A model version's stored latent directions, with their scores.
   */
  ListDirections(argument: _latentgan_v1_ListDirectionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ListDirectionsResponse__Output>): grpc.ClientUnaryCall;
  ListDirections(argument: _latentgan_v1_ListDirectionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_ListDirectionsResponse__Output>): grpc.ClientUnaryCall;
  ListDirections(argument: _latentgan_v1_ListDirectionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ListDirectionsResponse__Output>): grpc.ClientUnaryCall;
  ListDirections(argument: _latentgan_v1_ListDirectionsRequest, callback: grpc.requestCallback<_latentgan_v1_ListDirectionsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A model version's stored latent directions, with their scores.
   */
  listDirections(argument: _latentgan_v1_ListDirectionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ListDirectionsResponse__Output>): grpc.ClientUnaryCall;
  listDirections(argument: _latentgan_v1_ListDirectionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_ListDirectionsResponse__Output>): grpc.ClientUnaryCall;
  listDirections(argument: _latentgan_v1_ListDirectionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ListDirectionsResponse__Output>): grpc.ClientUnaryCall;
  listDirections(argument: _latentgan_v1_ListDirectionsRequest, callback: grpc.requestCallback<_latentgan_v1_ListDirectionsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Every registered model version, optionally only those of one name.
   */
  ListModels(argument: _latentgan_v1_ListModelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _latentgan_v1_ListModelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _latentgan_v1_ListModelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _latentgan_v1_ListModelsRequest, callback: grpc.requestCallback<_latentgan_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Every registered model version, optionally only those of one name.
   */
  listModels(argument: _latentgan_v1_ListModelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _latentgan_v1_ListModelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _latentgan_v1_ListModelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _latentgan_v1_ListModelsRequest, callback: grpc.requestCallback<_latentgan_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Recent training jobs, newest first, optionally only those of one model name.
   */
  ListTrainJobs(argument: _latentgan_v1_ListTrainJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ListTrainJobsResponse__Output>): grpc.ClientUnaryCall;
  ListTrainJobs(argument: _latentgan_v1_ListTrainJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_ListTrainJobsResponse__Output>): grpc.ClientUnaryCall;
  ListTrainJobs(argument: _latentgan_v1_ListTrainJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ListTrainJobsResponse__Output>): grpc.ClientUnaryCall;
  ListTrainJobs(argument: _latentgan_v1_ListTrainJobsRequest, callback: grpc.requestCallback<_latentgan_v1_ListTrainJobsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Recent training jobs, newest first, optionally only those of one model name.
   */
  listTrainJobs(argument: _latentgan_v1_ListTrainJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ListTrainJobsResponse__Output>): grpc.ClientUnaryCall;
  listTrainJobs(argument: _latentgan_v1_ListTrainJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_ListTrainJobsResponse__Output>): grpc.ClientUnaryCall;
  listTrainJobs(argument: _latentgan_v1_ListTrainJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ListTrainJobsResponse__Output>): grpc.ClientUnaryCall;
  listTrainJobs(argument: _latentgan_v1_ListTrainJobsRequest, callback: grpc.requestCallback<_latentgan_v1_ListTrainJobsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Real images into the latent space: latents that reproduce them (ready for Sample, Interpolate
   * or Edit), with the reconstructions and their distances.
   */
  Project(argument: _latentgan_v1_ProjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ProjectResponse__Output>): grpc.ClientUnaryCall;
  Project(argument: _latentgan_v1_ProjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_ProjectResponse__Output>): grpc.ClientUnaryCall;
  Project(argument: _latentgan_v1_ProjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ProjectResponse__Output>): grpc.ClientUnaryCall;
  Project(argument: _latentgan_v1_ProjectRequest, callback: grpc.requestCallback<_latentgan_v1_ProjectResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Real images into the latent space: latents that reproduce them (ready for Sample, Interpolate
   * or Edit), with the reconstructions and their distances.
   */
  project(argument: _latentgan_v1_ProjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ProjectResponse__Output>): grpc.ClientUnaryCall;
  project(argument: _latentgan_v1_ProjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_ProjectResponse__Output>): grpc.ClientUnaryCall;
  project(argument: _latentgan_v1_ProjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_ProjectResponse__Output>): grpc.ClientUnaryCall;
  project(argument: _latentgan_v1_ProjectRequest, callback: grpc.requestCallback<_latentgan_v1_ProjectResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Images from a model's latent space, by seed or by explicit latent vectors.
   */
  Sample(argument: _latentgan_v1_SampleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_SampleResponse__Output>): grpc.ClientUnaryCall;
  Sample(argument: _latentgan_v1_SampleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_SampleResponse__Output>): grpc.ClientUnaryCall;
  Sample(argument: _latentgan_v1_SampleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_SampleResponse__Output>): grpc.ClientUnaryCall;
  Sample(argument: _latentgan_v1_SampleRequest, callback: grpc.requestCallback<_latentgan_v1_SampleResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Images from a model's latent space, by seed or by explicit latent vectors.
   */
  sample(argument: _latentgan_v1_SampleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_SampleResponse__Output>): grpc.ClientUnaryCall;
  sample(argument: _latentgan_v1_SampleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_SampleResponse__Output>): grpc.ClientUnaryCall;
  sample(argument: _latentgan_v1_SampleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_SampleResponse__Output>): grpc.ClientUnaryCall;
  sample(argument: _latentgan_v1_SampleRequest, callback: grpc.requestCallback<_latentgan_v1_SampleResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Start a training job. Returns at once with the queued job; a repeated call with the same
   * request_id returns the same job instead of starting another.
   */
  Train(argument: _latentgan_v1_TrainRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_TrainResponse__Output>): grpc.ClientUnaryCall;
  Train(argument: _latentgan_v1_TrainRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_TrainResponse__Output>): grpc.ClientUnaryCall;
  Train(argument: _latentgan_v1_TrainRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_TrainResponse__Output>): grpc.ClientUnaryCall;
  Train(argument: _latentgan_v1_TrainRequest, callback: grpc.requestCallback<_latentgan_v1_TrainResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Start a training job. Returns at once with the queued job; a repeated call with the same
   * request_id returns the same job instead of starting another.
   */
  train(argument: _latentgan_v1_TrainRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_TrainResponse__Output>): grpc.ClientUnaryCall;
  train(argument: _latentgan_v1_TrainRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_latentgan_v1_TrainResponse__Output>): grpc.ClientUnaryCall;
  train(argument: _latentgan_v1_TrainRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_latentgan_v1_TrainResponse__Output>): grpc.ClientUnaryCall;
  train(argument: _latentgan_v1_TrainRequest, callback: grpc.requestCallback<_latentgan_v1_TrainResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Progress events of a training job as they happen, ending when the job finishes.
   */
  WatchTrainJob(argument: _latentgan_v1_WatchTrainJobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_latentgan_v1_WatchTrainJobResponse__Output>;
  WatchTrainJob(argument: _latentgan_v1_WatchTrainJobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_latentgan_v1_WatchTrainJobResponse__Output>;
  /**
   * Progress events of a training job as they happen, ending when the job finishes.
   */
  watchTrainJob(argument: _latentgan_v1_WatchTrainJobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_latentgan_v1_WatchTrainJobResponse__Output>;
  watchTrainJob(argument: _latentgan_v1_WatchTrainJobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_latentgan_v1_WatchTrainJobResponse__Output>;
  
}

/**
 * The latentgan service: training jobs, the model registry, and generation.
 */
export interface LatentGanHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Ask a training job to stop; it stops within seconds and keeps its last checkpoint.
   */
  CancelTrainJob: grpc.handleUnaryCall<_latentgan_v1_CancelTrainJobRequest__Output, _latentgan_v1_CancelTrainJobResponse>;
  
  /**
   * Fill in the unknown pixels of an image from the latent space (inpainting): k completions,
   * best first, the known pixels kept exactly.
   */
  Complete: grpc.handleUnaryCall<_latentgan_v1_CompleteRequest__Output, _latentgan_v1_CompleteResponse>;
  
  /**
   * Compute a set of directions for a model version and store it beside the version; a set
   * computed before (the same method and parameters) is returned as it is, never recomputed.
   */
  ComputeDirections: grpc.handleUnaryCall<_latentgan_v1_ComputeDirectionsRequest__Output, _latentgan_v1_ComputeDirectionsResponse>;
  
  /**
   * Latents moved along a direction: a grid with a row per latent and a column per strength.
   */
  Edit: grpc.handleUnaryCall<_latentgan_v1_EditRequest__Output, _latentgan_v1_EditResponse>;
  
  /**
   * One model version: its manifest and metrics.
   */
  GetModel: grpc.handleUnaryCall<_latentgan_v1_GetModelRequest__Output, _latentgan_v1_GetModelResponse>;
  
  /**
   * The current state of a training job.
   */
  GetTrainJob: grpc.handleUnaryCall<_latentgan_v1_GetTrainJobRequest__Output, _latentgan_v1_GetTrainJobResponse>;
  
  /**
   * Frames walking between two latent points or two classes.
   */
  Interpolate: grpc.handleUnaryCall<_latentgan_v1_InterpolateRequest__Output, _latentgan_v1_InterpolateResponse>;
  
  /**
   * A model version's stored latent directions, with their scores.
   */
  ListDirections: grpc.handleUnaryCall<_latentgan_v1_ListDirectionsRequest__Output, _latentgan_v1_ListDirectionsResponse>;
  
  /**
   * Every registered model version, optionally only those of one name.
   */
  ListModels: grpc.handleUnaryCall<_latentgan_v1_ListModelsRequest__Output, _latentgan_v1_ListModelsResponse>;
  
  /**
   * Recent training jobs, newest first, optionally only those of one model name.
   */
  ListTrainJobs: grpc.handleUnaryCall<_latentgan_v1_ListTrainJobsRequest__Output, _latentgan_v1_ListTrainJobsResponse>;
  
  /**
   * Real images into the latent space: latents that reproduce them (ready for Sample, Interpolate
   * or Edit), with the reconstructions and their distances.
   */
  Project: grpc.handleUnaryCall<_latentgan_v1_ProjectRequest__Output, _latentgan_v1_ProjectResponse>;
  
  /**
   * Images from a model's latent space, by seed or by explicit latent vectors.
   */
  Sample: grpc.handleUnaryCall<_latentgan_v1_SampleRequest__Output, _latentgan_v1_SampleResponse>;
  
  /**
   * Start a training job. Returns at once with the queued job; a repeated call with the same
   * request_id returns the same job instead of starting another.
   */
  Train: grpc.handleUnaryCall<_latentgan_v1_TrainRequest__Output, _latentgan_v1_TrainResponse>;
  
  /**
   * Progress events of a training job as they happen, ending when the job finishes.
   */
  WatchTrainJob: grpc.handleServerStreamingCall<_latentgan_v1_WatchTrainJobRequest__Output, _latentgan_v1_WatchTrainJobResponse>;
  
}

export interface LatentGanDefinition extends grpc.ServiceDefinition {
  CancelTrainJob: MethodDefinition<_latentgan_v1_CancelTrainJobRequest, _latentgan_v1_CancelTrainJobResponse, _latentgan_v1_CancelTrainJobRequest__Output, _latentgan_v1_CancelTrainJobResponse__Output>
  Complete: MethodDefinition<_latentgan_v1_CompleteRequest, _latentgan_v1_CompleteResponse, _latentgan_v1_CompleteRequest__Output, _latentgan_v1_CompleteResponse__Output>
  ComputeDirections: MethodDefinition<_latentgan_v1_ComputeDirectionsRequest, _latentgan_v1_ComputeDirectionsResponse, _latentgan_v1_ComputeDirectionsRequest__Output, _latentgan_v1_ComputeDirectionsResponse__Output>
  Edit: MethodDefinition<_latentgan_v1_EditRequest, _latentgan_v1_EditResponse, _latentgan_v1_EditRequest__Output, _latentgan_v1_EditResponse__Output>
  GetModel: MethodDefinition<_latentgan_v1_GetModelRequest, _latentgan_v1_GetModelResponse, _latentgan_v1_GetModelRequest__Output, _latentgan_v1_GetModelResponse__Output>
  GetTrainJob: MethodDefinition<_latentgan_v1_GetTrainJobRequest, _latentgan_v1_GetTrainJobResponse, _latentgan_v1_GetTrainJobRequest__Output, _latentgan_v1_GetTrainJobResponse__Output>
  Interpolate: MethodDefinition<_latentgan_v1_InterpolateRequest, _latentgan_v1_InterpolateResponse, _latentgan_v1_InterpolateRequest__Output, _latentgan_v1_InterpolateResponse__Output>
  ListDirections: MethodDefinition<_latentgan_v1_ListDirectionsRequest, _latentgan_v1_ListDirectionsResponse, _latentgan_v1_ListDirectionsRequest__Output, _latentgan_v1_ListDirectionsResponse__Output>
  ListModels: MethodDefinition<_latentgan_v1_ListModelsRequest, _latentgan_v1_ListModelsResponse, _latentgan_v1_ListModelsRequest__Output, _latentgan_v1_ListModelsResponse__Output>
  ListTrainJobs: MethodDefinition<_latentgan_v1_ListTrainJobsRequest, _latentgan_v1_ListTrainJobsResponse, _latentgan_v1_ListTrainJobsRequest__Output, _latentgan_v1_ListTrainJobsResponse__Output>
  Project: MethodDefinition<_latentgan_v1_ProjectRequest, _latentgan_v1_ProjectResponse, _latentgan_v1_ProjectRequest__Output, _latentgan_v1_ProjectResponse__Output>
  Sample: MethodDefinition<_latentgan_v1_SampleRequest, _latentgan_v1_SampleResponse, _latentgan_v1_SampleRequest__Output, _latentgan_v1_SampleResponse__Output>
  Train: MethodDefinition<_latentgan_v1_TrainRequest, _latentgan_v1_TrainResponse, _latentgan_v1_TrainRequest__Output, _latentgan_v1_TrainResponse__Output>
  WatchTrainJob: MethodDefinition<_latentgan_v1_WatchTrainJobRequest, _latentgan_v1_WatchTrainJobResponse, _latentgan_v1_WatchTrainJobRequest__Output, _latentgan_v1_WatchTrainJobResponse__Output>
}
