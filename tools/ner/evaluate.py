"""Score the NER model on GermEval 2014 (coarse outer labels, exact span + label) and time it.

    python tools/ner/evaluate.py [--model PATH] [--data ../shared/data/germeval2014/NER-de-test.tsv]

Speed is feature extraction + CRF tagging, in CPU seconds of this one process (so other load on
the machine does not distort it): once with empty per-word caches ("cold", every word form is new
to the process) and once more over the same data ("warm", as in a long-running batch).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import read_germeval  # noqa: E402
from metrics import score  # noqa: E402

from treffpunkt.stages.ner import NerTagger  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=None)
    ap.add_argument(
        "--data", default=str(Path(__file__).resolve().parents[3] / "shared/data/germeval2014/NER-de-test.tsv")
    )
    ap.add_argument("--errors", default="", help="write wrong sentences to this file")
    args = ap.parse_args()

    t0 = time.perf_counter()
    tagger = NerTagger.load(args.model)
    load_s = time.perf_counter() - t0
    data = list(read_germeval(args.data))
    tagger.clear_caches()
    n_tok = sum(len(w) for w, _ in data)
    t0 = time.process_time()
    pred: list[list[str]] = []
    for k in range(0, len(data), 30):  # about one news article's worth of sentences at a time
        pred.extend(tagger.tag_many([w for w, _ in data[k : k + 30]]))
    cold = time.process_time() - t0
    t0 = time.process_time()
    for k in range(0, len(data), 30):
        tagger.tag_many([w for w, _ in data[k : k + 30]])
    warm = time.process_time() - t0
    res = score([t for _, t in data], pred)
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as f:
            for (w, g), p in zip(data, pred, strict=True):
                if g != p:
                    rows = (f"{a}\t{b}\t{c}{'  <<<' if b != c else ''}" for a, b, c in zip(w, g, p, strict=True))
                    f.write("\n".join(rows) + "\n\n")
    print(
        json.dumps(
            {
                "data": args.data,
                "sentences": len(data),
                "tokens": n_tok,
                "load_s": round(load_s, 2),
                "tokens_per_s_cold_cache": round(n_tok / cold),
                "tokens_per_s_warm_cache": round(n_tok / warm),
                "scores": res,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
