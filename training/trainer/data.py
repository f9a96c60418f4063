"""The splits `ModelTools prepare` writes (token ids from the Scorer's own tokenizer, VADER's scores from its own
analyser), and length-bucketed batches over them."""

from pathlib import Path

import numpy as np
import torch

REDDIT, TWEETS, REVIEWS = 0, 1, 2
DOMAINS = {REDDIT: "reddit", TWEETS: "tweets", REVIEWS: "reviews"}
NEGATIVE, NEUTRAL, POSITIVE = 0, 1, 2
PAD_ID = 0


class Split:
    """One prepared split: ids.npy, offsets.npy, labels.npy, domains.npy, lexicon.npy."""

    def __init__(self, folder):
        folder = Path(folder)
        self.name = folder.name
        self.ids = np.load(folder / "ids.npy")
        self.offsets = np.load(folder / "offsets.npy")
        self.labels = np.load(folder / "labels.npy").astype(np.int64)
        self.domains = np.load(folder / "domains.npy").astype(np.int64)
        self.lexicon = np.load(folder / "lexicon.npy")
        self.lengths = np.diff(self.offsets)

    def __len__(self):
        return len(self.labels)

    def batch(self, indices):
        """Padded tensors of the rows at `indices`: ids, mask, lexicon, labels, domains."""
        indices = np.asarray(indices)
        width = int(self.lengths[indices].max())
        ids = np.full((len(indices), width), PAD_ID, dtype=np.int64)
        mask = np.zeros((len(indices), width), dtype=np.int64)
        for row, i in enumerate(indices):
            start, end = self.offsets[i], self.offsets[i + 1]
            ids[row, : end - start] = self.ids[start:end]
            mask[row, : end - start] = 1
        return (
            torch.from_numpy(ids),
            torch.from_numpy(mask),
            torch.from_numpy(self.lexicon[indices].copy()),
            torch.from_numpy(self.labels[indices]),
            torch.from_numpy(self.domains[indices]),
        )


def bucketed_batches(lengths, batch_size, rng, pool_batches=64):
    """One epoch's batches: rows shuffled, then sorted by length within pools of `pool_batches` batches, so a
    batch pads little while batches still mix domains and lengths across the epoch; batch order shuffled."""
    order = rng.permutation(len(lengths))
    pool = batch_size * pool_batches
    batches = []
    for start in range(0, len(order), pool):
        chunk = order[start : start + pool]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def ordered_batches(lengths, batch_size):
    """Batches in length order, for evaluation."""
    order = np.argsort(lengths, kind="stable")
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
