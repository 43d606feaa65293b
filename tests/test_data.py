import gzip
import hashlib

import numpy as np
import pytest

from kmbook.data import DATA_DIR, available, load

SHAPES = {"s1": (5000, 2, 15), "a3": (7500, 2, 50), "unbalance": (6500, 2, 8), "birch1": (100000, 2, 100),
          "dim032": (1024, 32, 16), "g2-2-50": (2048, 2, 2), "hepta": (212, 3, 7), "target": (770, 2, 6)}


@pytest.mark.parametrize("name", list(SHAPES))
def test_shapes(name):
    ds = load(name)
    n, d, k = SHAPES[name]
    assert ds.X.shape == (n, d) and ds.labels.shape == (n,) and ds.centers.shape == (k, d)
    assert ds.labels.min() == 0 and ds.labels.max() == k - 1


@pytest.mark.parametrize("name", available())
def test_centres_belong_to_their_labels(name):
    ds = load(name)
    means = np.array([ds.X[ds.labels == j].mean(0) for j in range(ds.k)])
    d = ((means[:, None] - ds.centers[None]) ** 2).sum(-1)
    # each label's mean is nearest to its own centre (CI = 0 with the right numbering)
    np.testing.assert_array_equal(d.argmin(1), np.arange(ds.k))


@pytest.mark.parametrize("name,digest", [
    ("birch1", "95230d302b2ffbe15de77f732af7002b037887c30c19b1539999dedfe3587400"),
    ("birch2", "4d8babe0a92e4bf3011bde7c60656cf96cef177e25d1e12e7961e6f9c77f568e"),
])
def test_compressed_files_decompress_to_the_original_bytes(name, digest):
    with gzip.open(DATA_DIR / "sipu" / f"{name}.txt.gz", "rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == digest


def test_arrays_are_read_only_and_unknown_names_rejected():
    ds = load("s2")
    with pytest.raises(ValueError):
        ds.X[0, 0] = 1.0
    with pytest.raises(ValueError, match="unknown data set 'nope'"):
        load("nope")
    with pytest.raises(TypeError, match="name must be a string"):
        load(3)
