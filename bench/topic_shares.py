"""How uniform are cross-lingual topic shares? (figures review: prevalence near 1/k)

``python bench/topic_shares.py [MODEL_FOLDER ...]`` prints, for an invented example and for each
saved :class:`toolkit.TopicModel` given (e.g. ``OUT/models/topics`` of a report), the mean largest
share of a unit, the mean share entropy divided by log k (1 = uniform) and the range of the
topics' corpus-wide prevalence as the mean of the soft shares and as the share of units in each
k-means cluster (what :meth:`TopicModel.prevalence` reports for cross-lingual models).

The invented example: 4 clusters of 50 points in 512 dimensions, drawn around 4 random unit
centres (seeded), which k-means separates exactly; a group of 40 points of one cluster and 10 of
another should show prevalences 0.8 and 0.2.
"""
from __future__ import annotations

import argparse

import numpy as np
from sklearn.cluster import KMeans

from toolkit.crosslingual import soft_assignments
from toolkit.topics import TopicModel


def describe(shares: np.ndarray) -> str:
    k = shares.shape[1]
    entropy = (-(shares * np.log(np.clip(shares, 1e-300, None))).sum(axis=1) / np.log(k)).mean()
    hard = np.bincount(shares.argmax(axis=1), minlength=k) / len(shares)
    soft = shares.mean(axis=0)
    return (f"k={k} (1/k={1 / k:.3f}), units={len(shares)}: mean largest share {shares.max(axis=1).mean():.3f}, "
            f"entropy/log k {entropy:.3f}; prevalence range soft {soft.min():.3f}-{soft.max():.3f}, "
            f"hard {hard.min():.3f}-{hard.max():.3f}")


def invented() -> None:
    rng = np.random.default_rng(0)
    k, dimensions = 4, 512
    centres = rng.normal(size=(k, dimensions))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    truth = np.repeat(np.arange(k), 50)
    points = centres[truth] * 0.5 + rng.normal(scale=dimensions ** -0.5, size=(len(truth), dimensions))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    fitted = KMeans(k, n_init=10, random_state=0).fit(points)
    # the temperature fit_topics uses: the mean within-cluster squared distance
    shares = soft_assignments(points, fitted.cluster_centers_, fitted.inertia_ / len(points))
    group = np.r_[np.arange(0, 40), np.arange(50, 60)]
    hard = np.bincount(fitted.labels_[group], minlength=k) / len(group)
    print("invented:", describe(shares))
    print(f"  group of 40 + 10 points: hard {np.round(hard, 3).tolist()}, soft {np.round(shares[group].mean(axis=0), 3).tolist()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", help="folders of saved topic models")
    args = parser.parse_args()
    invented()
    for folder in args.models:
        model = TopicModel.load(folder)
        print(f"{folder} ({model.method}):", describe(model.doc_topic))


if __name__ == "__main__":
    main()
