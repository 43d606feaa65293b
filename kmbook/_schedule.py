"""Learning-rate schedules of stochastic k-means (Paper 2, Algorithm 1 and Theorem 1)."""

import numpy as np


def learning_rates(learning_rate, c_prime, t0, n_steps):
    """The rates ``eta_1..eta_n_steps`` of Algorithm 1, checked to lie in [0, 1].

    ``c'/(t0 + t)`` for the named schedules, or ``learning_rate(t)`` for a callable.
    """
    t = np.arange(1, n_steps + 1, dtype=np.float64)
    if callable(learning_rate):
        eta = np.asarray(learning_rate(t.astype(np.int64)), dtype=np.float64)
        if eta.shape != t.shape:
            raise ValueError(
                f"a callable learning_rate must map the step numbers t (shape {t.shape}) to rates of the "
                f"same shape; got shape {eta.shape}."
            )
    else:
        eta = c_prime / (t0 + t)
    bad = ~(np.isfinite(eta) & (eta >= 0) & (eta <= 1))
    if bad.any():
        i = int(np.argmax(bad))
        hint = " Choose t0 >= c_prime - 1 so that c'/(t0 + t) <= 1." if not callable(learning_rate) else ""
        raise ValueError(f"learning rate at step t={i + 1} is {eta[i]}; rates must lie in [0, 1].{hint}")
    return eta
