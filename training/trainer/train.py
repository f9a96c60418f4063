#!/usr/bin/python3
"""Fine-tunes the accurate model (all-MiniLM-L6-v2 with VADER's scores and a linear head) on Reddit comments,
tweets and review phrases at once, and writes the weights file the Scorer serves.

Inputs are what `ModelTools prepare` writes (see training/README.md); the one command that runs everything is
`scripts/train-accurate`. Run with Debian's interpreter (/usr/bin/python3), which has python3-torch.

The loss: three-way cross-entropy for Reddit and tweet rows; review rows (SST-2 has no neutral class) take
cross-entropy over the negative and positive logits only, so they teach negative against positive and say
nothing about neutral. Progress goes to stdout; a checkpoint is written every few minutes and a run started
again with the same --work folder resumes from it.
"""

import argparse
import hashlib
import json
import math
import os
import signal
import sys
import time
from pathlib import Path

import numpy as np
import torch

import metrics
import weights_file
from data import DOMAINS, NEGATIVE, POSITIVE, REDDIT, REVIEWS, TWEETS, Split, bucketed_batches, ordered_batches
from minilm import HIDDEN, LABELS, LEXICON_FEATURES, OnnxWeights, SentimentModel

FORMAT = 1
HEAD_PREFIX = "accurate/head/"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--data", required=True, type=Path, help="folder written by `ModelTools prepare`")
    p.add_argument("--output", required=True, type=Path, help="the weights file to write")
    p.add_argument("--work", required=True, type=Path, help="checkpoints and the best model so far (resumed from)")
    p.add_argument("--epochs", type=float, default=2.0)
    p.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (0: the epochs decide)")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=8e-5, help="peak learning rate of the encoder")
    p.add_argument("--head-lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=float, default=0.06, help="share of the steps spent warming up")
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--freeze-layers", type=int, default=0, help="encoder layers kept frozen from the bottom")
    p.add_argument("--lexicon", choices=["vader", "none"], default="vader", help="whether the head reads VADER's scores")
    p.add_argument("--eval-every", type=int, default=1500, help="steps between dev evaluations")
    p.add_argument("--log-every", type=int, default=50, help="steps between progress lines")
    p.add_argument("--checkpoint-minutes", type=float, default=5.0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=20261207)
    p.add_argument("--fresh", action="store_true", help="ignore a checkpoint in --work")
    p.add_argument("--init", type=Path, help="start from these model weights (the best.pt of an earlier stage) with a "
                   "fresh optimiser and schedule; their dev figures are the bar the new stage must beat")
    p.add_argument("--first-epoch", type=int, default=0,
                   help="number the epochs from here, so a later stage draws batch orders the earlier one did not")
    p.add_argument("--command", default="", help="the command line recorded in the weights' provenance")
    return p.parse_args(argv)


def log(message):
    print(time.strftime("%H:%M:%S"), message, flush=True)


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def loss_of(logits, labels, domains):
    """Mean over the batch: three-way cross-entropy, or negative-versus-positive for review rows."""
    reviews = domains == REVIEWS
    total = logits.new_zeros(())
    if (~reviews).any():
        total = total + torch.nn.functional.cross_entropy(logits[~reviews], labels[~reviews], reduction="sum")
    if reviews.any():
        pair = logits[reviews][:, [NEGATIVE, POSITIVE]]
        total = total + torch.nn.functional.cross_entropy(pair, (labels[reviews] == POSITIVE).long(), reduction="sum")
    return total / len(labels)


def dev_logits(model, splits, lexicon, batch_size=128):
    """Logits of every dev row, by domain, in split order."""
    model.eval()
    result = {}
    with torch.no_grad():
        for domain, split in splits.items():
            out = np.zeros((len(split), len(LABELS)), dtype=np.float64)
            for indices in ordered_batches(split.lengths, batch_size):
                ids, mask, features, _, _ = split.batch(indices)
                out[indices] = model(ids, mask, features if lexicon else None).double().numpy()
            result[domain] = out
    model.train()
    return result


def build_optimizer(model, args):
    decay, no_decay = [], []
    for name, p in model.bert.named_parameters():
        if p.requires_grad:
            (no_decay if name.endswith(".bias") or "LayerNorm" in name else decay).append(p)
    return torch.optim.AdamW([
        {"params": decay, "lr": args.lr, "weight_decay": args.weight_decay},
        {"params": no_decay, "lr": args.lr, "weight_decay": 0.0},
        {"params": list(model.head.parameters()), "lr": args.head_lr, "weight_decay": 0.0},
    ])


def freeze(model, layers):
    """Word embeddings always stay as pretrained (half the encoder's parameters; the served graph takes them
    from the NuGet package's encoder); with `layers` > 0 the other embeddings and the lowest layers too."""
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    if layers > 0:
        for p in model.bert.embeddings.parameters():
            p.requires_grad_(False)
        for layer in model.bert.encoder.layer[:layers]:
            for p in layer.parameters():
                p.requires_grad_(False)


def save_atomic(obj, path):
    temporary = path.with_suffix(".tmp")
    torch.save(obj, temporary)
    os.replace(temporary, path)


def main(argv):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    args.work.mkdir(parents=True, exist_ok=True)
    lexicon = args.lexicon == "vader"
    encoder_path = args.data / "encoder.onnx"
    manifest = json.loads((args.data / "manifest.json").read_text())

    onnx_weights = OnnxWeights(encoder_path)
    model = SentimentModel.from_onnx(onnx_weights, dropout=args.dropout, seed=args.seed, lexicon=lexicon)
    freeze(model, args.freeze_layers)
    train = Split(args.data / "train")
    devs = {d: Split(args.data / f"dev-{name}") for d, name in DOMAINS.items()}
    dev_labels = {d: s.labels for d, s in devs.items()}

    steps_per_epoch = math.ceil(len(train) / args.batch_size)
    total_steps = args.max_steps or math.ceil(args.epochs * steps_per_epoch)
    warmup = max(1, int(args.warmup * total_steps))
    optimizer = build_optimizer(model, args)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total_steps - s) / max(1, total_steps - warmup))))

    state = {"step": 0, "epoch": args.first_epoch, "batch": 0, "best": None, "history": [], "losses": [], "seconds": 0.0, "texts": 0}
    checkpoint_path, best_path = args.work / "checkpoint.pt", args.work / "best.pt"
    if checkpoint_path.exists() and not args.fresh:
        checkpoint = torch.load(checkpoint_path)
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        schedule.load_state_dict(checkpoint["schedule"])
        torch.set_rng_state(checkpoint["rng"])
        state = checkpoint["state"]
        log(f"resumed at step {state['step']} of {total_steps} (epoch {state['epoch']}, batch {state['batch']})")
    elif args.init:
        model.load_state_dict(torch.load(args.init))
        log(f"starting from {args.init}")

    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    log(f"{len(train)} training texts, {total_steps} steps of {args.batch_size} ({total_steps / steps_per_epoch:.2f} epochs), "
        f"{trainable / 1e6:.1f} M trainable parameters, {args.threads} threads")

    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))

    def checkpoint():
        save_atomic({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "schedule": schedule.state_dict(),
                     "rng": torch.get_rng_state(), "state": state}, checkpoint_path)

    def evaluate():
        figures = metrics.figures(dev_logits(model, devs, lexicon), dev_labels)
        entry = {"step": state["step"], "texts": state["texts"], **figures}
        state["history"].append(entry)
        improved = state["best"] is None or figures["selection"] > state["best"]["selection"]
        if improved:
            state["best"] = entry
            save_atomic(model.state_dict(), best_path)
        log("dev at step {step}: tweets macro recall {t:.4f}, reviews accuracy {r:.4f}, reddit macro-F1 {g:.4f}, "
            "selection {s:.4f}{mark}".format(step=state["step"], t=figures["tweets"]["macro_recall"],
                                             r=figures["reviews"]["accuracy"], g=figures["reddit"]["macro_f1"],
                                             s=figures["selection"], mark=" (best)" if improved else ""))

    if args.init and state["step"] == 0 and state["best"] is None:
        evaluate()  # the earlier stage's figures: kept unless this stage beats them
    model.train()
    last_checkpoint = time.monotonic()
    window_loss, window_texts, window_start = 0.0, 0, time.monotonic()
    while state["step"] < total_steps and not stop["now"]:
        batches = bucketed_batches(train.lengths, args.batch_size, np.random.default_rng(args.seed * 1000 + state["epoch"]))
        while state["batch"] < len(batches) and state["step"] < total_steps and not stop["now"]:
            started = time.monotonic()
            ids, mask, features, labels, domains = train.batch(batches[state["batch"]])
            loss = loss_of(model(ids, mask, features if lexicon else None), labels, domains)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            state["step"] += 1
            state["batch"] += 1
            state["texts"] += len(labels)
            state["seconds"] += time.monotonic() - started
            window_loss += loss.item() * len(labels)
            window_texts += len(labels)
            if state["step"] % args.log_every == 0:
                state.setdefault("losses", []).append([state["step"], round(window_loss / window_texts, 4)])
                rate = window_texts / (time.monotonic() - window_start)
                left = (total_steps - state["step"]) * args.batch_size / rate
                log(f"step {state['step']}/{total_steps} epoch {state['epoch'] + state['batch'] / len(batches):.2f} "
                    f"loss {window_loss / window_texts:.4f} {rate:.1f} texts/s, about {left / 60:.0f} min left")
                window_loss, window_texts, window_start = 0.0, 0, time.monotonic()
            if state["step"] % args.eval_every == 0 or state["step"] == total_steps:
                evaluate()
                window_start = time.monotonic()
            if time.monotonic() - last_checkpoint > args.checkpoint_minutes * 60:
                checkpoint()
                last_checkpoint = time.monotonic()
        if state["batch"] >= len(batches):
            state["epoch"] += 1
            state["batch"] = 0

    checkpoint()
    if stop["now"]:
        log(f"stopped at step {state['step']}; run the same command again to resume")
        return 3
    if state["best"] is None:
        evaluate()

    export(args, model, onnx_weights, encoder_path, manifest, devs, dev_labels, state, lexicon)
    return 0


def export(args, model, onnx_weights, encoder_path, manifest, devs, dev_labels, state, lexicon):
    """The best checkpoint, encoder rounded to fp16 as shipped, calibrated on dev, written as the weights file."""
    model.load_state_dict(torch.load(args.work / "best.pt"))
    with torch.no_grad():
        for _, p in model.encoder_parameters():
            p.copy_(p.half().float())
    logits = dev_logits(model, devs, lexicon)
    raw = metrics.figures(logits, dev_labels)
    offsets = metrics.fit_offsets(logits, dev_labels)
    shifted = {d: l + offsets for d, l in logits.items()}
    temperature = metrics.fit_temperature(shifted, dev_labels)
    final = metrics.figures({d: l / temperature for d, l in shifted.items()}, dev_labels)
    log(f"calibration on dev: offsets negative {offsets[0]:+.2f} positive {offsets[2]:+.2f}, temperature {temperature:.3f}; "
        f"selection {raw['selection']:.4f} -> {final['selection']:.4f}")

    tensors = {}
    for name, p in model.encoder_parameters():
        if p.requires_grad or name != "embeddings.word_embeddings.weight":
            onnx_name, array = onnx_weights.onnx_layout(name, p.detach().numpy())
            tensors[onnx_name] = array.astype(np.float16)
    tensors[HEAD_PREFIX + "0/weight"] = model.head.weight.detach().numpy().T.astype(np.float32)
    tensors[HEAD_PREFIX + "0/bias"] = (model.head.bias.detach().numpy() + offsets).astype(np.float32)

    head = {
        "format": FORMAT, "encoder": manifest["encoder"], "pooling": "mean", "hidden_layers": 1, "normalize": False,
        "embedding_dim": HIDDEN, "labels": list(LABELS), "temperature": temperature,
        "layers": [{"weight": HEAD_PREFIX + "0/weight", "bias": HEAD_PREFIX + "0/bias", "activation": "none"}],
    }
    if lexicon:
        head["lexicon_features"] = manifest["lexicon_features"]
    training = {
        "date": time.strftime("%Y-%m-%d"),
        "command": args.command or " ".join(sys.argv),
        "seed": args.seed,
        "data": manifest["sources"],
        "split_rules": manifest["split_rules"],
        "hyperparameters": {k: getattr(args, k) for k in ("epochs", "max_steps", "batch_size", "lr", "head_lr", "warmup",
                                                          "weight_decay", "dropout", "freeze_layers", "lexicon",
                                                          "first_epoch")},
        "init": str(args.init) if args.init else None,
        "steps": state["step"], "texts": state["texts"], "train_seconds": round(state["seconds"]),
        "texts_per_second": round(state["texts"] / max(state["seconds"], 1e-9), 1),
        "best_step": state["best"]["step"],
        "calibration": {"offsets": [round(float(o), 4) for o in offsets], "temperature": round(temperature, 4)},
        "dev_uncalibrated": raw, "dev": final,
        "history": state["history"],
        "loss_curve": state.get("losses", []),
        "torch": torch.__version__,
    }
    reference = reference_rows(model, args.data, devs, lexicon, offsets, temperature)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    weights_file.write(args.output, tensors, {
        "format": str(FORMAT),
        "base_encoder_sha256": sha256(encoder_path),
        "head": json.dumps(head),
        "training": json.dumps(training),
        "reference": json.dumps(reference),
    })
    log(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.1f} MB)")
    print(json.dumps({"dev": final, "temperature": temperature, "offsets": [float(o) for o in offsets]}), flush=True)


def reference_rows(model, data, devs, lexicon, offsets, temperature, per_domain=4):
    """A few dev texts with the probabilities PyTorch gives them: the Scorer's tests check that the served
    graph (ONNX Runtime, fp32) reproduces them, which proves the weights went back where they came from."""
    rows = []
    model.eval()
    for domain, split in devs.items():
        texts = (data / f"dev-{DOMAINS[domain]}.tsv").read_text(encoding="utf-8").splitlines()[1:]
        for i in range(min(per_domain, len(split))):
            ids, mask, features, _, _ = split.batch([i])
            with torch.no_grad():
                z = model(ids, mask, features if lexicon else None).double().numpy()[0]
            probabilities = metrics.softmax(((z + offsets) / temperature)[None, :])[0]
            rows.append({"text": texts[i].rsplit("\t", 1)[0], "probabilities": [round(float(p), 6) for p in probabilities]})
    return rows


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
