"""The accurate model in PyTorch: a BERT encoder (all-MiniLM-L6-v2's shape) with mean pooling, VADER's four
scores and a linear head, loaded from and written back to the Scorer's ONNX graph.

The ONNX file the Scorer serves is the source of the pretrained weights. Its initializers keep Hugging Face's
names for biases, LayerNorms and embeddings (``encoder.layer.0.attention.self.query.bias``), but each Linear
layer's weight is stored transposed under a number (``927``) and consumed by a MatMul whose output the layer's
bias is added to. ``OnnxWeights`` follows that MatMul -> Add pattern to give every number its name, so the
trainer loads the exact weights the Scorer would run and writes fine-tuned ones back under the names the
Scorer's graph uses.
"""

import math

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch import nn

HIDDEN = 384
HEADS = 12
INTERMEDIATE = 1536
LAYERS = 6
LAYER_NORM_EPS = 1e-12
# The ONNX graph masks padding by adding (1 - mask) * -10000 to the attention scores, as Hugging Face's BERT did.
MASK_VALUE = -10000.0
LEXICON_FEATURES = 4
LABELS = ("negative", "neutral", "positive")


class OnnxWeights:
    """The encoder graph's initializers by Hugging Face name, in PyTorch layout (Linear weights [out, in])."""

    def __init__(self, path):
        model = onnx.load(path)
        self.graph = model.graph
        self.arrays = {t.name: numpy_helper.to_array(t) for t in self.graph.initializer}
        self.onnx_name = {}  # Hugging Face name -> initializer name
        self.transposed = set()  # Hugging Face names stored transposed ([in, out]) in the graph
        consumers = {}
        for node in self.graph.node:
            for value in node.input:
                consumers.setdefault(value, []).append(node)
        for node in self.graph.node:
            if node.op_type != "MatMul" or node.input[1] not in self.arrays:
                continue
            adds = [n for n in consumers.get(node.output[0], []) if n.op_type == "Add"]
            biases = [i for n in adds for i in n.input if i.endswith(".bias") and i in self.arrays]
            if len(biases) != 1:
                raise ValueError(f"MatMul {node.name} is not followed by exactly one named bias")
            name = biases[0][: -len(".bias")] + ".weight"
            self.onnx_name[name] = node.input[1]
            self.transposed.add(name)
        for name in self.arrays:
            if not name.isdigit():
                self.onnx_name.setdefault(name, name)

    def torch_array(self, name):
        array = self.arrays[self.onnx_name[name]]
        return array.T if name in self.transposed else array

    def onnx_layout(self, name, array):
        """(initializer name, array in the graph's layout) for a PyTorch parameter."""
        return self.onnx_name[name], (array.T if name in self.transposed else array)


class SelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query = nn.Linear(HIDDEN, HIDDEN)
        self.key = nn.Linear(HIDDEN, HIDDEN)
        self.value = nn.Linear(HIDDEN, HIDDEN)

    def forward(self, x, additive_mask):
        batch, length, _ = x.shape
        head = HIDDEN // HEADS

        def split(t):
            return t.view(batch, length, HEADS, head).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(head) + additive_mask
        context = torch.matmul(torch.softmax(scores, dim=-1), v)
        return context.transpose(1, 2).reshape(batch, length, HIDDEN)


class Layer(nn.Module):
    """A post-LayerNorm BERT layer; attribute names follow Hugging Face's so parameter names match the graph's."""

    def __init__(self, dropout):
        super().__init__()
        self.attention = nn.Module()
        self.attention.self = SelfAttention()
        self.attention.output = nn.Module()
        self.attention.output.dense = nn.Linear(HIDDEN, HIDDEN)
        self.attention.output.LayerNorm = nn.LayerNorm(HIDDEN, eps=LAYER_NORM_EPS)
        self.intermediate = nn.Module()
        self.intermediate.dense = nn.Linear(HIDDEN, INTERMEDIATE)
        self.output = nn.Module()
        self.output.dense = nn.Linear(INTERMEDIATE, HIDDEN)
        self.output.LayerNorm = nn.LayerNorm(HIDDEN, eps=LAYER_NORM_EPS)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, additive_mask):
        attended = self.dropout(self.attention.output.dense(self.attention.self(x, additive_mask)))
        x = self.attention.output.LayerNorm(x + attended)
        # Exact (erf) GELU, as the graph computes it.
        hidden = nn.functional.gelu(self.intermediate.dense(x))
        return self.output.LayerNorm(x + self.dropout(self.output.dense(hidden)))


class Encoder(nn.Module):
    def __init__(self, vocabulary, positions, dropout):
        super().__init__()
        self.embeddings = nn.Module()
        self.embeddings.word_embeddings = nn.Embedding(vocabulary, HIDDEN)
        self.embeddings.position_embeddings = nn.Embedding(positions, HIDDEN)
        self.embeddings.token_type_embeddings = nn.Embedding(2, HIDDEN)
        self.embeddings.LayerNorm = nn.LayerNorm(HIDDEN, eps=LAYER_NORM_EPS)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList(Layer(dropout) for _ in range(LAYERS))
        self.dropout = nn.Dropout(dropout)

    def forward(self, ids, mask):
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        e = self.embeddings
        # Single-segment inputs: token type 0 everywhere, as the Scorer feeds them.
        x = e.word_embeddings(ids) + e.token_type_embeddings.weight[0] + e.position_embeddings(positions)
        x = self.dropout(e.LayerNorm(x))
        additive = (1.0 - mask[:, None, None, :].to(x.dtype)) * MASK_VALUE
        for layer in self.encoder.layer:
            x = layer(x, additive)
        return x


class SentimentModel(nn.Module):
    """Encoder -> masked mean pooling -> [pooled, VADER's four scores] -> dropout -> Linear(388, 3)."""

    def __init__(self, vocabulary=30522, positions=512, dropout=0.1, lexicon=True):
        super().__init__()
        self.bert = Encoder(vocabulary, positions, dropout)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(HIDDEN + (LEXICON_FEATURES if lexicon else 0), len(LABELS))

    def forward(self, ids, mask, lexicon=None):
        """Logits [batch, 3]; `lexicon` [batch, 4] when the head reads VADER's scores, else None."""
        hidden = self.bert(ids, mask)
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        features = pooled if lexicon is None else torch.cat([pooled, lexicon], dim=-1)
        return self.head(self.dropout(features))

    def encoder_parameters(self):
        """(Hugging Face name, parameter) of the encoder."""
        return ((name, p) for name, p in self.bert.named_parameters())

    @classmethod
    def from_onnx(cls, weights: OnnxWeights, dropout=0.1, seed=0, lexicon=True):
        vocabulary, _ = weights.torch_array("embeddings.word_embeddings.weight").shape
        positions, _ = weights.torch_array("embeddings.position_embeddings.weight").shape
        model = cls(vocabulary, positions, dropout, lexicon)
        state = {name: torch.from_numpy(np.array(weights.torch_array(name))) for name, _ in model.encoder_parameters()}
        model.bert.load_state_dict(state)
        generator = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            model.head.weight.normal_(0.0, 0.02, generator=generator)
            model.head.bias.zero_()
        return model
