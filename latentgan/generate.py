"""Images from a generator: seeded or explicit latents, labels, truncation, interpolation.

Each request kind's parameters are a class of ``latentgan.schemas.generation``; this module turns
them into generator inputs (``generation_inputs``), checking what depends on the model, and the
inputs of one or many requests into images (``generate``, ``render_many``). ``sample`` and
``interpolate_images`` build the parameters from keyword arguments, for the CLI and the library.

Batch invariance (docs/architecture.md, decision 3): images must not depend on what shares their
forward pass. Eval mode makes every row independent mathematically; numerically, PyTorch picks
other kernels by batch size (a matrix-vector product for a Linear under 4 rows, its own
convolution for a 3×3 convolution of one image) and splits a small batch among threads along
another axis, so the sums come out in another order. Larger batches are split into fixed chunks of
at most ``batch_size``.

On a CPU with oneDNN the forward pass is an ``InferenceGraph``: the generator with each BatchNorm
folded into the layer before it, the convolutions on channels-last tensors with their weights
blocked for oneDNN once, each layer on one named kernel whatever the batch size (oneDNN's, or
PyTorch's per-image one for the thin output layer of a 28- or 32-pixel model), the Linear in
products of exactly MIN_ROWS or LINEAR_ROWS rows, and the convolutions on a whole number of images
per thread (zero padding). Measured bit for bit: every batch size from 1 to 256 gives each row the
value it has in any other batch, at 1 to 16 threads, and every thread count gives the same rows
(tests/unit/test_generate.py). At one image it is ~2.9× faster than the module padded to MIN_ROWS
(0.19 against 0.55 ms, one thread, the default architecture), at 256 ~1.6×
(``benchmarks.hot_path``). It is built once per set of weights and rebuilt when a weight or
statistic changes (training samples the module it trains). Elsewhere (a GPU, a CPU without oneDNN,
a layer it does not know) the module itself runs, every pass padded to MIN_ROWS rows.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import assert_never

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from latentgan.errors import ConfigError
from latentgan.images import to_uint8
from latentgan.latent import (
    InterpolationMethod,
    arithmetic,
    cycle_labels,
    interpolate,
    seeded_latents,
    truncate,
)
from latentgan.models import Generator
from latentgan.schemas.generation import (
    EditParams,
    GenerationParams,
    InterpolateParams,
    SampleParams,
)

MIN_ROWS = 4  # the module's passes (and the projection's) are padded to at least this many rows
LINEAR_ROWS = 16  # InferenceGraph's Linear runs on products of this many rows (or MIN_ROWS)
DEFAULT_BATCH = 256


def check_labels(labels: Sequence[int] | None, n: int, num_classes: int) -> Tensor | None:
    """Labels as a tensor, or a ConfigError saying what is wrong with them."""
    if num_classes == 0:
        if labels:
            raise ConfigError("this model is unconditional: it takes no labels", field="labels")
        return None
    if not labels:
        return cycle_labels(n, num_classes)
    if len(labels) == 1:
        labels = list(labels) * n  # one label for every image
    if len(labels) != n:
        raise ConfigError(f"got {len(labels)} labels for {n} images: give 1 or {n}", field="labels")
    bad = [y for y in labels if not 0 <= y < num_classes]
    if bad:
        raise ConfigError(
            f"label {bad[0]} out of range: this model has classes 0..{num_classes - 1}",
            field="labels",
        )
    return torch.tensor(list(labels), dtype=torch.long)


@torch.inference_mode()
def render(
    g: Generator,
    z: Tensor,
    labels: Tensor | None = None,
    class_embedding: Tensor | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> np.ndarray:
    """uint8 N×H×W×C images for latents z (and labels or class embeddings), batch-invariantly."""
    if g.training:
        g.eval()
    graph = inference_graph(g)
    device = graph.device if graph is not None else next(g.parameters()).device
    if g.embed is None:  # an unconditional G ignores labels, as its forward does
        class_embedding = None
    elif class_embedding is None:
        if labels is None:
            raise ValueError("a conditional generator needs labels")
        class_embedding = g.class_embedding(labels.to(device))
    out = []
    for start in range(0, len(z), batch_size):
        rows = slice(start, start + batch_size)
        eb = class_embedding[rows].to(device) if class_embedding is not None else None
        if graph is not None:
            out.append(to_uint8(graph(z[rows].to(device), eb)))
            continue
        n = len(z[rows])
        padded = _pad(eb) if eb is not None else None
        out.append(to_uint8(g(_pad(z[rows]).to(device), None, padded)[:n]))
    if not out:
        c = g.cfg
        return np.zeros((0, c.image_size, c.image_size, c.channels), np.uint8)
    return out[0] if len(out) == 1 else np.concatenate(out)


def _pad(t: Tensor, rows: int = MIN_ROWS) -> Tensor:
    if len(t) >= rows:
        return t
    return torch.cat([t, t.new_zeros((rows - len(t), *t.shape[1:]))])


def _mkldnn_op(name: str) -> Callable[..., Tensor] | None:
    """``torch.ops.mkldnn.<name>`` (oneDNN's fused kernels, which take a weight blocked once), or
    None where this PyTorch lacks it."""
    try:
        op: Callable[..., Tensor] = getattr(torch.ops.mkldnn, name)
    except (AttributeError, RuntimeError):
        return None
    return op


@dataclass(frozen=True)
class _Layer:
    """One convolution of an InferenceGraph, its BatchNorm folded in, and its activation."""

    weight: Tensor
    bias: Tensor
    stride: list[int]
    padding: list[int]
    transposed: bool
    activation: str  # "relu", "tanh" or "none"
    native: bool  # PyTorch's per-image kernel (the thin output layer), not oneDNN's
    packed: Tensor | None = None  # oneDNN's blocked copy of ``weight``, for ``fused``
    fused: Callable[..., Tensor] | None = None  # oneDNN's kernel taking ``packed`` (+ ReLU)

    def __call__(self, h: Tensor) -> Tensor:
        """The layer on a batch (channels-last, or contiguous for a native layer)."""
        relu = self.activation == "relu"
        if self.native:
            kernel = list(self.weight.shape[2:])
            out = torch.ops.aten.slow_conv_transpose2d(
                h.contiguous(), self.weight, kernel, self.bias, self.stride, self.padding
            )
        elif self.fused is not None:  # oneDNN's kernel, without re-blocking the weight per call
            attr = "relu" if relu else "none"
            if self.transposed:  # padding, output padding, stride, dilation, groups
                shape: list[object] = [self.padding, [0, 0], self.stride, [1, 1], 1]
            else:  # padding, stride, dilation, groups
                shape = [self.padding, self.stride, [1, 1], 1]
            out = self.fused(h, self.packed, self.bias, *shape, attr, [], "")
            relu = False
        elif self.transposed:
            out = F.conv_transpose2d(h, self.weight, self.bias, self.stride, self.padding)
        else:  # named: PyTorch would send a one-image batch of a 3×3 convolution elsewhere
            out = torch.ops.aten.mkldnn_convolution(
                h, self.weight, self.bias, self.padding, self.stride, [1, 1], 1
            )
        if relu:
            return torch.relu_(out)
        return torch.tanh_(out) if self.activation == "tanh" else out


class InferenceGraph:
    """A generator's eval-mode forward pass, made for serving on a CPU (see the module docstring).

    Built by ``inference_graph``; call it with latents (and class embeddings for a conditional
    model) for the generator's output, N×C×H×W in [-1, 1]. Rows never interact: any batch size,
    from one image up, gives each row the value it has in any other batch.
    """

    def __init__(
        self,
        device: torch.device,
        base: int,
        linear: tuple[Tensor, Tensor],
        layers: list[_Layer],
    ) -> None:
        self.device = device
        self.base = base
        self.linear_weight, self.linear_bias = linear
        self.layers = layers

    def __call__(self, z: Tensor, class_embedding: Tensor | None = None) -> Tensor:
        """G(z) (with the embeddings concatenated to z, as the module does)."""
        n = len(z)
        x = z if class_embedding is None else torch.cat([z, class_embedding.to(z.dtype)], dim=1)
        # Every image goes through the same shapes of kernel call whatever shares its batch: the
        # Linear in products of MIN_ROWS rows (a small batch) or of LINEAR_ROWS rows (in chunks),
        # the convolutions on a whole number of images per thread (a batch split along another
        # axis sums in another order). Measured bit-exact from 1 to 16 threads.
        threads = torch.get_num_threads()
        rows = -(-n // threads) * threads
        if rows <= MIN_ROWS:
            chunks: Sequence[Tensor] = [_pad(x, MIN_ROWS)]
        else:
            chunks = _pad(x, -(-rows // LINEAR_ROWS) * LINEAR_ROWS).split(LINEAR_ROWS)
        h = torch.cat([F.linear(c, self.linear_weight, self.linear_bias) for c in chunks])
        h = torch.relu_(h[:rows]).reshape(rows, -1, self.base, self.base)
        h = h.contiguous(memory_format=torch.channels_last)
        for layer in self.layers:
            h = layer(h)
        return h[:n].contiguous()


@dataclass
class _Cached:
    """A generator's graph and what it was built from."""

    graph: InferenceGraph | None
    tensors: list[Tensor]  # the generator's parameters and buffers, in order
    registrations: int  # _REGISTRATIONS when ``tensors`` was listed
    key: tuple[int, ...]  # their storage and version counters then


_GRAPHS: weakref.WeakKeyDictionary[Generator, _Cached] = weakref.WeakKeyDictionary()
_REGISTRATIONS = 0  # parameters, buffers and modules registered on any module so far


def _registered(*_: object) -> None:
    global _REGISTRATIONS
    _REGISTRATIONS += 1


# A replaced parameter (``load_state_dict(assign=True)``, an attribute set) or module is seen by
# these global hooks, so that the check of a cached graph need not walk the module tree each call.
nn.modules.module.register_module_parameter_registration_hook(_registered)
nn.modules.module.register_module_buffer_registration_hook(_registered)
nn.modules.module.register_module_module_registration_hook(_registered)


def _key(tensors: list[Tensor]) -> tuple[int, ...]:
    """Changes whenever one of ``tensors`` is written in place (a training step, a state dict
    loaded) or moved (``.to``)."""
    return tuple(x for t in tensors for x in (t.data_ptr(), t._version))


def inference_graph(g: Generator) -> InferenceGraph | None:
    """The InferenceGraph of ``g`` as its weights are now (built once, rebuilt after they change),
    or None where it does not apply and the module itself runs: a GPU, a CPU without oneDNN, a
    layer it does not know."""
    cached = _GRAPHS.get(g)
    if cached is not None and cached.registrations != _REGISTRATIONS:
        now = [*g.parameters(), *g.buffers()]  # something was registered somewhere: here?
        same = len(now) == len(cached.tensors)
        if same and all(a is b for a, b in zip(now, cached.tensors, strict=True)):
            cached.registrations = _REGISTRATIONS
        else:
            cached = None
    if cached is not None and cached.key == _key(cached.tensors):
        return cached.graph
    tensors = [*g.parameters(), *g.buffers()]
    with torch.inference_mode():
        graph = _build_graph(g)
    _GRAPHS[g] = _Cached(graph, tensors, _REGISTRATIONS, _key(tensors))
    return graph


def _folded(
    weight: Tensor, bias: Tensor | None, bn: nn.Module | None, out_dim: int
) -> tuple[Tensor, Tensor]:
    """(weight, bias) of a layer followed by an eval-mode BatchNorm, as one layer."""
    out_channels = weight.shape[out_dim]
    b = bias.detach().float() if bias is not None else weight.new_zeros(out_channels)
    if bn is None:
        return weight.detach().float().contiguous(), b
    assert isinstance(bn, nn.BatchNorm1d | nn.BatchNorm2d)
    assert bn.running_mean is not None and bn.running_var is not None
    scale = torch.rsqrt(bn.running_var.float() + bn.eps)
    if bn.weight is not None:
        scale = scale * bn.weight.float()
    shift = bn.bias.float() if bn.bias is not None else torch.zeros_like(scale)
    shape = [1] * weight.dim()
    shape[out_dim] = -1
    folded = (weight.detach().float() * scale.view(shape)).contiguous()
    return folded, shift + (b - bn.running_mean.float()) * scale


def _activation(module: nn.Module | None) -> str | None:
    if module is None:
        return "none"
    if isinstance(module, nn.ReLU):
        return "relu"
    return "tanh" if isinstance(module, nn.Tanh) else None


def _build_graph(g: Generator) -> InferenceGraph | None:
    """Fold and pack ``g``'s layers; None if any is not what this graph knows how to run."""
    params = list(g.parameters())
    device = params[0].device
    if (
        device.type != "cpu"
        or not torch.backends.mkldnn.is_available()
        or not hasattr(torch.ops.aten, "mkldnn_convolution")
        or not hasattr(torch.ops.aten, "slow_conv_transpose2d")
        or any(p.dtype != torch.float32 for p in params)
    ):
        return None
    project = list(g.project)
    if not (
        len(project) == 3
        and isinstance(project[0], nn.Linear)
        and isinstance(project[1], nn.BatchNorm1d)
        and isinstance(project[2], nn.ReLU)
    ):
        return None
    linear = _folded(project[0].weight, project[0].bias, project[1], 0)
    modules = list(g.body)
    layers: list[_Layer] = []
    i = 0
    while i < len(modules):
        conv = modules[i]
        if not isinstance(conv, nn.Conv2d | nn.ConvTranspose2d):
            return None
        plain = (
            conv.groups == 1
            and tuple(conv.dilation) == (1, 1)
            and conv.padding_mode == "zeros"
            and not isinstance(conv.padding, str)
            and tuple(conv.output_padding) == (0, 0)
        )
        if not plain:
            return None
        i += 1
        bn = modules[i] if i < len(modules) and isinstance(modules[i], nn.BatchNorm2d) else None
        i += bn is not None
        activation = _activation(modules[i] if i < len(modules) else None)
        if activation is None:
            return None
        i += activation != "none"
        transposed = isinstance(conv, nn.ConvTranspose2d)
        weight, bias = _folded(conv.weight, conv.bias, bn, 1 if transposed else 0)
        # The thin output layer: PyTorch's per-image kernel is 2-4× faster than oneDNN's there.
        native = transposed and i == len(modules) and g.cfg.image_size <= 32
        padding = [int(x) for x in conv.padding]
        layer = _Layer(weight, bias, list(conv.stride), padding, transposed, activation, native)
        layers.append(layer if native else _packed(layer))
    return InferenceGraph(device, g.base, linear, layers)


def _packed(layer: _Layer) -> _Layer:
    """``layer`` on oneDNN's fused kernel with its weight blocked once, where this PyTorch has
    both; else ``layer`` as it is (the same oneDNN kernel, which re-blocks the weight per call)."""
    name = "_convolution_transpose_pointwise" if layer.transposed else "_convolution_pointwise"
    fused = _mkldnn_op(name)
    if fused is None:
        return layer
    try:
        if layer.transposed:
            reorder = _mkldnn_op("_reorder_convolution_transpose_weight")
            if reorder is None:
                return layer
            packed = reorder(layer.weight, layer.padding, [0, 0], layer.stride, [1, 1], 1, None)
        else:
            packed = torch._C._nn.mkldnn_reorder_conv2d_weight(
                layer.weight.to_mkldnn(), layer.padding, layer.stride, [1, 1], 1
            )
    except (RuntimeError, NotImplementedError):
        return layer
    return dataclasses.replace(layer, packed=packed, fused=fused)


def latents_for(g: Generator, n: int, seed: int, latents: np.ndarray | Tensor | None) -> Tensor:
    """Explicit latents (their shape checked against the model) or the seeded ones for 0..n-1."""
    dim = g.cfg.latent_dim
    if latents is None:
        return seeded_latents(seed, n, dim)
    z = torch.as_tensor(np.asarray(latents, dtype=np.float32))
    if z.ndim != 2 or z.shape[1] != dim:
        raise ConfigError(
            f"latents must be n×{dim} for this model, got {tuple(z.shape)}", field="latents"
        )
    return z


@dataclass(frozen=True)
class GenerationInputs:
    """What one request feeds the generator: latents, plus class embeddings for a conditional G.

    Requests for the same model can be concatenated into one forward pass (``render_many``);
    batch invariance makes each request's images the same as if it had run alone.
    """

    z: Tensor
    class_embedding: Tensor | None = None
    labels: Tensor | None = None  # the class of each sampled image (None for a walk)

    def __len__(self) -> int:
        return len(self.z)


def sample_inputs(g: Generator, params: SampleParams) -> GenerationInputs:
    """The generator inputs of a Sample request: image i is latent (seed, i), or row i of
    ``latents``; ConfigError if the latents or labels do not fit the model."""
    z = truncate(latents_for(g, params.n, params.seed, params.latents), params.truncation)
    y = check_labels(params.labels, len(z), g.cfg.num_classes)
    return GenerationInputs(z, None if y is None else _embed(g, y), y)


def interpolation_inputs(g: Generator, params: InterpolateParams) -> GenerationInputs:
    """The generator inputs of an Interpolate request (see ``InterpolateParams``); ConfigError if
    an endpoint does not fit the model."""
    a, b = params.latent_a, params.latent_b
    z_a = latents_for(g, 1, params.seed_a, None if a is None else np.reshape(a, (1, -1)))[0]
    z_b = latents_for(g, 1, params.seed_b, None if b is None else np.reshape(b, (1, -1)))[0]
    path = truncate(interpolate(z_a, z_b, params.steps, params.method), params.truncation)
    k = g.cfg.num_classes
    if k == 0:
        if params.label_a is not None or params.label_b is not None:
            raise ConfigError("this model is unconditional: it takes no labels", field="label_a")
        return GenerationInputs(path)
    label_a = params.label_a if params.label_a is not None else 0
    label_b = params.label_b if params.label_b is not None else label_a
    ends = check_labels([label_a, label_b], 2, k)
    assert ends is not None
    e_a, e_b = _embed(g, ends)
    return GenerationInputs(path, interpolate(e_a, e_b, params.steps, "lerp"))


def edit_inputs(g: Generator, params: EditParams) -> GenerationInputs:
    """The generator inputs of an Edit request (see ``EditParams``), row-major: row r's latent
    plus each strength times the direction; ConfigError if the latents, the direction or the
    labels do not fit the model."""
    dim = g.cfg.latent_dim
    if params.arithmetic is not None:
        a, b, c = (seeded_latents(seed, 1, dim) for seed in params.arithmetic)
        rows = arithmetic(a, b, c)
    else:
        rows = latents_for(g, params.n, params.seed, params.latents)
    rows = truncate(rows, params.truncation)
    if params.direction.shape != (dim,):
        raise ConfigError(
            f"the direction must have {dim} values for this model, got {params.direction.size}",
            field="direction",
        )
    direction = torch.tensor(params.direction, dtype=torch.float32)  # a copy: may be read-only
    strengths = torch.tensor(params.strengths, dtype=torch.float32)
    # rows × strengths × dim; strength 0 adds exactly zero, so it is the plain sample, bit for bit
    z = rows[:, None, :] + strengths[None, :, None] * direction
    y = check_labels(params.labels, len(rows), g.cfg.num_classes)
    if y is None:
        return GenerationInputs(z.reshape(-1, dim))
    y = y.repeat_interleave(len(params.strengths))
    return GenerationInputs(z.reshape(-1, dim), _embed(g, y), y)


def generation_inputs(g: Generator, params: GenerationParams) -> GenerationInputs:
    """The generator inputs of any generation request: what a worker computes per request."""
    if isinstance(params, SampleParams):
        return sample_inputs(g, params)
    if isinstance(params, InterpolateParams):
        return interpolation_inputs(g, params)
    if isinstance(params, EditParams):
        return edit_inputs(g, params)
    assert_never(params)


def generate(g: Generator, params: GenerationParams) -> np.ndarray:
    """The images (uint8 N×H×W×C) of one generation request, as a worker would serve it."""
    return render_many(g, [generation_inputs(g, params)])[0]


def sample(
    g: Generator,
    n: int = 1,
    seed: int = 0,
    labels: Sequence[int] | None = None,
    truncation: float = 1.0,
    latents: np.ndarray | Tensor | None = None,
) -> np.ndarray:
    """n images (uint8 N×H×W×C): image i is latent (seed, i), or row i of ``latents``.

    The library's and the CLI's way to say ``SampleParams``.
    """
    rows = None if latents is None else np.asarray(latents, dtype=np.float32)
    return generate(g, SampleParams(n, seed, tuple(labels or ()), truncation, rows))


def interpolate_images(
    g: Generator,
    seed_a: int = 0,
    seed_b: int = 1,
    steps: int = 8,
    method: InterpolationMethod = "slerp",
    label_a: int | None = None,
    label_b: int | None = None,
    truncation: float = 1.0,
    latent_a: np.ndarray | Tensor | None = None,
    latent_b: np.ndarray | Tensor | None = None,
) -> np.ndarray:
    """Frames (uint8 steps×H×W×C) walking from endpoint a to endpoint b (see InterpolateParams).

    The library's and the CLI's way to say ``InterpolateParams``: an endpoint is latent
    (seed, 0), the image ``sample(n=1, seed=...)`` gives, or an explicit latent; equal seeds and
    different labels morph one digit style across classes.
    """
    ends = [None if z is None else np.asarray(z, dtype=np.float32) for z in (latent_a, latent_b)]
    params = InterpolateParams(
        steps, method, seed_a, seed_b, ends[0], ends[1], label_a, label_b, truncation
    )
    return generate(g, params)


def edit(
    g: Generator,
    direction: np.ndarray | Tensor,
    strengths: Sequence[float] = (-3.0, -1.5, 0.0, 1.5, 3.0),
    n: int = 1,
    seed: int = 0,
    labels: Sequence[int] | None = None,
    truncation: float = 1.0,
    latents: np.ndarray | Tensor | None = None,
) -> np.ndarray:
    """An edit grid (uint8 rows×strengths×H×W×C): latent r moved by each strength along
    ``direction`` (see ``EditParams``). The library's and the CLI's way to say ``EditParams``."""
    rows = None if latents is None else np.asarray(latents, dtype=np.float32)
    params = EditParams(
        np.asarray(direction, dtype=np.float32),
        tuple(float(s) for s in strengths),
        n,
        seed,
        tuple(labels or ()),
        truncation,
        rows,
    )
    images = generate(g, params)
    return images.reshape(params.rows, len(params.strengths), *images.shape[1:])


def _embed(g: Generator, labels: Tensor) -> Tensor:
    device = next(g.parameters()).device
    return g.class_embedding(labels.to(device)).detach().cpu()


def render_many(g: Generator, requests: Sequence[GenerationInputs]) -> list[np.ndarray]:
    """Images for several requests in shared forward passes, split back per request.

    Each request's images are those it would get alone (batch invariance): a generation worker
    merges whatever is queued for one model into one call of this.
    """
    if not requests:
        return []
    z = torch.cat([r.z for r in requests])
    embeddings = [r.class_embedding for r in requests]
    if any(e is None for e in embeddings) and g.cfg.num_classes:
        raise ConfigError("a conditional model needs class embeddings for every request")
    e = torch.cat([x for x in embeddings if x is not None]) if g.cfg.num_classes else None
    images = render(g, z, class_embedding=e)
    bounds = np.cumsum([len(r) for r in requests])[:-1]
    return list(np.split(images, bounds))
