"""Dev figures, computed as `ModelTools evaluate` computes them (argmax labels; review rows compare P(negative)
with P(positive) only; ECE of the predicted class's probability over 15 equal-width bins), and the calibration
fitted on dev: class offsets added to the logits, then a temperature."""

import numpy as np

from data import DOMAINS, NEGATIVE, POSITIVE, REDDIT, REVIEWS, TWEETS

CALIBRATION_BINS = 15


def softmax(logits):
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def ece(confidence, correct, bins=CALIBRATION_BINS):
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for b in range(bins):
        lower, upper = edges[b], edges[b + 1]
        inside = (confidence > lower) & (confidence <= upper) if b > 0 else (confidence >= lower) & (confidence <= upper)
        if inside.any():
            total += inside.sum() * abs(confidence[inside].mean() - correct[inside].mean())
    return total / max(len(confidence), 1)


def three_class(probabilities, labels):
    predicted = probabilities.argmax(axis=1)
    f1s, recalls = [], []
    for k in range(3):
        tp = np.sum((predicted == k) & (labels == k))
        precision = tp / max(np.sum(predicted == k), 1)
        recall = tp / max(np.sum(labels == k), 1)
        f1s.append(0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall))
        recalls.append(recall)
    correct = predicted == labels
    return {
        "accuracy": float(correct.mean()),
        "macro_f1": float(np.mean(f1s)),
        "macro_recall": float(np.mean(recalls)),
        "ece": float(ece(probabilities.max(axis=1), correct)),
    }


def binary(probabilities, labels):
    negative, positive = probabilities[:, NEGATIVE], probabilities[:, POSITIVE]
    predicted = np.where(positive > negative, POSITIVE, NEGATIVE)
    correct = predicted == labels
    confidence = np.maximum(negative, positive) / np.maximum(negative + positive, 1e-12)
    return {"accuracy": float(correct.mean()), "ece": float(ece(confidence, correct))}


def figures(logits_by_domain, labels_by_domain):
    """Per-domain figures and the selection score: the mean of the three figures the model is judged by
    (tweets' macro recall, reviews' accuracy, Reddit's macro-F1)."""
    result = {}
    for domain, logits in logits_by_domain.items():
        probabilities = softmax(logits)
        labels = labels_by_domain[domain]
        result[DOMAINS[domain]] = binary(probabilities, labels) if domain == REVIEWS else three_class(probabilities, labels)
    result["selection"] = float(np.mean([
        result[DOMAINS[TWEETS]]["macro_recall"],
        result[DOMAINS[REVIEWS]]["accuracy"],
        result[DOMAINS[REDDIT]]["macro_f1"],
    ]))
    return result


def fit_offsets(logits_by_domain, labels_by_domain, span=1.5, step=0.05):
    """Offsets (negative, 0, positive) added to every logit that maximise the dev selection score: one model
    serves every register, so the offsets are shared. A grid over both offsets; ties go to the smaller change."""
    best = (-1.0, 0.0, np.zeros(3))
    grid = np.arange(-span, span + step / 2, step)
    for negative in grid:
        for positive in grid:
            offsets = np.array([negative, 0.0, positive])
            shifted = {d: l + offsets for d, l in logits_by_domain.items()}
            score = figures(shifted, labels_by_domain)["selection"]
            size = abs(negative) + abs(positive)
            if score > best[0] + 1e-9 or (abs(score - best[0]) <= 1e-9 and size < best[1]):
                best = (score, size, offsets)
    return best[2]


def nll(logits_by_domain, labels_by_domain, temperature):
    """Mean negative log-likelihood on dev: three-way rows over three classes, review rows over negative
    versus positive (they say nothing about neutral)."""
    total, count = 0.0, 0
    for domain, logits in logits_by_domain.items():
        labels = labels_by_domain[domain]
        z = logits / temperature
        if domain == REVIEWS:
            z = z[:, [NEGATIVE, POSITIVE]]
            labels = (labels == POSITIVE).astype(np.int64)
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        total -= log_p[np.arange(len(labels)), labels].sum()
        count += len(labels)
    return total / count


def fit_temperature(logits_by_domain, labels_by_domain):
    """The temperature minimising dev NLL (golden-section search over log T in [0.25, 8])."""
    lo, hi = np.log(0.25), np.log(8.0)
    ratio = (np.sqrt(5) - 1) / 2
    a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fa, fb = nll(logits_by_domain, labels_by_domain, np.exp(a)), nll(logits_by_domain, labels_by_domain, np.exp(b))
    for _ in range(60):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - ratio * (hi - lo)
            fa = nll(logits_by_domain, labels_by_domain, np.exp(a))
        else:
            lo, a, fa = a, b, fb
            b = lo + ratio * (hi - lo)
            fb = nll(logits_by_domain, labels_by_domain, np.exp(b))
    return float(np.exp((lo + hi) / 2))
