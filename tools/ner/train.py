"""Train the German CRF NER model.

    python tools/ner/train.py --out src/treffpunkt/models/ner_de/ner_de.npz \
        --germeval ../shared/data/germeval2014/NER-de-dev.tsv --silver '/work/annot/ner/*.jsonl'

With --holdout N the last N GermEval dev sentences are kept out of training and scored
(for tuning); GermEval test is never read here.
"""

from __future__ import annotations

import argparse
import glob
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import pycrfsuite

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import read_germeval, read_silver  # noqa: E402
from metrics import score  # noqa: E402

from treffpunkt.stages.ner_crf import CompiledCrf, FastTagger  # noqa: E402
from treffpunkt.stages.ner_features import Featurizer  # noqa: E402
from treffpunkt.stages.ner_gazetteer import default_lexicon  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--germeval", required=True, help="GermEval 2014 dev TSV (training data)")
    ap.add_argument("--silver", default="", help="glob of silver JSONL files")
    ap.add_argument("--silver-weight", type=int, default=1, help="times each silver sentence is used")
    ap.add_argument("--germeval-weight", type=int, default=1, help="times each GermEval sentence is used")
    ap.add_argument("--holdout", type=int, default=0, help="last N GermEval sentences: score, don't train")
    ap.add_argument("--silver-holdout", type=float, default=0.0, help="fraction of silver docs to score")
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--min-freq", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    feat = Featurizer(default_lexicon())
    gold = list(read_germeval(args.germeval, parts=True))
    train, held = (gold[: -args.holdout], gold[-args.holdout :]) if args.holdout else (gold, [])
    silver_train, silver_held = [], []
    if args.silver:
        paths = sorted(Path(p) for p in glob.glob(args.silver))
        rows = list(read_silver(paths))
        docs = sorted({d for d, _, _ in rows})
        random.Random(13).shuffle(docs)
        held_docs = set(docs[: int(len(docs) * args.silver_holdout)])
        for d, w, t in rows:
            (silver_held if d in held_docs else silver_train).append((w, t))
        print(f"silver: {len(paths)} files, {len(rows)} sentences, {len(silver_held)} held out", file=sys.stderr)

    trainer = pycrfsuite.Trainer(verbose=False)
    t0 = time.time()
    n_tok = 0
    for data, weight in ((train, args.germeval_weight), (silver_train, args.silver_weight)):
        for words, tags in data:
            x = feat.sentence(words)
            for _ in range(weight):
                trainer.append(x, tags)
            n_tok += len(words)
    print(
        f"features for {len(train)}+{len(silver_train)} sentences, {n_tok} tokens, {time.time() - t0:.1f}s",
        file=sys.stderr,
    )
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": args.min_freq,
        }
    )
    t0 = time.time()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    crf_path = out
    if out.suffix != ".crfsuite":
        crf_path = Path(tempfile.mkdtemp()) / "model.crfsuite"
    trainer.train(str(crf_path))
    crf = CompiledCrf.from_crfsuite(crf_path)
    if out.suffix != ".crfsuite":
        crf.save(out)  # the shipped form: weights only, loads in milliseconds
    print(
        f"trained in {time.time() - t0:.1f}s -> {out} ({out.stat().st_size >> 10} KiB, "
        f"{len(crf.attributes)} attributes)",
        file=sys.stderr,
    )

    tagger = FastTagger(crf, feat)
    report = {}
    for name, data in (("germeval_holdout", held), ("silver_holdout", silver_held)):
        if data:
            pred = [tagger.tag(w) for w, _ in data]
            report[name] = score([t for _, t in data], pred)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
