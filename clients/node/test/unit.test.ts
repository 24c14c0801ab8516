// Client behaviour against an in-process fake LatentGan server (no Python needed):
// request mapping, bearer token, image decoding, error trailers, server streaming, and retries
// as the shared service config (protos/latentgan/v1/service_config.json) says.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import {
  LatentGanClient, LatentGanError, LOADER_OPTIONS, MAX_RETRIES, decodeStatusDetails, defaultProtoDir,
  encodeBadRequestStatus, loadServiceConfig, type ClientOptions, type TrainEvent,
} from '../src/index.js';
import type { ProtoGrpcType } from '../src/generated/latentgan.js';
import type { LatentGanHandlers } from '../src/generated/latentgan/v1/LatentGan.js';
import type { SampleRequest__Output } from '../src/generated/latentgan/v1/SampleRequest.js';
import type { InterpolateRequest__Output } from '../src/generated/latentgan/v1/InterpolateRequest.js';
import type { TrainRequest__Output } from '../src/generated/latentgan/v1/TrainRequest.js';
import type { ListTrainJobsRequest__Output } from '../src/generated/latentgan/v1/ListTrainJobsRequest.js';
import type { TrainJob } from '../src/generated/latentgan/v1/TrainJob.js';

function badRequest(field: string, description: string): Partial<grpc.StatusObject> {
  const md = new grpc.Metadata();
  md.set('grpc-status-details-bin', encodeBadRequestStatus(grpc.status.INVALID_ARGUMENT, description, [{ field, description }]));
  return { code: grpc.status.INVALID_ARGUMENT, details: description, metadata: md };
}

const job = (state: TrainJob['state'], step: number): TrainJob => ({
  id: 'job-1', requestId: 'r1', state, name: 'tiny', dataset: 'digits', step: String(step), totalSteps: '20',
  createTime: { seconds: '1700000000', nanos: 500_000_000 },
});

describe('LatentGanClient against a fake server', () => {
  let server: grpc.Server;
  let client: LatentGanClient;
  let lastSample: SampleRequest__Output | undefined;
  let lastInterp: InterpolateRequest__Output | undefined;
  let lastTrain: TrainRequest__Output | undefined;
  let lastListJobs: ListTrainJobsRequest__Output | undefined;
  let lastAuth: grpc.MetadataValue[] = [];
  let address = '';
  // GetModel('flaky') fails UNAVAILABLE `failures` times, then answers; `attempts` counts calls.
  const flaky = { failures: 0, attempts: 0 };

  before(async () => {
    const def = protoLoader.loadSync('latentgan/v1/latentgan.proto', { ...LOADER_OPTIONS, includeDirs: [defaultProtoDir()] });
    const pkg = grpc.loadPackageDefinition(def) as unknown as ProtoGrpcType;
    const handlers: LatentGanHandlers = {
      ListModels: (call, cb) => {
        lastAuth = call.metadata.get('authorization');
        cb(null, {
          models: [{
            name: 'tiny', version: 1, dataset: 'digits', imageShape: [8, 8, 1], latentDim: 100, loss: 'ns',
            metrics: { fd: 299.5 }, createTime: { seconds: '1700000000', nanos: 0 },
          }],
        });
      },
      GetModel: (call, cb) => {
        if (call.request.model === 'flaky') {
          flaky.attempts += 1;
          if (flaky.attempts <= flaky.failures) return cb({ code: grpc.status.UNAVAILABLE, details: 'briefly down' });
          return cb(null, { model: { name: 'flaky', version: 1 }, versions: [1] });
        }
        if (call.request.model !== 'tiny') return cb({ code: grpc.status.NOT_FOUND, details: `no model ${call.request.model}` });
        cb(null, { model: { name: 'tiny', version: 1 }, versions: [1] });
      },
      Sample: (call, cb) => {
        lastSample = call.request;
        const n = call.request.n;
        if (n === 0) return cb(badRequest('n', 'n must be between 1 and 256'));
        const data = Buffer.alloc(n * 8 * 8 * 1);
        for (let i = 0; i < data.length; i++) data[i] = (i * 7 + Number(call.request.seed ?? 0)) % 256;
        cb(null, { images: { shape: [n, 8, 8, 1], encoding: 'IMAGE_ENCODING_RAW', data }, model: 'tiny@1', labels: [] });
      },
      Interpolate: (call, cb) => {
        lastInterp = call.request;
        // Deliberately short data: the client must notice.
        cb(null, { frames: { shape: [call.request.steps, 8, 8, 1], data: Buffer.alloc(3) }, model: 'tiny@1' });
      },
      Train: (call, cb) => {
        lastTrain = call.request;
        cb(null, { job: job('JOB_STATE_QUEUED', 0) });
      },
      GetTrainJob: (call, cb) => {
        if (call.request.jobId !== 'job-1') return cb({ code: grpc.status.NOT_FOUND, details: 'no such job' });
        cb(null, { job: job('JOB_STATE_RUNNING', 5) });
      },
      CancelTrainJob: (_call, cb) => cb(null, { job: job('JOB_STATE_CANCELLED', 5) }),
      ListTrainJobs: (call, cb) => {
        lastListJobs = call.request;
        cb(null, { jobs: [{ ...job('JOB_STATE_RUNNING', 5), id: 'job-2' }, { ...job('JOB_STATE_SUCCEEDED', 20), model: 'tiny@1' }] });
      },
      WatchTrainJob: (call) => {
        if (call.request.jobId !== 'job-1') {
          call.emit('error', { code: grpc.status.NOT_FOUND, details: 'no such job' });
          return;
        }
        call.write({ job: job('JOB_STATE_RUNNING', 10), step: '10', losses: { d: 0.5, g: 2 }, imagesPerSecond: 300 });
        call.write({
          job: job('JOB_STATE_RUNNING', 20), step: '20', losses: { d: 0.4, g: 2.1 },
          sampleGrid: { shape: [1, 2, 2, 1], data: Buffer.from([1, 2, 3, 4]) },
        });
        call.write({ job: { ...job('JOB_STATE_SUCCEEDED', 20), model: 'tiny@1' }, step: '20', metrics: { fd: 12 } });
        call.end();
      },
    };
    server = new grpc.Server();
    server.addService(pkg.latentgan.v1.LatentGan.service, handlers);
    const port = await new Promise<number>((res, rej) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
    address = `127.0.0.1:${port}`;
    client = new LatentGanClient(address, { token: 's3cret', timeoutMs: 5_000 });
  });

  after(() => {
    client?.close();
    server?.forceShutdown();
  });

  it('sends the bearer token and decodes models', async () => {
    const models = await client.listModels();
    assert.deepEqual(lastAuth, ['Bearer s3cret']);
    assert.equal(models.length, 1);
    assert.equal(models[0]!.name, 'tiny');
    assert.deepEqual(models[0]!.imageShape, [8, 8, 1]);
    assert.equal(models[0]!.metrics['fd'], 299.5);
    assert.equal(models[0]!.createTime?.toISOString(), '2023-11-14T22:13:20.000Z');
  });

  it('samples: maps the request and decodes raw images', async () => {
    const r = await client.sample({ model: 'tiny', n: 3, seed: 12345678901234567890n, truncation: 0.5 });
    assert.equal(lastSample?.seed, '12345678901234567890');
    assert.equal(lastSample?.source, 'seed');
    assert.ok(Math.abs((lastSample?.truncation ?? 0) - 0.5) < 1e-6);
    assert.deepEqual(r.images.shape, [3, 8, 8, 1]);
    assert.equal(r.images.data.length, 3 * 64);
    assert.ok(r.images.data instanceof Uint8Array);
    assert.equal(r.model, 'tiny@1');

    await client.sample({ model: 'tiny', n: 2, latents: { dim: 2, values: new Float32Array([1, 2, 3, 4]) } });
    assert.equal(lastSample?.source, 'latents');
    assert.deepEqual(lastSample?.latents?.values, [1, 2, 3, 4]);
    assert.equal(lastSample?.truncation, undefined);
  });

  it('rejects with INVALID_ARGUMENT and the offending field from the status details', async () => {
    await assert.rejects(client.sample({ model: 'tiny', n: 0, seed: 1 }), (err: unknown) => {
      assert.ok(err instanceof LatentGanError);
      assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
      assert.equal(err.codeName, 'INVALID_ARGUMENT');
      assert.equal(err.details, 'n must be between 1 and 256');
      assert.equal(err.field, 'n');
      assert.deepEqual(err.fieldViolations, [{ field: 'n', description: 'n must be between 1 and 256' }]);
      return true;
    });
  });

  it('rejects with NOT_FOUND', async () => {
    await assert.rejects(client.getModel('nope'), (err: unknown) =>
      err instanceof LatentGanError && err.codeName === 'NOT_FOUND' && err.field === undefined);
  });

  it('checks that raw image data matches its shape', async () => {
    await assert.rejects(client.interpolate({ model: 'tiny', seedA: 1, seedB: '2', steps: 4, method: 'lerp', labelA: 3 }),
      (err: unknown) => err instanceof LatentGanError && err.codeName === 'INTERNAL');
    assert.equal(lastInterp?.start?.seed, '1');
    assert.equal(lastInterp?.end?.seed, '2');
    assert.equal(lastInterp?.start?.label, 3);
    assert.equal(lastInterp?.end?.label, undefined);
    assert.equal(lastInterp?.method, 'INTERPOLATION_METHOD_LERP');
  });

  it('rejects bad seeds locally', async () => {
    await assert.rejects(client.sample({ model: 'tiny', n: 1, seed: -1 }), RangeError);
    await assert.rejects(client.sample({ model: 'tiny', n: 1, seed: 1.5 }), RangeError);
    await assert.rejects(client.sample({ model: 'tiny', n: 1, seed: 'abc' }), RangeError);
  });

  it('trains, gets, cancels and watches jobs', async () => {
    const j = await client.train({ dataset: 'digits', name: 'tiny', steps: 20, loss: 'hinge', options: { batch_size: 64, spectral_norm: true } });
    assert.equal(j.state, 'queued');
    assert.equal(lastTrain?.loss, 'LOSS_HINGE');
    assert.equal(lastTrain?.steps, 20);
    assert.equal(lastTrain?.epochs, undefined);
    assert.deepEqual(lastTrain?.options, { batch_size: '64', spectral_norm: 'true' });
    const g = await client.getJob('job-1');
    assert.equal(g.state, 'running');
    assert.equal(g.step, 5);
    assert.equal(g.totalSteps, 20);
    assert.equal((await client.cancel('job-1')).state, 'cancelled');

    const events: TrainEvent[] = [];
    for await (const e of client.watch('job-1')) events.push(e);
    assert.equal(events.length, 3);
    assert.equal(events[0]!.step, 10);
    assert.equal(events[0]!.losses['g'], 2);
    assert.deepEqual(events[1]!.sampleGrid?.shape, [1, 2, 2, 1]);
    assert.equal(events[0]!.sampleGrid, undefined);
    assert.equal(events[2]!.job.state, 'succeeded');
    assert.equal(events[2]!.job.model, 'tiny@1');

    await assert.rejects(async () => {
      for await (const _ of client.watch('nope')) { /* none */ }
    }, (err: unknown) => err instanceof LatentGanError && err.codeName === 'NOT_FOUND');

    // Breaking out early cancels the stream without throwing.
    for await (const e of client.watch('job-1')) { assert.equal(e.step, 10); break; }
  });

  it('keeps cancelJob and watchJob as aliases of cancel and watch', async () => {
    assert.equal((await client.cancelJob('job-1')).state, 'cancelled');
    const steps: number[] = [];
    for await (const e of client.watchJob('job-1')) steps.push(e.step);
    assert.deepEqual(steps, [10, 20, 20]);
  });

  for (const [retries, failures, answers, attempts] of [
    [undefined, 2, true, 3], // the service config's 3 attempts outlast two failures
    [undefined, 3, false, 3],
    [0, 1, false, 1],
    [1, 1, true, 2],
  ] as const) {
    it(`retries UNAVAILABLE as configured: retries ${retries ?? 'unset'}, ${failures} failures`, async () => {
      Object.assign(flaky, { failures, attempts: 0 });
      const options: ClientOptions = retries === undefined ? { timeoutMs: 10_000 } : { timeoutMs: 10_000, retries };
      const other = new LatentGanClient(address, options);
      try {
        const call = other.getModel('flaky');
        if (answers) assert.equal((await call).model.name, 'flaky');
        else await assert.rejects(call, (err: unknown) => err instanceof LatentGanError && err.codeName === 'UNAVAILABLE');
      } finally {
        other.close();
      }
      assert.equal(flaky.attempts, attempts);
    });
  }

  it('lists jobs, newest first, with name and limit', async () => {
    const jobs = await client.listJobs({ name: 'tiny', limit: 5 });
    assert.equal(lastListJobs?.name, 'tiny');
    assert.equal(lastListJobs?.limit, 5);
    assert.deepEqual(jobs.map((j) => [j.id, j.state, j.step]), [['job-2', 'running', 5], ['job-1', 'succeeded', 20]]);
    assert.equal(jobs[1]!.model, 'tiny@1');
    assert.equal(jobs[0]!.createTime?.toISOString(), '2023-11-14T22:13:20.500Z');
    await client.listJobs();
    assert.equal(lastListJobs?.name, '');
    assert.equal(lastListJobs?.limit, 20);
    await client.listJobs({ limit: 1000 });
    assert.equal(lastListJobs?.limit, 200);
    await assert.rejects(client.listJobs({ limit: -1 }), RangeError);
  });

  it('applies retries to the service config as the Python SDK does', () => {
    const attempts = (retries?: number) => loadServiceConfig(defaultProtoDir(), retries).methodConfig.map((m) => m.retryPolicy?.maxAttempts);
    const shipped = attempts();
    assert.ok(shipped.length > 0 && shipped.every((n) => n === 3), `maxAttempts ${JSON.stringify(shipped)}`);
    assert.deepEqual(attempts(0), shipped.map(() => undefined));
    assert.deepEqual(attempts(MAX_RETRIES), shipped.map(() => MAX_RETRIES + 1));
    const timeouts = loadServiceConfig(defaultProtoDir(), 0).methodConfig.map((m) => m.timeout);
    assert.deepEqual(timeouts, loadServiceConfig().methodConfig.map((m) => m.timeout));
    for (const bad of [-1, 1.5, MAX_RETRIES + 1]) {
      assert.throws(() => new LatentGanClient(address, { retries: bad }), RangeError);
    }
  });

  it('decodes a google.rpc.Status trailer', () => {
    const bytes = encodeBadRequestStatus(3, 'bad', [{ field: 'steps', description: 'too few' }, { field: 'model', description: 'empty' }]);
    const s = decodeStatusDetails(bytes);
    assert.equal(s.code, 3);
    assert.equal(s.message, 'bad');
    assert.deepEqual(s.detailTypes, ['type.googleapis.com/google.rpc.BadRequest']);
    assert.deepEqual(s.fieldViolations.map((v) => v.field), ['steps', 'model']);
  });
});
