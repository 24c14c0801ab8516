// Client behaviour against an in-process fake LatentGan server (no Python needed):
// request mapping, bearer token, image decoding, error trailers, server streaming, and retries
// as the shared service config (protos/latentgan/v1/service_config.json) says.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { crc32, deflateSync } from 'node:zlib';
import {
  LatentGanClient, LatentGanError, LOADER_OPTIONS, MAX_RETRIES, decodeStatusDetails, defaultProtoDir,
  encodeBadRequestStatus, imagesToWire, loadServiceConfig, PROJECTION_TIMEOUT_MS, type ClientOptions, type TrainEvent,
} from '../src/index.js';
import type { ProtoGrpcType } from '../src/generated/latentgan.js';
import type { LatentGanHandlers } from '../src/generated/latentgan/v1/LatentGan.js';
import type { SampleRequest__Output } from '../src/generated/latentgan/v1/SampleRequest.js';
import type { InterpolateRequest__Output } from '../src/generated/latentgan/v1/InterpolateRequest.js';
import type { TrainRequest__Output } from '../src/generated/latentgan/v1/TrainRequest.js';
import type { ListTrainJobsRequest__Output } from '../src/generated/latentgan/v1/ListTrainJobsRequest.js';
import type { TrainJob } from '../src/generated/latentgan/v1/TrainJob.js';
import type { DirectionSet } from '../src/generated/latentgan/v1/DirectionSet.js';
import type { ListDirectionsRequest__Output } from '../src/generated/latentgan/v1/ListDirectionsRequest.js';
import type { ComputeDirectionsRequest__Output } from '../src/generated/latentgan/v1/ComputeDirectionsRequest.js';
import type { EditRequest__Output } from '../src/generated/latentgan/v1/EditRequest.js';
import type { ProjectRequest__Output } from '../src/generated/latentgan/v1/ProjectRequest.js';
import type { CompleteRequest__Output } from '../src/generated/latentgan/v1/CompleteRequest.js';

/**
 * A valid 8-bit PNG of `channels` (1 grey, 3 RGB, 4 RGBA) from row-major pixels, row y filtered
 * with filter type y % 5 (none, sub, up, average, Paeth), so a decoder meets every filter.
 */
function encodePng(width: number, height: number, channels: 1 | 3 | 4, pixels: Uint8Array): Buffer {
  const stride = width * channels;
  const raw = Buffer.alloc(height * (stride + 1));
  const px = (x: number, y: number) => (x < 0 || y < 0 ? 0 : pixels[y * stride + x]!);
  for (let y = 0; y < height; y++) {
    const filter = y % 5;
    raw[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const a = px(x - channels, y), b = px(x, y - 1), c = px(x - channels, y - 1);
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter]!;
      raw[y * (stride + 1) + 1 + x] = (px(x, y) - predictor) & 0xff;
    }
  }
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, { 1: 0, 3: 2, 4: 6 }[channels], 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

// The mask Complete answers with: 6 x 5, the left two columns unknown, values in 0..255 around 128.
const MASK_W = 5, MASK_H = 6;
const maskPixels = Uint8Array.from({ length: MASK_W * MASK_H }, (_, i) => (i % MASK_W < 2 ? 127 - (i % 3) : 128 + ((i * 37) % 128)));

function badRequest(field: string, description: string): Partial<grpc.StatusObject> {
  const md = new grpc.Metadata();
  md.set('grpc-status-details-bin', encodeBadRequestStatus(grpc.status.INVALID_ARGUMENT, description, [{ field, description }]));
  return { code: grpc.status.INVALID_ARGUMENT, details: description, metadata: md };
}

/**
 * A validator for assert.rejects: INVALID_ARGUMENT raised by the client itself, before any call
 * (no trailers, so not the server's), naming `field`, in one line.
 */
function refused(field: string): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof LatentGanError, `not a LatentGanError: ${String(err)}`);
    assert.equal(err.codeName, 'INVALID_ARGUMENT', err.message);
    assert.equal(err.field, field, err.message);
    assert.deepEqual(err.fieldViolations.map((v) => v.field), [field]);
    assert.equal(err.metadata, undefined, `refused by the server, not the client: ${err.message}`);
    assert.ok(!err.message.includes('\n') && err.message.length < 300, err.message);
    return true;
  };
}

const job = (state: TrainJob['state'], step: number): TrainJob => ({
  id: 'job-1', requestId: 'r1', state, name: 'tiny', dataset: 'digits', step: String(step), totalSteps: '20',
  createTime: { seconds: '1700000000', nanos: 500_000_000 },
});

const created = { seconds: '1700000000', nanos: 250_000_000 };
const sefaSet: DirectionSet = {
  key: 'sefa[k=2]', method: 'sefa', parameters: { k: '2', orthogonal_to: '[]' }, valueName: 'singular value',
  createTime: created, computeSeconds: 0.125, scoreSeconds: 1.5,
  directions: [
    {
      id: 'sefa[k=2]:0', vector: [0.5, -0.5, 0.5, -0.5], value: 3.25,
      score: {
        changes: [{ attribute: 'thickness', slope: 0.75, r2: 0.5, standardized: 1.25 }, { attribute: 'class:3', slope: -2, r2: 0.25, standardized: -0.5 }],
        topAttribute: 'thickness', entanglement: 0.375, classKept: 0.875, samples: 200,
      },
    },
    { id: 'sefa[k=2]:1', vector: [0.5, 0.5, 0.5, 0.5], value: 1.5, score: { topAttribute: 'slant', samples: 200 } },
  ],
};
const randomSet: DirectionSet = {
  key: 'random', method: 'random', parameters: { k: '1', seed: '0' }, valueName: '', createTime: created,
  directions: [{ id: 'random:0', vector: [1, 0, 0, 0], value: Number.NaN, score: { topAttribute: 'area', samples: 200 } }],
};

describe('LatentGanClient against a fake server', () => {
  let server: grpc.Server;
  let client: LatentGanClient;
  let lastSample: SampleRequest__Output | undefined;
  let lastInterp: InterpolateRequest__Output | undefined;
  let lastTrain: TrainRequest__Output | undefined;
  let lastListJobs: ListTrainJobsRequest__Output | undefined;
  let lastListDirections: ListDirectionsRequest__Output | undefined;
  let lastCompute: ComputeDirectionsRequest__Output | undefined;
  let lastEdit: EditRequest__Output | undefined;
  let lastProject: ProjectRequest__Output | undefined;
  let lastComplete: CompleteRequest__Output | undefined;
  let lastDeadline: grpc.Deadline | undefined;
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
      ListDirections: (call, cb) => {
        lastListDirections = call.request;
        if (call.request.model !== 'tiny') return cb({ code: grpc.status.NOT_FOUND, details: `no model ${call.request.model}` });
        cb(null, { model: 'tiny@1', sets: [randomSet, sefaSet] });
      },
      ComputeDirections: (call, cb) => {
        lastCompute = call.request;
        if (call.request.attribute === 'nope') return cb(badRequest('attribute', 'unknown attribute nope'));
        if (call.request.model === 'broken') return cb(null, { model: 'broken@1', set: { ...sefaSet, parameters: { k: 'not json' } } });
        cb(null, { model: 'tiny@1', set: sefaSet, created: call.request.k === 2 });
      },
      Edit: (call, cb) => {
        const r = call.request;
        lastEdit = r;
        if (r.model === 'nodir') return cb(badRequest('direction_id', 'no direction sefa:99'));
        const rows = r.source === 'latents' ? r.latents!.values.length / r.latents!.dim : r.source === 'arithmetic' ? 1 : r.n;
        if (rows === 0) return cb(badRequest('n', 'n must be between 1 and 256'));
        const strengths = r.strengths.length ? r.strengths : [-3, -1.5, 0, 1.5, 3];
        // Image (row, column) is 2x2x1 pixels of value 16 * row + column; 'short' loses one image.
        const count = rows * strengths.length - (r.model === 'short' ? 1 : 0);
        const data = Buffer.alloc(count * 4);
        for (let i = 0; i < count; i++) data.fill(16 * Math.floor(i / strengths.length) + (i % strengths.length), i * 4, i * 4 + 4);
        const images = r.encoding === 'IMAGE_ENCODING_PNG'
          ? { shape: [count, 2, 2, 1], encoding: 'IMAGE_ENCODING_PNG' as const, png: Array.from({ length: count }, (_, i) => Buffer.from([0x89, i])) }
          : { shape: [count, 2, 2, 1], encoding: 'IMAGE_ENCODING_RAW' as const, data };
        cb(null, { images, model: 'tiny@1', labels: r.labels.length ? r.labels : [], rows, strengths });
      },
      Project: (call, cb) => {
        const r = call.request;
        lastProject = r;
        lastDeadline = call.getDeadline();
        if (r.model === 'noenc') return cb(badRequest('method', 'tiny@1 has no encoder'));
        const n = r.images!.shape[0]!;
        // Reconstruction i is 2x2x1 pixels of value i; latent i is [i, i + 0.5, -i]; 'short' loses a step count.
        const data = Buffer.alloc(n * 4);
        for (let i = 0; i < n; i++) data.fill(i, i * 4, i * 4 + 4);
        const latents = Array.from({ length: n }, (_, i) => [i, i + 0.5, -i]).flat();
        cb(null, {
          model: 'tiny@1',
          latents: { dim: 3, values: latents },
          labels: r.labels.length ? Array.from({ length: n }, (_, i) => r.labels[i % r.labels.length]!) : [],
          reconstructions: { shape: [n, 2, 2, 1], encoding: 'IMAGE_ENCODING_RAW', data },
          pixelDistances: Array.from({ length: n }, (_, i) => i / 4),
          featureDistances: Array.from({ length: n }, (_, i) => 1 + i),
          steps: Array.from({ length: n - (r.model === 'short' ? 1 : 0) }, () => r.steps ?? 20),
          method: r.method === 'PROJECTION_METHOD_AUTO' ? 'PROJECTION_METHOD_OPTIMIZE' : r.method,
        });
      },
      Complete: (call, cb) => {
        const r = call.request;
        lastComplete = r;
        lastDeadline = call.getDeadline();
        const k = r.k || 4;
        const completions = Buffer.alloc(k * MASK_H * MASK_W);
        for (let i = 0; i < k; i++) completions.fill(10 * i, i * MASK_H * MASK_W, (i + 1) * MASK_H * MASK_W);
        const mask = r.encoding === 'IMAGE_ENCODING_PNG'
          ? { shape: [1, MASK_H, MASK_W, 1], encoding: 'IMAGE_ENCODING_PNG' as const, png: [encodePng(MASK_W, MASK_H, 1, maskPixels)] }
          : { shape: [1, MASK_H, MASK_W, 1], encoding: 'IMAGE_ENCODING_RAW' as const, data: Buffer.from(maskPixels) };
        cb(null, {
          model: 'tiny@1',
          completions: { shape: [k, MASK_H, MASK_W, 1], encoding: 'IMAGE_ENCODING_RAW', data: completions },
          losses: Array.from({ length: r.model === 'short' ? k - 1 : k }, (_, i) => 0.5 + i),
          latents: { dim: 2, values: Array.from({ length: 2 * k }, (_, i) => i) },
          mask: r.model === 'badmask' ? { shape: [1, 2, 2, 1], data: Buffer.alloc(4) } : mask,
          ...(r.label !== undefined ? { label: r.label } : {}),
        });
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
    await assert.rejects(client.sample({ model: 'tiny', n: 1, seed: -1 }), refused('seed'));
    await assert.rejects(client.sample({ model: 'tiny', n: 1, seed: 1.5 }), refused('seed'));
    await assert.rejects(client.sample({ model: 'tiny', n: 1, seed: 'abc' }), refused('seed'));
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
    await assert.rejects(client.listJobs({ limit: -1 }), refused('limit'));
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

  it('lists directions: every set\'s, flat, with vectors and scores', async () => {
    const dirs = await client.directions('tiny');
    assert.equal(lastListDirections?.model, 'tiny');
    assert.equal(lastListDirections?.version, 0);
    assert.deepEqual(dirs.map((d) => [d.id, d.setKey, d.method]), [
      ['random:0', 'random', 'random'], ['sefa[k=2]:0', 'sefa[k=2]', 'sefa'], ['sefa[k=2]:1', 'sefa[k=2]', 'sefa'],
    ]);
    const [random, first, second] = dirs;
    assert.ok(first!.vector instanceof Float32Array);
    assert.deepEqual(Array.from(first!.vector), [0.5, -0.5, 0.5, -0.5]);
    assert.equal(first!.value, 3.25);
    assert.ok(Number.isNaN(random!.value));
    assert.deepEqual(first!.score, {
      changes: [{ attribute: 'thickness', slope: 0.75, r2: 0.5, standardized: 1.25 }, { attribute: 'class:3', slope: -2, r2: 0.25, standardized: -0.5 }],
      topAttribute: 'thickness', entanglement: 0.375, classKept: 0.875, samples: 200,
    });
    assert.equal(second!.score.classKept, undefined, 'an unset class_kept must stay undefined, not 0');
    assert.deepEqual(second!.score.changes, []);
    await client.directions('tiny', { version: 3 });
    assert.equal(lastListDirections?.version, 3);
    await assert.rejects(client.directions('nope'), (err: unknown) => err instanceof LatentGanError && err.codeName === 'NOT_FOUND');
  });

  it('computes directions: maps the request and decodes the set', async () => {
    const set = await client.computeDirections('tiny');
    assert.deepEqual({ ...lastCompute }, {
      model: 'tiny', version: 0, method: 'DIRECTION_METHOD_UNSPECIFIED', k: 0, samples: 0, seed: '0', attribute: '', orthogonalTo: [],
    });
    assert.equal(set.createdNow, false);
    assert.equal(set.model, 'tiny@1');
    assert.equal(set.key, 'sefa[k=2]');
    assert.equal(set.method, 'sefa');
    assert.deepEqual(set.parameters, { k: 2, orthogonal_to: [] });
    assert.equal(set.valueName, 'singular value');
    assert.equal(set.created?.toISOString(), '2023-11-14T22:13:20.250Z');
    assert.equal(set.computeSeconds, 0.125);
    assert.equal(set.scoreSeconds, 1.5);
    assert.deepEqual(set.directions.map((d) => d.id), ['sefa[k=2]:0', 'sefa[k=2]:1']);
    assert.equal(set.directions[0]!.setKey, 'sefa[k=2]');

    const again = await client.computeDirections('tiny', {
      method: 'attribute', k: 2, attribute: 'thickness', orthogonalTo: ['attribute:class:3'], samples: 500, seed: 7n, version: 1,
    });
    assert.equal(again.createdNow, true);
    assert.deepEqual({ ...lastCompute }, {
      model: 'tiny', version: 1, method: 'DIRECTION_METHOD_ATTRIBUTE', k: 2, samples: 500, seed: '7', attribute: 'thickness',
      orthogonalTo: ['attribute:class:3'],
    });
    for (const [method, wire] of [['sefa', 'DIRECTION_METHOD_SEFA'], ['pca', 'DIRECTION_METHOD_PCA'], ['random', 'DIRECTION_METHOD_RANDOM']] as const) {
      await client.computeDirections('tiny', { method });
      assert.equal(lastCompute?.method, wire);
    }
  });

  it('rejects bad computeDirections options locally, and passes the server\'s refusals on', async () => {
    lastCompute = undefined;
    await assert.rejects(client.computeDirections('tiny', { method: 'svd' as 'sefa' }), refused('method'));
    await assert.rejects(client.computeDirections('tiny', { method: 'toString' as 'sefa' }), refused('method'));
    await assert.rejects(client.computeDirections('tiny', { k: -1 }), refused('k'));
    await assert.rejects(client.computeDirections('tiny', { k: 1.5 }), refused('k'));
    await assert.rejects(client.computeDirections('tiny', { samples: -5 }), refused('samples'));
    await assert.rejects(client.computeDirections('tiny', { seed: -1 }), refused('seed'));
    assert.equal(lastCompute, undefined, 'a locally rejected request must not be sent');
    await assert.rejects(client.computeDirections('tiny', { method: 'attribute', attribute: 'nope' }), (err: unknown) =>
      err instanceof LatentGanError && err.codeName === 'INVALID_ARGUMENT' && err.field === 'attribute');
    await assert.rejects(client.computeDirections('broken'), (err: unknown) =>
      err instanceof LatentGanError && err.codeName === 'INTERNAL' && /not JSON/.test(err.details));
  });

  it('edits along a stored direction: request mapping and the grid', async () => {
    const r = await client.edit('tiny', 'sefa:0', [-1, 0, 2.5], { seed: 42, n: 2, truncation: 0.5, labels: [3] });
    assert.equal(lastEdit?.direction, 'directionId');
    assert.equal(lastEdit?.directionId, 'sefa:0');
    assert.equal(lastEdit?.source, 'seed');
    assert.equal(lastEdit?.seed, '42');
    assert.equal(lastEdit?.n, 2);
    assert.deepEqual(lastEdit?.strengths, [-1, 0, 2.5]);
    assert.deepEqual(lastEdit?.labels, [3]);
    assert.ok(Math.abs((lastEdit?.truncation ?? 0) - 0.5) < 1e-6);
    assert.equal(lastEdit?.encoding, 'IMAGE_ENCODING_UNSPECIFIED');
    assert.equal(r.model, 'tiny@1');
    assert.equal(r.rows, 2);
    assert.equal(r.columns, 3);
    assert.deepEqual(r.strengths, [-1, 0, 2.5]);
    assert.deepEqual(r.labels, [3]);
    assert.deepEqual(r.images.shape, [6, 2, 2, 1]);
    for (let row = 0; row < r.rows; row++) {
      for (let j = 0; j < r.columns; j++) assert.deepEqual(Array.from(r.image(row, j)), [0, 1, 2, 3].map(() => 16 * row + j));
    }
    assert.throws(() => r.image(2, 0), RangeError);
    assert.throws(() => r.image(0, 3), RangeError);
    assert.throws(() => r.image(-1, 0), RangeError);

    // The defaults: seed 0 (source unset), n 1 as in the Python SDK, the server's strengths.
    const d = await client.edit('tiny', 'sefa:1');
    assert.equal(lastEdit?.source, undefined);
    assert.equal(lastEdit?.n, 1);
    assert.deepEqual(lastEdit?.strengths, []);
    assert.equal(lastEdit?.truncation, undefined);
    assert.deepEqual(lastEdit?.labels, []);
    assert.deepEqual([d.rows, d.columns, d.strengths], [1, 5, [-3, -1.5, 0, 1.5, 3]]);
  });

  it('edits along a mix or an explicit vector, from latents or latent arithmetic', async () => {
    await client.edit('tiny', { 'sefa:0': 1, 'attribute:thickness': -0.5 }, [1]);
    assert.equal(lastEdit?.direction, 'mix');
    assert.deepEqual(lastEdit?.mix?.weights, { 'sefa:0': 1, 'attribute:thickness': -0.5 });

    const v = await client.edit('tiny', new Float32Array([0.5, -0.25, 1]), [0, 1], { latents: { dim: 3, values: [1, 2, 3, 4, 5, 6] } });
    assert.equal(lastEdit?.direction, 'vector');
    assert.deepEqual({ ...lastEdit?.vector }, { dim: 3, values: [0.5, -0.25, 1] });
    assert.equal(lastEdit?.source, 'latents');
    assert.deepEqual(lastEdit?.latents?.values, [1, 2, 3, 4, 5, 6]);
    assert.equal(lastEdit?.n, 0, 'with latents n defaults to 0 (the row count)');
    assert.deepEqual([v.rows, v.columns], [2, 2]);

    const a = await client.edit('tiny', [1, 0, 0], [1], { arithmetic: [1, '2', 3n], encoding: 'png' });
    assert.equal(lastEdit?.source, 'arithmetic');
    assert.deepEqual({ ...lastEdit?.arithmetic }, { seedA: '1', seedB: '2', seedC: '3' });
    assert.equal(lastEdit?.n, 0);
    assert.equal(lastEdit?.encoding, 'IMAGE_ENCODING_PNG');
    assert.equal(a.images.data.length, 0);
    assert.deepEqual(Array.from(a.image(0, 0)), [0x89, 0]);
  });

  it('rejects bad edits locally, and passes the server\'s refusals on', async () => {
    lastEdit = undefined;
    for (const empty of ['', {}, [], new Float32Array(0)]) {
      await assert.rejects(client.edit('tiny', empty), refused('direction'), `direction ${JSON.stringify(empty)}`);
    }
    await assert.rejects(client.edit('tiny', { '': 1 }), refused('direction'));
    await assert.rejects(client.edit('tiny', { 'sefa:0': Number.NaN }), refused('direction'));
    await assert.rejects(client.edit('tiny', [1, Number.POSITIVE_INFINITY]), refused('direction'));
    await assert.rejects(client.edit('tiny', 'sefa:0', [0, Number.NaN]), refused('strengths'));
    await assert.rejects(client.edit('tiny', 'sefa:0', [1], { seed: 1, latents: { dim: 1, values: [0] } }), refused('latents'));
    await assert.rejects(client.edit('tiny', 'sefa:0', [1], { seed: 1, arithmetic: [1, 2, 3] }), refused('arithmetic'));
    await assert.rejects(client.edit('tiny', 'sefa:0', [1], { arithmetic: [1, 2] as unknown as [number, number, number] }), refused('arithmetic'));
    await assert.rejects(client.edit('tiny', 'sefa:0', [1], { seed: -3 }), refused('seed'));
    await assert.rejects(client.edit('tiny', 'sefa:0', [1], { encoding: 'jpeg' as 'png' }), refused('encoding'));
    assert.equal(lastEdit, undefined, 'a locally rejected request must not be sent');

    await assert.rejects(client.edit('nodir', 'sefa:99'), (err: unknown) =>
      err instanceof LatentGanError && err.codeName === 'INVALID_ARGUMENT' && err.field === 'direction_id');
    await assert.rejects(client.edit('tiny', 'sefa:0', [1], { n: 0 }), (err: unknown) =>
      err instanceof LatentGanError && err.field === 'n');
    await assert.rejects(client.edit('short', 'sefa:0', [1, 2], { n: 2 }), (err: unknown) =>
      err instanceof LatentGanError && err.codeName === 'INTERNAL' && /2 x 2 images/.test(err.details));
  });

  it('projects: raw batches and PNG files, the options, and the answer', async () => {
    const data = Uint8Array.from({ length: 2 * 3 * 3 * 1 }, (_, i) => i);
    const p = await client.project('tiny', { shape: [2, 3, 3, 1], data });
    assert.deepEqual({ ...lastProject?.images, data: undefined }, { shape: [2, 3, 3, 1], encoding: 'IMAGE_ENCODING_RAW', data: undefined, png: [] });
    assert.deepEqual(Array.from(lastProject!.images!.data), Array.from(data));
    assert.equal(lastProject?.method, 'PROJECTION_METHOD_AUTO');
    assert.equal(lastProject?.steps, undefined, 'steps unset: the method\'s default');
    assert.equal(lastProject?.seed, '0');
    assert.deepEqual(lastProject?.labels, []);
    assert.equal(lastProject?.encoding, 'IMAGE_ENCODING_UNSPECIFIED');
    assert.equal(p.model, 'tiny@1');
    assert.equal(p.method, 'optimize', 'auto without an encoder runs optimize');
    assert.ok(p.latents.values instanceof Float32Array);
    assert.deepEqual([p.latents.dim, p.latents.rows], [3, 2]);
    assert.deepEqual(Array.from(p.latents.row(1)), [1, 1.5, -1]);
    assert.throws(() => p.latents.row(2), RangeError);
    assert.deepEqual(p.labels, []);
    assert.deepEqual(p.images.shape, [2, 2, 2, 1]);
    assert.deepEqual(Array.from(p.images.data.subarray(4, 8)), [1, 1, 1, 1]);
    assert.deepEqual([p.pixelDistances, p.featureDistances, p.steps], [[0, 0.25], [1, 2], [20, 20]]);

    const grey = encodePng(3, 2, 1, Uint8Array.from([1, 2, 3, 4, 5, 6]));
    const rgb = encodePng(4, 4, 3, new Uint8Array(48));
    await client.project('tiny', [grey, rgb], { labels: [7], method: 'encoder', steps: 0, seed: 5n, version: 2, encoding: 'png' });
    assert.deepEqual(lastProject?.images?.shape, [2, 0, 0, 0], 'PNG files of their own sizes: shape [N, 0, 0, 0]');
    assert.equal(lastProject?.images?.encoding, 'IMAGE_ENCODING_PNG');
    assert.ok(Buffer.from(lastProject!.images!.png[1]!).equals(rgb));
    assert.equal(lastProject?.images?.data.length, 0);
    assert.equal(lastProject?.steps, 0, 'steps 0 is sent');
    assert.deepEqual([lastProject?.method, lastProject?.seed, lastProject?.version, lastProject?.encoding],
      ['PROJECTION_METHOD_ENCODER', '5', 2, 'IMAGE_ENCODING_PNG']);
    assert.deepEqual(lastProject?.labels, [7]);

    // One PNG file, and an Images result of encoding 'png' (its shape kept).
    const one = await client.project('tiny', grey, { method: 'optimize' });
    assert.deepEqual([lastProject?.images?.shape, lastProject?.images?.png.length, lastProject?.method], [[1, 0, 0, 0], 1, 'PROJECTION_METHOD_OPTIMIZE']);
    assert.equal(one.method, 'optimize');
    await client.project('tiny', { shape: [1, 2, 3, 1], data: new Uint8Array(0), png: [grey] });
    assert.deepEqual([lastProject?.images?.shape, lastProject?.images?.encoding], [[1, 2, 3, 1], 'IMAGE_ENCODING_PNG']);

    // Its latents and labels go straight to edit.
    const labelled = await client.project('tiny', [grey, grey], { labels: [3, 4] });
    assert.deepEqual(labelled.labels, [3, 4]);
    await client.edit('tiny', 'sefa:0', [1], { latents: labelled.latents, labels: labelled.labels });
    assert.equal(lastEdit?.source, 'latents');
    assert.deepEqual({ ...lastEdit?.latents }, { dim: 3, values: [0, 0.5, -0, 1, 1.5, -1] });
    assert.deepEqual(lastEdit?.labels, [3, 4]);
  });

  it('gives project and complete the longer deadline unless the call sets one', async () => {
    const data = new Uint8Array(4);
    const before = Date.now();
    await client.project('tiny', { shape: [1, 2, 2, 1], data });
    const deadline = Number(lastDeadline instanceof Date ? lastDeadline.getTime() : lastDeadline);
    assert.ok(deadline - before > PROJECTION_TIMEOUT_MS - 5_000, `deadline ${deadline - before} ms away`);
    await client.complete('tiny', { shape: [1, 2, 2, 1], data }, 'left', {}, { timeoutMs: 3_000 });
    const short = Number(lastDeadline instanceof Date ? lastDeadline.getTime() : lastDeadline);
    assert.ok(short - Date.now() < 3_000, 'the call\'s own timeoutMs wins');
  });

  it('rejects bad project input locally, and passes the server\'s refusals on', async () => {
    lastProject = undefined;
    const grey = encodePng(2, 2, 1, new Uint8Array(4));
    const bad: unknown[] = [
      [], [new Uint8Array([1, 2, 3])], [grey, 'x'], 'digit.png', null, 42,
      { shape: [1, 2, 2], data: new Uint8Array(4) },
      { shape: [1, 2, 2, 2], data: new Uint8Array(8) },
      { shape: [0, 2, 2, 1], data: new Uint8Array(0) },
      { shape: [1, 2, 2, 1], data: new Uint8Array(3) },
      { shape: [2, 2, 2, 1], data: new Uint8Array(0), png: [grey] },
    ];
    for (const images of bad) {
      await assert.rejects(client.project('tiny', images as Uint8Array[]), refused('images'), `images ${JSON.stringify(images)}`);
    }
    const ok = { shape: [1, 2, 2, 1] as [number, number, number, number], data: new Uint8Array(4) };
    await assert.rejects(client.project('tiny', ok, { method: 'lbfgs' as 'auto' }), refused('method'));
    await assert.rejects(client.project('tiny', ok, { steps: -1 }), refused('steps'));
    await assert.rejects(client.project('tiny', ok, { steps: 1.5 }), refused('steps'));
    await assert.rejects(client.project('tiny', ok, { seed: -1 }), refused('seed'));
    await assert.rejects(client.project('tiny', ok, { encoding: 'jpeg' as 'png' }), refused('encoding'));
    assert.equal(lastProject, undefined, 'a locally rejected request must not be sent');
    await assert.rejects(client.project('noenc', ok, { method: 'encoder' }), (err: unknown) =>
      err instanceof LatentGanError && err.codeName === 'INVALID_ARGUMENT' && err.field === 'method');
    await assert.rejects(client.project('short', { shape: [2, 1, 1, 1], data: new Uint8Array(2) }), (err: unknown) =>
      err instanceof LatentGanError && err.codeName === 'INTERNAL' && /2 images but 1 steps/.test(err.details));
  });

  it('completes: the image, a preset or an image mask, the options, and the answer', async () => {
    const image = { shape: [1, 3, 3, 1] as [number, number, number, number], data: new Uint8Array(9) };
    const c = await client.complete('tiny', image, 'left');
    assert.equal(lastComplete?.mask, 'maskPreset');
    assert.equal(lastComplete?.maskPreset, 'left');
    assert.deepEqual(lastComplete?.image?.shape, [1, 3, 3, 1]);
    assert.equal(lastComplete?.k, 4);
    assert.equal(lastComplete?.steps, undefined);
    assert.equal(lastComplete?.label, undefined);
    assert.equal(lastComplete?.seed, '0');
    assert.equal(c.model, 'tiny@1');
    assert.deepEqual(c.images.shape, [4, MASK_H, MASK_W, 1]);
    assert.deepEqual(c.losses, [0.5, 1.5, 2.5, 3.5]);
    assert.deepEqual([c.latents.dim, c.latents.rows, Array.from(c.latents.row(3))], [2, 4, [6, 7]]);
    assert.deepEqual(c.mask.shape, [MASK_H, MASK_W]);
    assert.deepEqual(Array.from(c.mask.known), Array.from(maskPixels, (v) => (v >= 128 ? 1 : 0)));
    assert.equal(c.label, undefined);

    for (const preset of ['center', 'right', 'top', 'bottom', 'random:0.25']) {
      await client.complete('tiny', image, preset);
      assert.equal(lastComplete?.maskPreset, preset);
    }
    const maskPng = encodePng(3, 3, 1, Uint8Array.from([255, 255, 0, 255, 255, 0, 255, 255, 0]));
    const png = await client.complete('tiny', [maskPng], maskPng, { k: 2, steps: 30, label: 0, seed: '9', version: 1, encoding: 'png' });
    assert.equal(lastComplete?.mask, 'maskImage');
    assert.deepEqual([lastComplete?.maskImage?.shape, lastComplete?.maskImage?.encoding], [[1, 0, 0, 0], 'IMAGE_ENCODING_PNG']);
    assert.deepEqual([lastComplete?.image?.shape, lastComplete?.image?.encoding], [[1, 0, 0, 0], 'IMAGE_ENCODING_PNG']);
    assert.deepEqual([lastComplete?.k, lastComplete?.steps, lastComplete?.label, lastComplete?.seed, lastComplete?.version],
      [2, 30, 0, '9', 1]);
    assert.equal(png.label, 0, 'label 0 is a label');
    // The server sent the mask as a PNG (every row filter): it decodes to the same known pixels.
    assert.deepEqual(Array.from(png.mask.known), Array.from(maskPixels, (v) => (v >= 128 ? 1 : 0)));

    const rawMask = { shape: [1, 3, 3, 1] as [number, number, number, number], data: Uint8Array.from([255, 0, 0, 255, 0, 0, 255, 0, 0]) };
    await client.complete('tiny', image, rawMask);
    assert.deepEqual([lastComplete?.maskImage?.shape, lastComplete?.maskImage?.encoding], [[1, 3, 3, 1], 'IMAGE_ENCODING_RAW']);
    assert.deepEqual(Array.from(lastComplete!.maskImage!.data), Array.from(rawMask.data));
  });

  it('rejects bad complete input locally, and checks the answer', async () => {
    lastComplete = undefined;
    const image = { shape: [1, 2, 2, 1] as [number, number, number, number], data: new Uint8Array(4) };
    const two = { shape: [2, 2, 2, 1] as [number, number, number, number], data: new Uint8Array(8) };
    const grey = encodePng(2, 2, 1, new Uint8Array(4));
    await assert.rejects(client.complete('tiny', two, 'left'), refused('image'));
    await assert.rejects(client.complete('tiny', [grey, grey], 'left'), refused('image'));
    for (const mask of ['middle', 'random:', 'random:1', 'random:0', 'random:x', '']) {
      await assert.rejects(client.complete('tiny', image, mask), refused('mask'), `mask ${mask}`);
    }
    await assert.rejects(client.complete('tiny', image, two), refused('mask'));
    await assert.rejects(client.complete('tiny', image, new Uint8Array([1, 2])), refused('mask'));
    await assert.rejects(client.complete('tiny', image, 'left', { k: 0 }), refused('k'));
    await assert.rejects(client.complete('tiny', image, 'left', { k: 1.5 }), refused('k'));
    await assert.rejects(client.complete('tiny', image, 'left', { steps: 0 }), refused('steps'));
    await assert.rejects(client.complete('tiny', image, 'left', { label: 0.5 }), refused('label'));
    await assert.rejects(client.complete('tiny', image, 'left', { seed: -1 }), refused('seed'));
    assert.equal(lastComplete, undefined, 'a locally rejected request must not be sent');
    await assert.rejects(client.complete('short', image, 'left'), (err: unknown) =>
      err instanceof LatentGanError && err.codeName === 'INTERNAL' && /4 images but 3 losses/.test(err.details));
    await assert.rejects(client.complete('badmask', image, 'left'), (err: unknown) =>
      err instanceof LatentGanError && err.codeName === 'INTERNAL' && /mask/.test(err.details));
  });

  it('builds image batches: PNG files as [N, 0, 0, 0], raw batches as given', () => {
    const grey = encodePng(2, 2, 1, new Uint8Array(4));
    assert.deepEqual(imagesToWire([grey, grey]).shape, [2, 0, 0, 0]);
    assert.deepEqual(imagesToWire(Buffer.from(grey)).png?.length, 1);
    const raw = imagesToWire({ shape: [1, 2, 2, 3], data: new Uint8Array(12) });
    assert.deepEqual([raw.shape, raw.encoding, raw.png], [[1, 2, 2, 3], 'IMAGE_ENCODING_RAW', undefined]);
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

// Values the proto cannot carry, refused before any call (issue 12): protobufjs would otherwise
// coerce them on the way out (-1 as 4294967295 for a uint32, 1.5 as 1, NaN or '3' as 0, a
// number for a string as its text). The client points at a port nothing listens on, without
// retries: a call that got as far as the network would fail UNAVAILABLE, not INVALID_ARGUMENT.
describe('LatentGanClient refuses what its requests cannot carry, before any call', () => {
  const offline = new LatentGanClient('127.0.0.1:1', { retries: 0, timeoutMs: 5_000 });
  after(() => offline.close());
  const image = { shape: [1, 2, 2, 1] as [number, number, number, number], data: new Uint8Array(4) };
  const any = <T>(v: unknown) => v as T; // a value of the wrong type, as plain JavaScript may pass it
  const U32 = 2 ** 32, I32 = 2 ** 31;
  const cases: Array<[string, () => Promise<unknown>, string]> = [
    ['sample n -1', () => offline.sample({ model: 'm', n: -1 }), 'n'],
    ['sample n 2^32', () => offline.sample({ model: 'm', n: U32 }), 'n'],
    ['sample n 1.5', () => offline.sample({ model: 'm', n: 1.5 }), 'n'],
    ['sample n NaN', () => offline.sample({ model: 'm', n: Number.NaN }), 'n'],
    ['sample n Infinity', () => offline.sample({ model: 'm', n: Number.POSITIVE_INFINITY }), 'n'],
    ['sample n "3"', () => offline.sample({ model: 'm', n: any('3') }), 'n'],
    ['sample seed 2^64', () => offline.sample({ model: 'm', n: 1, seed: 2n ** 64n }), 'seed'],
    ['sample seed null', () => offline.sample({ model: 'm', n: 1, seed: any(null) }), 'seed'],
    ['sample labels 2^31', () => offline.sample({ model: 'm', n: 1, labels: [0, I32] }), 'labels'],
    ['sample labels 1.5', () => offline.sample({ model: 'm', n: 1, labels: [1.5] }), 'labels'],
    ['sample labels NaN', () => offline.sample({ model: 'm', n: 1, labels: [Number.NaN] }), 'labels'],
    ['sample labels not an array', () => offline.sample({ model: 'm', n: 1, labels: any(3) }), 'labels'],
    ['sample truncation "x"', () => offline.sample({ model: 'm', n: 1, truncation: any('x') }), 'truncation'],
    ['sample truncation past float32', () => offline.sample({ model: 'm', n: 1, truncation: 1e39 }), 'truncation'],
    ['sample version -1', () => offline.sample({ model: 'm', n: 1, version: -1 }), 'version'],
    ['sample version 2^32', () => offline.sample({ model: 'm', n: 1, version: U32 }), 'version'],
    ['sample model 5', () => offline.sample({ model: any(5), n: 1 }), 'model'],
    ['sample model lone surrogate', () => offline.sample({ model: '\ud800', n: 1 }), 'model'],
    ['sample encoding', () => offline.sample({ model: 'm', n: 1, encoding: any('jpeg') }), 'encoding'],
    ['sample latents dim -1', () => offline.sample({ model: 'm', latents: { dim: -1, values: [1] } }), 'latents'],
    ['sample latents "x"', () => offline.sample({ model: 'm', latents: { dim: 1, values: any(['x']) } }), 'latents'],
    ['sample latents past float32', () => offline.sample({ model: 'm', latents: { dim: 1, values: [1e39] } }), 'latents'],
    ['sample latents null', () => offline.sample({ model: 'm', latents: any(null) }), 'latents'],
    ['interpolate seedA -1', () => offline.interpolate({ model: 'm', seedA: -1 }), 'seedA'],
    ['interpolate seedB 1.5', () => offline.interpolate({ model: 'm', seedB: 1.5 }), 'seedB'],
    ['interpolate labelA 2^31', () => offline.interpolate({ model: 'm', labelA: I32 }), 'labelA'],
    ['interpolate labelB "x"', () => offline.interpolate({ model: 'm', labelB: any('x') }), 'labelB'],
    ['interpolate latentA dim 1.5', () => offline.interpolate({ model: 'm', latentA: { dim: 1.5, values: [1] } }), 'latentA'],
    ['interpolate latentB values', () => offline.interpolate({ model: 'm', latentB: { dim: 1, values: any([{}]) } }), 'latentB'],
    ['interpolate steps -1', () => offline.interpolate({ model: 'm', steps: -1 }), 'steps'],
    ['interpolate steps NaN', () => offline.interpolate({ model: 'm', steps: Number.NaN }), 'steps'],
    ['interpolate method', () => offline.interpolate({ model: 'm', method: any('cubic') }), 'method'],
    ['edit n -1', () => offline.edit('m', 'sefa:0', [1], { n: -1 }), 'n'],
    ['edit n 2^32', () => offline.edit('m', 'sefa:0', [1], { n: U32 }), 'n'],
    ['edit strengths not an array', () => offline.edit('m', 'sefa:0', any('abc')), 'strengths'],
    ['edit strengths "1"', () => offline.edit('m', 'sefa:0', any(['1'])), 'strengths'],
    ['edit labels 2^31', () => offline.edit('m', 'sefa:0', [1], { labels: [I32] }), 'labels'],
    ['edit arithmetic -1', () => offline.edit('m', 'sefa:0', [1], { arithmetic: [1, 2, -1] }), 'arithmetic'],
    ['edit arithmetic 2^64', () => offline.edit('m', 'sefa:0', [1], { arithmetic: [1, 2, 2n ** 64n] }), 'arithmetic'],
    ['edit direction 5', () => offline.edit('m', any(5)), 'direction'],
    ['edit direction weight "1"', () => offline.edit('m', any({ 'sefa:0': '1' })), 'direction'],
    ['edit direction id lone surrogate', () => offline.edit('m', '\udc00'), 'direction'],
    ['edit truncation "x"', () => offline.edit('m', 'sefa:0', [1], { truncation: any('x') }), 'truncation'],
    ['edit version -1', () => offline.edit('m', 'sefa:0', [1], { version: -1 }), 'version'],
    ['project labels 2^40', () => offline.project('m', image, { labels: [2 ** 40] }), 'labels'],
    ['project steps 2^32', () => offline.project('m', image, { steps: U32 }), 'steps'],
    ['project seed "x"', () => offline.project('m', image, { seed: 'x' }), 'seed'],
    ['project version 2^32', () => offline.project('m', image, { version: U32 }), 'version'],
    ['project images 42', () => offline.project('m', any(42)), 'images'],
    ['complete k 2^32', () => offline.complete('m', image, 'left', { k: U32 }), 'k'],
    ['complete steps 2^32', () => offline.complete('m', image, 'left', { steps: U32 }), 'steps'],
    ['complete label 2^31', () => offline.complete('m', image, 'left', { label: I32 }), 'label'],
    ['complete label "1"', () => offline.complete('m', image, 'left', { label: any('1') }), 'label'],
    ['complete version -1', () => offline.complete('m', image, 'left', { version: -1 }), 'version'],
    ['complete mask 5', () => offline.complete('m', image, any(5)), 'mask'],
    ['directions version -1', () => offline.directions('m', { version: -1 }), 'version'],
    ['directions model 5', () => offline.directions(any(5)), 'model'],
    ['computeDirections k 2^32', () => offline.computeDirections('m', { k: U32 }), 'k'],
    ['computeDirections samples 2^32', () => offline.computeDirections('m', { samples: U32 }), 'samples'],
    ['computeDirections attribute 5', () => offline.computeDirections('m', { attribute: any(5) }), 'attribute'],
    ['computeDirections orthogonalTo [5]', () => offline.computeDirections('m', { orthogonalTo: any([5]) }), 'orthogonalTo'],
    ['computeDirections orthogonalTo "x"', () => offline.computeDirections('m', { orthogonalTo: any('sefa:0') }), 'orthogonalTo'],
    ['computeDirections version -1', () => offline.computeDirections('m', { version: -1 }), 'version'],
    ['listModels name 5', () => offline.listModels(any(5)), 'name'],
    ['getModel version -1', () => offline.getModel('m', -1), 'version'],
    ['getModel version 2^32', () => offline.getModel('m', U32), 'version'],
    ['getModel model 5', () => offline.getModel(any(5)), 'model'],
    ['train epochs -1', () => offline.train({ dataset: 'digits', epochs: -1 }), 'epochs'],
    ['train steps 2^32', () => offline.train({ dataset: 'digits', steps: U32 }), 'steps'],
    ['train latentDim 1.5', () => offline.train({ dataset: 'digits', latentDim: 1.5 }), 'latentDim'],
    ['train conditional "yes"', () => offline.train({ dataset: 'digits', conditional: any('yes') }), 'conditional'],
    ['train dataset 5', () => offline.train({ dataset: any(5) }), 'dataset'],
    ['train name 5', () => offline.train({ dataset: 'digits', name: any(5) }), 'name'],
    ['train requestId 5', () => offline.train({ dataset: 'digits', requestId: any(5) }), 'requestId'],
    ['train loss', () => offline.train({ dataset: 'digits', loss: any('wgan') }), 'loss'],
    ['train option [128]', () => offline.train({ dataset: 'digits', options: { batch_size: any([128]) } }), 'options'],
    ['getJob 5', () => offline.getJob(any(5)), 'id'],
    ['cancel 5', () => offline.cancel(any(5)), 'id'],
    ['watch 5', () => offline.watch(any(5)).next(), 'id'],
    ['listJobs limit -1', () => offline.listJobs({ limit: -1 }), 'limit'],
    ['listJobs limit 1.5', () => offline.listJobs({ limit: 1.5 }), 'limit'],
    ['listJobs name 5', () => offline.listJobs({ name: any(5) }), 'name'],
  ];
  for (const [name, call, field] of cases) {
    it(`${name}: INVALID_ARGUMENT naming ${field}`, async () => {
      await assert.rejects(call(), refused(field));
    });
  }

  it('lets the extremes of each range through to the network', async () => {
    const unavailable = (err: unknown) => err instanceof LatentGanError && err.codeName === 'UNAVAILABLE';
    await assert.rejects(offline.sample({ model: 'm', n: U32 - 1, seed: 2n ** 64n - 1n, labels: [-I32, I32 - 1], version: U32 - 1 }), unavailable);
    await assert.rejects(offline.sample({ model: 'm', n: 1, truncation: Number.NaN }), unavailable); // NaN travels; the server judges it
    await assert.rejects(offline.edit('m', { 'sefa:0': 0.5 }, [1e300], { arithmetic: ['18446744073709551615', 0, 1n] }), unavailable);
    await assert.rejects(offline.edit('m', 'sefa:0', Float64Array.of(-1, 1) as unknown as number[], { labels: Int32Array.of(3) as unknown as number[] }), unavailable);
  });
});
