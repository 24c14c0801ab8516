import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.js';
import type { AttributeChange as _latentgan_v1_AttributeChange, AttributeChange__Output as _latentgan_v1_AttributeChange__Output } from './latentgan/v1/AttributeChange.js';
import type { CancelTrainJobRequest as _latentgan_v1_CancelTrainJobRequest, CancelTrainJobRequest__Output as _latentgan_v1_CancelTrainJobRequest__Output } from './latentgan/v1/CancelTrainJobRequest.js';
import type { CancelTrainJobResponse as _latentgan_v1_CancelTrainJobResponse, CancelTrainJobResponse__Output as _latentgan_v1_CancelTrainJobResponse__Output } from './latentgan/v1/CancelTrainJobResponse.js';
import type { CompleteRequest as _latentgan_v1_CompleteRequest, CompleteRequest__Output as _latentgan_v1_CompleteRequest__Output } from './latentgan/v1/CompleteRequest.js';
import type { CompleteResponse as _latentgan_v1_CompleteResponse, CompleteResponse__Output as _latentgan_v1_CompleteResponse__Output } from './latentgan/v1/CompleteResponse.js';
import type { ComputeDirectionsRequest as _latentgan_v1_ComputeDirectionsRequest, ComputeDirectionsRequest__Output as _latentgan_v1_ComputeDirectionsRequest__Output } from './latentgan/v1/ComputeDirectionsRequest.js';
import type { ComputeDirectionsResponse as _latentgan_v1_ComputeDirectionsResponse, ComputeDirectionsResponse__Output as _latentgan_v1_ComputeDirectionsResponse__Output } from './latentgan/v1/ComputeDirectionsResponse.js';
import type { Direction as _latentgan_v1_Direction, Direction__Output as _latentgan_v1_Direction__Output } from './latentgan/v1/Direction.js';
import type { DirectionMix as _latentgan_v1_DirectionMix, DirectionMix__Output as _latentgan_v1_DirectionMix__Output } from './latentgan/v1/DirectionMix.js';
import type { DirectionScore as _latentgan_v1_DirectionScore, DirectionScore__Output as _latentgan_v1_DirectionScore__Output } from './latentgan/v1/DirectionScore.js';
import type { DirectionSet as _latentgan_v1_DirectionSet, DirectionSet__Output as _latentgan_v1_DirectionSet__Output } from './latentgan/v1/DirectionSet.js';
import type { EditRequest as _latentgan_v1_EditRequest, EditRequest__Output as _latentgan_v1_EditRequest__Output } from './latentgan/v1/EditRequest.js';
import type { EditResponse as _latentgan_v1_EditResponse, EditResponse__Output as _latentgan_v1_EditResponse__Output } from './latentgan/v1/EditResponse.js';
import type { GetModelRequest as _latentgan_v1_GetModelRequest, GetModelRequest__Output as _latentgan_v1_GetModelRequest__Output } from './latentgan/v1/GetModelRequest.js';
import type { GetModelResponse as _latentgan_v1_GetModelResponse, GetModelResponse__Output as _latentgan_v1_GetModelResponse__Output } from './latentgan/v1/GetModelResponse.js';
import type { GetTrainJobRequest as _latentgan_v1_GetTrainJobRequest, GetTrainJobRequest__Output as _latentgan_v1_GetTrainJobRequest__Output } from './latentgan/v1/GetTrainJobRequest.js';
import type { GetTrainJobResponse as _latentgan_v1_GetTrainJobResponse, GetTrainJobResponse__Output as _latentgan_v1_GetTrainJobResponse__Output } from './latentgan/v1/GetTrainJobResponse.js';
import type { ImageBatch as _latentgan_v1_ImageBatch, ImageBatch__Output as _latentgan_v1_ImageBatch__Output } from './latentgan/v1/ImageBatch.js';
import type { InterpolateRequest as _latentgan_v1_InterpolateRequest, InterpolateRequest__Output as _latentgan_v1_InterpolateRequest__Output } from './latentgan/v1/InterpolateRequest.js';
import type { InterpolateResponse as _latentgan_v1_InterpolateResponse, InterpolateResponse__Output as _latentgan_v1_InterpolateResponse__Output } from './latentgan/v1/InterpolateResponse.js';
import type { InterpolationEndpoint as _latentgan_v1_InterpolationEndpoint, InterpolationEndpoint__Output as _latentgan_v1_InterpolationEndpoint__Output } from './latentgan/v1/InterpolationEndpoint.js';
import type { LatentArithmetic as _latentgan_v1_LatentArithmetic, LatentArithmetic__Output as _latentgan_v1_LatentArithmetic__Output } from './latentgan/v1/LatentArithmetic.js';
import type { LatentBatch as _latentgan_v1_LatentBatch, LatentBatch__Output as _latentgan_v1_LatentBatch__Output } from './latentgan/v1/LatentBatch.js';
import type { LatentGanClient as _latentgan_v1_LatentGanClient, LatentGanDefinition as _latentgan_v1_LatentGanDefinition } from './latentgan/v1/LatentGan.js';
import type { ListDirectionsRequest as _latentgan_v1_ListDirectionsRequest, ListDirectionsRequest__Output as _latentgan_v1_ListDirectionsRequest__Output } from './latentgan/v1/ListDirectionsRequest.js';
import type { ListDirectionsResponse as _latentgan_v1_ListDirectionsResponse, ListDirectionsResponse__Output as _latentgan_v1_ListDirectionsResponse__Output } from './latentgan/v1/ListDirectionsResponse.js';
import type { ListModelsRequest as _latentgan_v1_ListModelsRequest, ListModelsRequest__Output as _latentgan_v1_ListModelsRequest__Output } from './latentgan/v1/ListModelsRequest.js';
import type { ListModelsResponse as _latentgan_v1_ListModelsResponse, ListModelsResponse__Output as _latentgan_v1_ListModelsResponse__Output } from './latentgan/v1/ListModelsResponse.js';
import type { ListTrainJobsRequest as _latentgan_v1_ListTrainJobsRequest, ListTrainJobsRequest__Output as _latentgan_v1_ListTrainJobsRequest__Output } from './latentgan/v1/ListTrainJobsRequest.js';
import type { ListTrainJobsResponse as _latentgan_v1_ListTrainJobsResponse, ListTrainJobsResponse__Output as _latentgan_v1_ListTrainJobsResponse__Output } from './latentgan/v1/ListTrainJobsResponse.js';
import type { ModelVersion as _latentgan_v1_ModelVersion, ModelVersion__Output as _latentgan_v1_ModelVersion__Output } from './latentgan/v1/ModelVersion.js';
import type { ProjectRequest as _latentgan_v1_ProjectRequest, ProjectRequest__Output as _latentgan_v1_ProjectRequest__Output } from './latentgan/v1/ProjectRequest.js';
import type { ProjectResponse as _latentgan_v1_ProjectResponse, ProjectResponse__Output as _latentgan_v1_ProjectResponse__Output } from './latentgan/v1/ProjectResponse.js';
import type { SampleRequest as _latentgan_v1_SampleRequest, SampleRequest__Output as _latentgan_v1_SampleRequest__Output } from './latentgan/v1/SampleRequest.js';
import type { SampleResponse as _latentgan_v1_SampleResponse, SampleResponse__Output as _latentgan_v1_SampleResponse__Output } from './latentgan/v1/SampleResponse.js';
import type { TrainJob as _latentgan_v1_TrainJob, TrainJob__Output as _latentgan_v1_TrainJob__Output } from './latentgan/v1/TrainJob.js';
import type { TrainRequest as _latentgan_v1_TrainRequest, TrainRequest__Output as _latentgan_v1_TrainRequest__Output } from './latentgan/v1/TrainRequest.js';
import type { TrainResponse as _latentgan_v1_TrainResponse, TrainResponse__Output as _latentgan_v1_TrainResponse__Output } from './latentgan/v1/TrainResponse.js';
import type { WatchTrainJobRequest as _latentgan_v1_WatchTrainJobRequest, WatchTrainJobRequest__Output as _latentgan_v1_WatchTrainJobRequest__Output } from './latentgan/v1/WatchTrainJobRequest.js';
import type { WatchTrainJobResponse as _latentgan_v1_WatchTrainJobResponse, WatchTrainJobResponse__Output as _latentgan_v1_WatchTrainJobResponse__Output } from './latentgan/v1/WatchTrainJobResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  latentgan: {
    v1: {
      AttributeChange: MessageTypeDefinition<_latentgan_v1_AttributeChange, _latentgan_v1_AttributeChange__Output>
      CancelTrainJobRequest: MessageTypeDefinition<_latentgan_v1_CancelTrainJobRequest, _latentgan_v1_CancelTrainJobRequest__Output>
      CancelTrainJobResponse: MessageTypeDefinition<_latentgan_v1_CancelTrainJobResponse, _latentgan_v1_CancelTrainJobResponse__Output>
      CompleteRequest: MessageTypeDefinition<_latentgan_v1_CompleteRequest, _latentgan_v1_CompleteRequest__Output>
      CompleteResponse: MessageTypeDefinition<_latentgan_v1_CompleteResponse, _latentgan_v1_CompleteResponse__Output>
      ComputeDirectionsRequest: MessageTypeDefinition<_latentgan_v1_ComputeDirectionsRequest, _latentgan_v1_ComputeDirectionsRequest__Output>
      ComputeDirectionsResponse: MessageTypeDefinition<_latentgan_v1_ComputeDirectionsResponse, _latentgan_v1_ComputeDirectionsResponse__Output>
      Direction: MessageTypeDefinition<_latentgan_v1_Direction, _latentgan_v1_Direction__Output>
      DirectionMethod: EnumTypeDefinition
      DirectionMix: MessageTypeDefinition<_latentgan_v1_DirectionMix, _latentgan_v1_DirectionMix__Output>
      DirectionScore: MessageTypeDefinition<_latentgan_v1_DirectionScore, _latentgan_v1_DirectionScore__Output>
      DirectionSet: MessageTypeDefinition<_latentgan_v1_DirectionSet, _latentgan_v1_DirectionSet__Output>
      EditRequest: MessageTypeDefinition<_latentgan_v1_EditRequest, _latentgan_v1_EditRequest__Output>
      EditResponse: MessageTypeDefinition<_latentgan_v1_EditResponse, _latentgan_v1_EditResponse__Output>
      GetModelRequest: MessageTypeDefinition<_latentgan_v1_GetModelRequest, _latentgan_v1_GetModelRequest__Output>
      GetModelResponse: MessageTypeDefinition<_latentgan_v1_GetModelResponse, _latentgan_v1_GetModelResponse__Output>
      GetTrainJobRequest: MessageTypeDefinition<_latentgan_v1_GetTrainJobRequest, _latentgan_v1_GetTrainJobRequest__Output>
      GetTrainJobResponse: MessageTypeDefinition<_latentgan_v1_GetTrainJobResponse, _latentgan_v1_GetTrainJobResponse__Output>
      ImageBatch: MessageTypeDefinition<_latentgan_v1_ImageBatch, _latentgan_v1_ImageBatch__Output>
      ImageEncoding: EnumTypeDefinition
      InterpolateRequest: MessageTypeDefinition<_latentgan_v1_InterpolateRequest, _latentgan_v1_InterpolateRequest__Output>
      InterpolateResponse: MessageTypeDefinition<_latentgan_v1_InterpolateResponse, _latentgan_v1_InterpolateResponse__Output>
      InterpolationEndpoint: MessageTypeDefinition<_latentgan_v1_InterpolationEndpoint, _latentgan_v1_InterpolationEndpoint__Output>
      InterpolationMethod: EnumTypeDefinition
      JobState: EnumTypeDefinition
      LatentArithmetic: MessageTypeDefinition<_latentgan_v1_LatentArithmetic, _latentgan_v1_LatentArithmetic__Output>
      LatentBatch: MessageTypeDefinition<_latentgan_v1_LatentBatch, _latentgan_v1_LatentBatch__Output>
      /**
       * The latentgan service: training jobs, the model registry, and generation.
       */
      LatentGan: SubtypeConstructor<typeof grpc.Client, _latentgan_v1_LatentGanClient> & { service: _latentgan_v1_LatentGanDefinition }
      ListDirectionsRequest: MessageTypeDefinition<_latentgan_v1_ListDirectionsRequest, _latentgan_v1_ListDirectionsRequest__Output>
      ListDirectionsResponse: MessageTypeDefinition<_latentgan_v1_ListDirectionsResponse, _latentgan_v1_ListDirectionsResponse__Output>
      ListModelsRequest: MessageTypeDefinition<_latentgan_v1_ListModelsRequest, _latentgan_v1_ListModelsRequest__Output>
      ListModelsResponse: MessageTypeDefinition<_latentgan_v1_ListModelsResponse, _latentgan_v1_ListModelsResponse__Output>
      ListTrainJobsRequest: MessageTypeDefinition<_latentgan_v1_ListTrainJobsRequest, _latentgan_v1_ListTrainJobsRequest__Output>
      ListTrainJobsResponse: MessageTypeDefinition<_latentgan_v1_ListTrainJobsResponse, _latentgan_v1_ListTrainJobsResponse__Output>
      Loss: EnumTypeDefinition
      ModelVersion: MessageTypeDefinition<_latentgan_v1_ModelVersion, _latentgan_v1_ModelVersion__Output>
      ProjectRequest: MessageTypeDefinition<_latentgan_v1_ProjectRequest, _latentgan_v1_ProjectRequest__Output>
      ProjectResponse: MessageTypeDefinition<_latentgan_v1_ProjectResponse, _latentgan_v1_ProjectResponse__Output>
      ProjectionMethod: EnumTypeDefinition
      SampleRequest: MessageTypeDefinition<_latentgan_v1_SampleRequest, _latentgan_v1_SampleRequest__Output>
      SampleResponse: MessageTypeDefinition<_latentgan_v1_SampleResponse, _latentgan_v1_SampleResponse__Output>
      TrainJob: MessageTypeDefinition<_latentgan_v1_TrainJob, _latentgan_v1_TrainJob__Output>
      TrainRequest: MessageTypeDefinition<_latentgan_v1_TrainRequest, _latentgan_v1_TrainRequest__Output>
      TrainResponse: MessageTypeDefinition<_latentgan_v1_TrainResponse, _latentgan_v1_TrainResponse__Output>
      WatchTrainJobRequest: MessageTypeDefinition<_latentgan_v1_WatchTrainJobRequest, _latentgan_v1_WatchTrainJobRequest__Output>
      WatchTrainJobResponse: MessageTypeDefinition<_latentgan_v1_WatchTrainJobResponse, _latentgan_v1_WatchTrainJobResponse__Output>
    }
  }
}

