// Integration test against a LIVE latentgan server.
//
// It trains a tiny model with the Python CLI into a temporary data dir, starts `latentgan serve`
// on a free port with the same environment, waits for grpc.health.v1 to answer SERVING, runs the
// client against it, then stops the server with SIGTERM and removes the temp dir. One test starts
// a second server on the same data dir over TLS (LATENTGAN_TLS_CERT / LATENTGAN_TLS_KEY, a
// self-signed certificate made with `openssl`, as tests/integration/test_serving_faults.py does)
// and checks the client against it with the certificate as its root.
//
// Environment:
//   LATENTGAN_BIN        the latentgan CLI (default: ../../.venv/bin/latentgan from clients/node)
//   LATENTGAN_SKIP_LIVE  set to 1 to skip this file (e.g. where no Python environment exists)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LatentGanClient, LatentGanError } from '../src/index.js';

const packageRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = resolve(packageRoot, process.env['LATENTGAN_BIN'] ?? '../../.venv/bin/latentgan');
const SKIP = process.env['LATENTGAN_SKIP_LIVE'] === '1';
const TRAIN_TIMEOUT_MS = 300_000;
const HEALTH_TIMEOUT_MS = 60_000;
// The server runs with LATENTGAN_AUTH_TOKEN, so every call also exercises the bearer token.
const TOKEN = `node-test-${process.pid}`;

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); rej(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) res(out);
      else rej(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}:\n${out}`));
    });
  });
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((res) => {
    const timer = setTimeout(() => res(false), ms);
    child.once('exit', () => { clearTimeout(timer); res(true); });
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A `latentgan serve` started by startServer: the process, what it printed, and its address. */
interface Served {
  child: ChildProcess;
  log: () => string;
  address: string;
}

/**
 * Start `latentgan serve` on a free port with `env`, in its own process group (so anything it
 * leaves behind can be found and stopped), and wait until `probe` (a client of it) hears
 * grpc.health.v1 answer SERVING.
 */
async function startServer(env: NodeJS.ProcessEnv, probe: (address: string) => LatentGanClient): Promise<Served> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const child = spawn(BIN, ['serve', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => { log += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { log += d.toString(); });
  const served = { child, log: () => log, address };
  const client = probe(address);
  try {
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    let last = '';
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`latentgan serve exited early (${child.exitCode ?? child.signalCode}):\n${log}`);
      }
      try {
        const status = await client.health('', { timeoutMs: 2_000 });
        if (status === 'SERVING') return served;
        last = status;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      if (Date.now() > deadline) {
        throw new Error(`server not SERVING after ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last}):\n${log}`);
      }
      await sleep(250);
    }
  } catch (err) {
    await stopServer(child);
    throw err;
  } finally {
    client.close();
  }
}

/** SIGTERM a server started by startServer; SIGKILL its process group if it does not go. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.pid === undefined) return;
  server.kill('SIGTERM');
  if (!(await exited(server, 20_000))) {
    console.error('latentgan serve ignored SIGTERM for 20 s; sending SIGKILL to its process group');
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ }
    await exited(server, 5_000);
  }
  await sleep(500);
  if (groupAlive(server.pid)) {
    console.error('latentgan serve exited but left processes in its group; sending them SIGTERM');
    try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ }
    await sleep(5_000);
    if (groupAlive(server.pid)) try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ }
  }
}

/** A self-signed certificate for localhost and 127.0.0.1, and its key, written under `dir`. */
async function selfSigned(dir: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, 'cert.pem'), key = join(dir, 'key.pem');
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-keyout', key, '-out', cert,
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ], process.env, 60_000);
  return { cert, key };
}

describe('live latentgan server', { skip: SKIP ? 'LATENTGAN_SKIP_LIVE=1' : false }, () => {
  let dataDir = '';
  let env: NodeJS.ProcessEnv = {};
  let server: ChildProcess | undefined;
  let client: LatentGanClient | undefined;
  let address = '';

  const c = (): LatentGanClient => {
    assert.ok(client, 'client not started');
    return client;
  };

  before(async () => {
    assert.ok(existsSync(BIN), `latentgan CLI not found at ${BIN}: set LATENTGAN_BIN (or LATENTGAN_SKIP_LIVE=1)`);
    dataDir = mkdtempSync(join(tmpdir(), 'latentgan-node-test-'));
    const base = { ...process.env, LATENTGAN_DATA_DIR: dataDir, LATENTGAN_OFFLINE: '1' };

    await run(BIN, ['train', '--dataset', 'digits', '--steps', '20', '--no-eval', '--g-width', '8', '--d-width', '8', '--name', 'tiny'], base, TRAIN_TIMEOUT_MS);

    env = { ...base, LATENTGAN_AUTH_TOKEN: TOKEN };

    const served = await startServer(env, (at) => new LatentGanClient(at, { token: TOKEN }));
    server = served.child;
    address = served.address;
    client = new LatentGanClient(address, { token: TOKEN, timeoutMs: 30_000 });
  }, { timeout: TRAIN_TIMEOUT_MS + HEALTH_TIMEOUT_MS + 30_000 });

  after(async () => {
    client?.close();
    if (server) await stopServer(server);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, { timeout: 60_000 });

  it('lists tiny@1', async () => {
    const models = await c().listModels();
    const tiny = models.find((m) => m.name === 'tiny' && m.version === 1);
    assert.ok(tiny, `tiny@1 not in ${JSON.stringify(models.map((m) => `${m.name}@${m.version}`))}`);
    assert.equal(tiny.dataset, 'digits');
    assert.equal(tiny.imageShape.length, 3);
    assert.ok(tiny.latentDim > 0);
    const only = await c().listModels('tiny');
    assert.deepEqual(only.map((m) => m.version), [1]);
    const got = await c().getModel('tiny');
    assert.equal(got.model.version, 1);
    assert.deepEqual(got.versions, [1]);
  });

  it('samples n=4 seed=3 with the right shape, deterministically', async () => {
    const [model] = await c().listModels('tiny');
    assert.ok(model);
    const a = await c().sample({ model: 'tiny', n: 4, seed: 3 });
    const [n, h, w, ch] = a.images.shape;
    assert.deepEqual(a.images.shape, [4, ...model.imageShape]);
    assert.equal(a.images.data.length, n * h * w * ch);
    assert.equal(a.model, 'tiny@1');
    const b = await c().sample({ model: 'tiny', n: 4, seed: 3 });
    assert.deepEqual(b.images.shape, a.images.shape);
    assert.ok(Buffer.from(a.images.data).equals(Buffer.from(b.images.data)), 'same request gave different bytes');
    const other = await c().sample({ model: 'tiny', n: 4, seed: 4 });
    assert.ok(!Buffer.from(a.images.data).equals(Buffer.from(other.images.data)), 'seeds 3 and 4 gave the same images');
  });

  it('makes image i of a seed independently of the batch (design: <=1 level on <=0.1% of pixels)', async () => {
    const four = await c().sample({ model: 'tiny', n: 4, seed: 3 });
    const one = await c().sample({ model: 'tiny', n: 1, seed: 3 });
    const size = one.images.data.length;
    let differ = 0;
    for (let i = 0; i < size; i++) {
      const d = Math.abs(one.images.data[i]! - four.images.data[i]!);
      assert.ok(d <= 1, `pixel ${i} differs by ${d}`);
      if (d) differ++;
    }
    assert.ok(differ <= size * 0.001, `${differ} of ${size} pixels differ`);
  });

  it('interpolates 5 frames', async () => {
    const r = await c().interpolate({ model: 'tiny', seedA: 1, seedB: 2, steps: 5, method: 'lerp' });
    const [n, h, w, ch] = r.frames.shape;
    assert.equal(n, 5);
    assert.equal(r.frames.data.length, n * h * w * ch);
    const s = await c().interpolate({ model: 'tiny', seedA: 1, seedB: 2, steps: 5 });
    assert.deepEqual(s.frames.shape, r.frames.shape);
  });

  it('rejects n=0 with INVALID_ARGUMENT naming field n', async () => {
    await assert.rejects(c().sample({ model: 'tiny', n: 0, seed: 3 }), (err: unknown) => {
      assert.ok(err instanceof LatentGanError, `not a LatentGanError: ${String(err)}`);
      assert.equal(err.codeName, 'INVALID_ARGUMENT');
      assert.equal(err.code, 3);
      assert.equal(err.field, 'n');
      return true;
    });
  });

  it('refuses calls without the right bearer token', async () => {
    for (const opts of [{}, { token: 'wrong' }]) {
      const other = new LatentGanClient(address, opts);
      try {
        assert.equal(await other.health(), 'SERVING');
        await assert.rejects(other.listModels(), (err: unknown) =>
          err instanceof LatentGanError && err.codeName === 'UNAUTHENTICATED');
      } finally {
        other.close();
      }
    }
  });

  it('serves over TLS with LATENTGAN_TLS_CERT/KEY: the same images as plaintext; a plaintext client is UNAVAILABLE', { timeout: HEALTH_TIMEOUT_MS + 90_000 }, async () => {
    const { cert, key } = await selfSigned(dataDir);
    const rootCert = readFileSync(cert);
    const tlsEnv = { ...env, LATENTGAN_TLS_CERT: cert, LATENTGAN_TLS_KEY: key };
    const tls = await startServer(tlsEnv, (at) => new LatentGanClient(at, { tls: { rootCert }, retries: 0 }));
    const secure = new LatentGanClient(tls.address, { token: TOKEN, tls: { rootCert }, timeoutMs: 30_000 });
    const plain = new LatentGanClient(tls.address, { token: TOKEN, retries: 0, timeoutMs: 5_000 });
    const untrusted = new LatentGanClient(tls.address, { token: TOKEN, tls: true, retries: 0, timeoutMs: 5_000 });
    try {
      const overTls = await secure.sample({ model: 'tiny', n: 3, seed: 7 });
      const overPlain = await c().sample({ model: 'tiny', n: 3, seed: 7 });
      assert.equal(overTls.model, 'tiny@1');
      assert.deepEqual(overTls.images.shape, overPlain.images.shape);
      const [n, h, w, ch] = overTls.images.shape;
      assert.equal(n, 3);
      assert.equal(overTls.images.data.length, n * h * w * ch);
      // Two servers of one store: the same request gives the same images (design: <=1 level on <=0.1% of pixels).
      let differ = 0;
      for (let i = 0; i < overTls.images.data.length; i++) {
        const d = Math.abs(overTls.images.data[i]! - overPlain.images.data[i]!);
        assert.ok(d <= 1, `pixel ${i} differs by ${d} between TLS and plaintext`);
        if (d) differ++;
      }
      assert.ok(differ <= overTls.images.data.length * 0.001, `${differ} pixels differ between TLS and plaintext`);
      // The token still applies over TLS.
      const anonymous = new LatentGanClient(tls.address, { tls: { rootCert }, retries: 0 });
      try {
        await assert.rejects(anonymous.listModels(), (err: unknown) => err instanceof LatentGanError && err.codeName === 'UNAUTHENTICATED');
      } finally {
        anonymous.close();
      }
      for (const [what, other] of [['a plaintext client', plain], ['a client not trusting the certificate', untrusted]] as const) {
        await assert.rejects(other.listModels(), (err: unknown) => {
          assert.ok(err instanceof LatentGanError, `${what}: not a LatentGanError: ${String(err)}`);
          assert.equal(err.codeName, 'UNAVAILABLE', `${what}: ${err.message}`);
          return true;
        });
      }
    } catch (err) {
      console.error(`latentgan serve over TLS printed:\n${tls.log()}`);
      throw err;
    } finally {
      for (const other of [secure, plain, untrusted]) other.close();
      await stopServer(tls.child);
    }
  });

  // `latentgan train` (without --no-directions) stores the default direction sets (sefa, pca,
  // random, attribute boundaries) with the version, so these need no ComputeDirections of their
  // own: a new set would load the data set's evaluator, trained on first use (~100 s on CPU).
  it('lists the default directions of tiny@1', async () => {
    const dirs = await c().directions('tiny');
    const [model] = await c().listModels('tiny');
    assert.ok(model);
    const keys = new Set(dirs.map((d) => d.setKey));
    for (const key of ['sefa', 'pca', 'random']) assert.ok(keys.has(key), `no ${key} set in ${JSON.stringify([...keys])}`);
    const sefa = dirs.filter((d) => d.setKey === 'sefa');
    assert.deepEqual(sefa.map((d) => d.id), Array.from({ length: 10 }, (_, i) => `sefa:${i}`));
    for (const d of dirs) {
      assert.ok(d.vector instanceof Float32Array);
      assert.equal(d.vector.length, model.latentDim, `${d.id} has ${d.vector.length} values`);
      const norm = Math.hypot(...d.vector);
      assert.ok(Math.abs(norm - 1) < 1e-3, `${d.id} has norm ${norm}`);
      assert.ok(d.score.samples > 0);
      assert.ok(d.score.topAttribute);
      // Trained with --no-eval: no evaluator, so no class_kept.
      assert.equal(d.score.classKept, undefined);
    }
    assert.ok(dirs.filter((d) => d.method === 'random').every((d) => Number.isNaN(d.value)));
    assert.ok(sefa.every((d) => Number.isFinite(d.value) && d.value > 0));
  });

  it('returns the stored sefa set from computeDirections without computing it again', { timeout: 200_000 }, async () => {
    const set = await c().computeDirections('tiny', { method: 'sefa' }, { timeoutMs: 180_000 });
    assert.equal(set.createdNow, false);
    assert.equal(set.model, 'tiny@1');
    assert.equal(set.key, 'sefa');
    assert.equal(set.method, 'sefa');
    assert.equal(set.parameters['k'], 10);
    assert.ok(set.created instanceof Date && !Number.isNaN(set.created.getTime()));
    assert.ok(set.computeSeconds >= 0 && set.scoreSeconds >= 0);
    const listed = (await c().directions('tiny')).filter((d) => d.setKey === 'sefa');
    assert.deepEqual(set.directions.map((d) => d.id), listed.map((d) => d.id));
    assert.deepEqual(set.directions.map((d) => Array.from(d.vector)), listed.map((d) => Array.from(d.vector)));
  });

  it('edits along sefa:0: strength 0 is the sample of the same seed, another strength is not', async () => {
    const e = await c().edit('tiny', 'sefa:0', [0, 2], { seed: 3, n: 2 });
    const s = await c().sample({ model: 'tiny', n: 2, seed: 3 });
    const [, h, w, ch] = s.images.shape;
    assert.deepEqual(e.images.shape, [4, h, w, ch]);
    assert.deepEqual([e.rows, e.columns, e.strengths, e.model, e.labels], [2, 2, [0, 2], 'tiny@1', []]);
    const size = h * w * ch;
    let moved = 0;
    for (let r = 0; r < 2; r++) {
      const plain = s.images.data.subarray(r * size, (r + 1) * size);
      const zero = e.image(r, 0);
      // Strength 0 adds exactly nothing; only the batch differs (design: <=1 level on <=0.1% of pixels).
      let differ = 0;
      for (let i = 0; i < size; i++) {
        const d = Math.abs(zero[i]! - plain[i]!);
        assert.ok(d <= 1, `row ${r} pixel ${i} differs by ${d}`);
        if (d) differ++;
      }
      assert.ok(differ <= size * 0.001, `row ${r}: ${differ} of ${size} pixels differ`);
      if (!Buffer.from(e.image(r, 1)).equals(Buffer.from(zero))) moved++;
    }
    assert.equal(moved, 2, 'strength 2 along sefa:0 left an image unchanged');

    // The same edit by an explicit vector (sefa:0's own values) and by a one-entry mix.
    const sefa0 = (await c().directions('tiny')).find((d) => d.id === 'sefa:0');
    assert.ok(sefa0);
    const byVector = await c().edit('tiny', sefa0.vector, [2], { seed: 3, n: 1 });
    const byMix = await c().edit('tiny', { 'sefa:0': 1 }, [2], { seed: 3 });
    assert.ok(Buffer.from(byMix.image(0, 0)).equals(Buffer.from(byVector.image(0, 0))), 'mix and vector edits differ');
  });

  it('projects sampled images, edits their latents, and completes one with its left part unknown', { timeout: 300_000 }, async () => {
    const [model] = await c().listModels('tiny');
    assert.ok(model);
    const s = await c().sample({ model: 'tiny', n: 2, seed: 5 });
    const [, h, w, ch] = s.images.shape;
    const size = h * w * ch;
    const p = await c().project('tiny', s.images, {}, { timeoutMs: 240_000 });
    assert.equal(p.model, 'tiny@1');
    assert.ok(['auto', 'optimize', 'encoder'].includes(p.method), `method ${p.method}`);
    assert.deepEqual(p.images.shape, [2, h, w, ch]);
    assert.equal(p.images.data.length, 2 * size);
    assert.deepEqual([p.latents.rows, p.latents.dim], [2, model.latentDim]);
    assert.ok(p.latents.values.every(Number.isFinite));
    assert.deepEqual(p.labels, [], 'tiny is unconditional');
    for (const list of [p.pixelDistances, p.featureDistances, p.steps]) assert.equal(list.length, 2);
    assert.ok(p.pixelDistances.every((d) => Number.isFinite(d) && d >= 0), `pixel distances ${p.pixelDistances}`);

    // The latents go straight to edit: strength 0 gives the reconstructions back (design: <=1 level on <=0.1% of pixels).
    const e = await c().edit('tiny', 'sefa:0', [0, 2], { latents: p.latents, labels: p.labels });
    assert.deepEqual([e.rows, e.columns], [2, 2]);
    for (let r = 0; r < 2; r++) {
      const zero = e.image(r, 0);
      const rec = p.images.data.subarray(r * size, (r + 1) * size);
      let differ = 0;
      for (let i = 0; i < size; i++) {
        const d = Math.abs(zero[i]! - rec[i]!);
        assert.ok(d <= 1, `row ${r} pixel ${i} differs by ${d}`);
        if (d) differ++;
      }
      assert.ok(differ <= size * 0.001, `row ${r}: ${differ} of ${size} pixels differ`);
    }

    const input = s.images.data.subarray(0, size);
    const done = await c().complete('tiny', { shape: [1, h, w, ch], data: input }, 'left', { k: 2, steps: 20 }, { timeoutMs: 240_000 });
    assert.equal(done.model, 'tiny@1');
    assert.deepEqual(done.images.shape, [2, h, w, ch]);
    assert.equal(done.losses.length, 2);
    assert.ok(done.losses[0]! <= done.losses[1]!, `losses ${done.losses} not best first`);
    assert.deepEqual([done.latents.rows, done.latents.dim], [2, model.latentDim]);
    assert.equal(done.label, undefined);
    assert.deepEqual(done.mask.shape, [h, w]);
    let known = 0;
    for (let y = 0; y < h; y++) {
      assert.equal(done.mask.known[y * w], 0, `row ${y}: the left edge must be unknown`);
      assert.equal(done.mask.known[y * w + w - 1], 1, `row ${y}: the right edge must be known`);
    }
    // The known pixels of every completion are exactly the input's (a sample is already at the model's shape).
    for (let k = 0; k < 2; k++) {
      const image = done.images.data.subarray(k * size, (k + 1) * size);
      for (let i = 0; i < h * w; i++) {
        if (!done.mask.known[i]) continue;
        if (k === 0) known++;
        for (let j = 0; j < ch; j++) {
          assert.equal(image[i * ch + j], input[i * ch + j], `completion ${k} changed known pixel ${i}`);
        }
      }
    }
    assert.ok(known > 0 && known < h * w, `${known} of ${h * w} pixels known`);
  });

  it('rejects an edit along an unknown direction with NOT_FOUND naming direction_id', async () => {
    let err: unknown;
    try {
      await c().edit('tiny', 'sefa:99', [1]);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof LatentGanError, `not a LatentGanError: ${String(err)}`);
    assert.equal(err.codeName, 'NOT_FOUND');
    assert.equal(err.field, 'direction_id');
  });

  it('rejects an unknown model with NOT_FOUND', async () => {
    await assert.rejects(c().sample({ model: 'no-such-model', n: 1, seed: 3 }), (err: unknown) => {
      assert.ok(err instanceof LatentGanError, `not a LatentGanError: ${String(err)}`);
      assert.equal(err.codeName, 'NOT_FOUND');
      assert.equal(err.code, 5);
      return true;
    });
  });
});
