"""Network clearing: Eisenberg-Noe payments, DebtRank distress and fire-sale price impact.

A pure-numpy library (no Mesa, no model state) used by the economy's default mechanism. Money is
in $ billions throughout; distress levels, recovery rates and DebtRank are dimensionless.

Conventions shared by the network functions, for ``n`` nodes (firms, banks, funds):

* ``liabilities[i, j]`` is what node ``i`` owes node ``j`` (the nominal claim of ``j`` on ``i``).
  ``exposures[i, j]`` is the value of ``i``'s claims on ``j`` (so ``exposures = liabilities.T``
  when the exposures are the same debts at face value).
* Matrices are ``(n, n)``, non-negative, finite, with a zero diagonal (nobody owes itself);
  vectors are ``(n,)``. Bad input raises :class:`ValueError` with a one-line message.

Contents:

* :func:`eisenberg_noe` - the greatest clearing payment vector, computed exactly with the
  fictitious default algorithm; :func:`clear_network` returns the whole :class:`ClearingResult`
  (payments, payment matrix, defaulters, recovery rates, equity).
* :func:`debtrank` and :func:`systemic_importance` - distress propagation through balance sheets.
* :func:`price_after_sales` and :func:`liquidation_proceeds` - price impact of fire sales.

References:

* L. Eisenberg and T. H. Noe (2001), "Systemic Risk in Financial Systems", Management Science
  47(2):236-249.
* S. Battiston, M. Puliga, R. Kaushik, P. Tasca and G. Caldarelli (2012), "DebtRank: Too Central
  to Fail? Financial Networks, the FED and Systemic Risk", Scientific Reports 2:541.
* R. Cifuentes, G. Ferrucci and H. S. Shin (2005), "Liquidity Risk and Contagion", Journal of the
  European Economic Association 3(2-3):556-566.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

__all__ = [
    "ClearingResult",
    "DebtRankResult",
    "clear_network",
    "clearing_payments_matrix",
    "debtrank",
    "eisenberg_noe",
    "liquidation_proceeds",
    "price_after_sales",
    "relative_liabilities",
    "systemic_importance",
]


# --------------------------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------------------------


def _as_matrix(a, name: str) -> np.ndarray:
    """``a`` as a float ``(n, n)`` matrix: finite, non-negative, zero diagonal; else ValueError."""
    m = np.asarray(a, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"{name} must be a square (n, n) matrix, got shape {m.shape}")
    if np.isnan(m).any():
        raise ValueError(f"{name} contains NaN")
    if not np.isfinite(m).all():
        raise ValueError(f"{name} contains infinite values")
    if (m < 0).any():
        raise ValueError(f"{name} must be non-negative (min {m.min():g})")
    if (np.diagonal(m) != 0).any():
        raise ValueError(f"{name} must have a zero diagonal (a node cannot owe or lend to itself)")
    return m


def _as_vector(a, name: str, n: int, *, lo: float = 0.0, hi: float = np.inf) -> np.ndarray:
    """``a`` as a finite float ``(n,)`` vector with values in ``[lo, hi]``; else ValueError."""
    v = np.asarray(a, dtype=float)
    if v.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got shape {v.shape}")
    if np.isnan(v).any():
        raise ValueError(f"{name} contains NaN")
    if not np.isfinite(v).all():
        raise ValueError(f"{name} contains infinite values")
    if (v < lo).any():
        raise ValueError(f"{name} must be >= {lo:g} (min {v.min():g})")
    if (v > hi).any():
        raise ValueError(f"{name} must be <= {hi:g} (max {v.max():g})")
    return v


# --------------------------------------------------------------------------------------------
# Eisenberg-Noe clearing
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClearingResult:
    """The outcome of clearing a payment network ($ billions unless stated).

    Attributes:
        payments: ``p[i]``, the total paid by ``i`` to all its creditors.
        payment_matrix: ``P[i, j]``, the amount ``i`` actually pays ``j`` (pro rata: ``Pi * p``).
        obligations: ``p_bar[i]``, the total ``i`` owes (row sums of the liabilities).
        defaulters: boolean mask, ``True`` where ``i`` pays less than it owes.
        recovery_rates: ``p[i] / p_bar[i]``, the cents per dollar ``i``'s creditors recover
            (1 for nodes that owe nothing); dimensionless, in ``[0, 1]``.
        inflows: what ``i`` receives from its debtors (column sums of ``payment_matrix``).
        equity: ``external + inflows - payments``, ``i``'s net worth after clearing; zero for
            defaulters, non-negative for everyone (limited liability). Its sum equals the sum of
            the external assets: clearing only moves money between nodes.
        rounds: number of default waves the fictitious default algorithm went through (0 when
            nobody defaults; at most ``n``).
    """

    payments: np.ndarray
    payment_matrix: np.ndarray
    obligations: np.ndarray
    defaulters: np.ndarray
    recovery_rates: np.ndarray
    inflows: np.ndarray
    equity: np.ndarray
    rounds: int


def relative_liabilities(liabilities) -> tuple[np.ndarray, np.ndarray]:
    """The relative liabilities matrix ``Pi`` and the total obligations ``p_bar``.

    ``p_bar[i] = sum_j liabilities[i, j]`` ($ billions) and ``Pi[i, j] = liabilities[i, j] /
    p_bar[i]`` (dimensionless, rows sum to 1), the share of ``i``'s payments that goes to ``j``
    under pro-rata sharing among creditors. Rows of nodes that owe nothing are zero.
    """
    L = _as_matrix(liabilities, "liabilities")
    p_bar = L.sum(axis=1)
    safe = np.where(p_bar > 0, p_bar, 1.0)
    return L / safe[:, None], p_bar


def clearing_payments_matrix(liabilities, p) -> np.ndarray:
    """The matrix of actual payments, ``P[i, j] = Pi[i, j] * p[i]`` ($ billions).

    ``p[i]`` is the total paid by ``i`` (e.g. the clearing vector from :func:`eisenberg_noe`); it
    is split among ``i``'s creditors in proportion to what ``i`` owes each of them.
    """
    Pi, _ = relative_liabilities(liabilities)
    p = _as_vector(p, "p", Pi.shape[0])
    return Pi * p[:, None]


def _default_set(e, Pi, p, p_bar, tol) -> np.ndarray:
    """Nodes whose resources ``e + Pi^T p`` fall short of what they owe (beyond rounding)."""
    value = e + Pi.T @ p
    return value < p_bar - tol * np.maximum(1.0, p_bar)


def _fictitious_default(L, e, tol: float, max_iter: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Eisenberg & Noe (2001) fictitious default algorithm -> (p, default mask, rounds).

    Start from ``p = p_bar`` (everyone pays in full). Each round, the nodes that cannot pay in
    full given the current payments join the default set ``D``; then the payments of ``D`` are
    solved exactly, assuming everyone outside ``D`` pays in full:

        p_D = e_D + Pi_DD^T p_D + Pi_ND^T p_bar_N  <=>  (I - Pi_DD^T) p_D = e_D + Pi_ND^T p_bar_N

    The default set only grows, so the algorithm stops after at most ``n`` rounds, at the greatest
    clearing vector. ``I - Pi_DD^T`` is invertible because a set of defaulters that owes only to
    itself would need zero resources, and the greatest clearing vector never has one.
    """
    Pi, p_bar = relative_liabilities(L)
    n = p_bar.size
    p = p_bar.copy()
    defaulted = np.zeros(n, dtype=bool)
    for rounds in range(max_iter + 1):
        new = _default_set(e, Pi, p, p_bar, tol) | defaulted
        if np.array_equal(new, defaulted):
            return p, defaulted, rounds
        if rounds == max_iter:
            break
        defaulted = new
        d, s = defaulted, ~defaulted
        A = np.eye(int(d.sum())) - Pi[np.ix_(d, d)].T
        b = e[d] + Pi[np.ix_(s, d)].T @ p_bar[s]
        p = p_bar.copy()
        p[d] = np.clip(np.linalg.solve(A, b), 0.0, p_bar[d])
    raise RuntimeError(f"fictitious default algorithm did not converge in {max_iter} rounds")


def clear_network(liabilities, external_assets, *, tol: float = 1e-12, max_iter: int = 10_000) -> ClearingResult:
    """Clear a payment network (Eisenberg & Noe 2001) and report payments, defaults and equity.

    Args:
        liabilities: ``(n, n)``, ``liabilities[i, j]`` = what ``i`` owes ``j``, $ billions;
            non-negative, zero diagonal.
        external_assets: ``(n,)``, cash and outside assets ``i`` can use to pay, $ billions;
            non-negative.
        tol: relative tolerance (``tol * max(1, p_bar[i])``) below which a shortfall is treated
            as floating-point rounding rather than default.
        max_iter: cap on the rounds of the fictitious default algorithm (it needs at most ``n``).

    See :func:`eisenberg_noe` for the economics; this returns a :class:`ClearingResult`.
    """
    L = _as_matrix(liabilities, "liabilities")
    e = _as_vector(external_assets, "external_assets", L.shape[0])
    if not (tol >= 0 and np.isfinite(tol)):
        raise ValueError(f"tol must be a finite number >= 0, got {tol!r}")
    if int(max_iter) < 1:
        raise ValueError(f"max_iter must be >= 1, got {max_iter!r}")
    p, defaulted, rounds = _fictitious_default(L, e, float(tol), int(max_iter))
    Pi, p_bar = relative_liabilities(L)
    P = Pi * p[:, None]
    inflows = P.sum(axis=0)
    recovery = np.divide(p, p_bar, out=np.ones_like(p), where=p_bar > 0)
    equity = np.maximum(e + inflows - p, 0.0)
    equity[defaulted] = 0.0
    return ClearingResult(
        payments=p,
        payment_matrix=P,
        obligations=p_bar,
        defaulters=defaulted,
        recovery_rates=recovery,
        inflows=inflows,
        equity=equity,
        rounds=rounds,
    )


def eisenberg_noe(liabilities, external_assets, *, tol: float = 1e-12, max_iter: int = 10_000) -> np.ndarray:
    """The greatest clearing payment vector of Eisenberg & Noe (2001), in $ billions.

    Node ``i`` owes ``p_bar[i] = sum_j liabilities[i, j]`` and pays its creditors pro rata
    (``Pi = liabilities / p_bar``, row-wise). A clearing vector ``p`` satisfies

        p = min(p_bar, external_assets + Pi^T p)

    i.e. limited liability (nobody pays more than it has), absolute priority (debt is paid in full
    before equity keeps anything) and proportionality. Of all clearing vectors (there can be
    several when a closed group of nodes has no outside assets) this returns the greatest, which
    is also the one that maximises every node's equity.

    The computation is the fictitious default algorithm, which determines the default set in
    rounds and solves the linear system of the defaulters' payments exactly with
    ``numpy.linalg.solve``: the answer is exact up to floating point, not an approximate
    fixed-point iteration. Arguments as in :func:`clear_network`.

    Returns:
        ``p``, shape ``(n,)``: the total paid by each node, with ``0 <= p <= p_bar``.
    """
    return clear_network(liabilities, external_assets, tol=tol, max_iter=max_iter).payments


# --------------------------------------------------------------------------------------------
# DebtRank
# --------------------------------------------------------------------------------------------


class DebtRankResult(NamedTuple):
    """Outcome of :func:`debtrank`; unpacks as ``h, total = debtrank(...)``.

    Attributes:
        distress: final distress ``h[i]`` in ``[0, 1]`` (fraction of ``i``'s equity lost; 1 means
            default).
        total: the DebtRank ``R = sum_i v_i (h_i(T) - h_i(1)) / sum_i v_i``: the fraction of the
            system's economic value lost to propagation, *excluding* the initial distress.
            Dimensionless; multiply by ``sum(value)`` for $ billions.
    """

    distress: np.ndarray
    total: float


def _impact_matrix(exposures, equity) -> tuple[np.ndarray, np.ndarray]:
    """``W[i, j] = min(1, exposures[i, j] / equity[i])`` (impact of ``j`` on ``i``), and equity.

    A node with zero equity is wiped out by any loss, so its impact from any debtor it is exposed
    to is 1.
    """
    A = _as_matrix(exposures, "exposures")
    E = _as_vector(equity, "equity", A.shape[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        W = np.where(A > 0, np.minimum(1.0, A / E[:, None]), 0.0)
    return W, E


def _propagate(W: np.ndarray, h0: np.ndarray, max_rounds: int | None) -> np.ndarray:
    """Battiston et al. (2012) dynamics for a batch of scenarios: ``h0`` is ``(n, m)``.

    States: undistressed (h = 0, never distressed), distressed (active: propagates this round),
    inactive (has propagated once; its h may still rise but it no longer propagates). Each round:

        h_i(t) = min(1, h_i(t-1) + sum_{j distressed at t-1} W[i, j] h_j(t-1))

    then the distressed become inactive and the undistressed with h > 0 become distressed.
    """
    h = h0.copy()
    active = h > 0
    done = np.zeros_like(active)
    limit = h.shape[0] + 1 if max_rounds is None else max_rounds
    for _ in range(limit):
        if not active.any():
            break
        h_new = np.minimum(1.0, h + W @ np.where(active, h, 0.0))
        done |= active
        active = (h_new > 0) & ~done
        h = h_new
    return h


def _value_weights(value, equity: np.ndarray) -> np.ndarray:
    """Economic value weights ($ billions), default equity; must have a positive sum."""
    v = equity if value is None else _as_vector(value, "value", equity.size)
    if not v.sum() > 0:
        raise ValueError("value weights (default: equity) must have a positive sum")
    return v


def debtrank(exposures, equity, initial_distress, *, value=None, max_rounds: int | None = None) -> DebtRankResult:
    """DebtRank (Battiston et al. 2012): how an initial shock to equity spreads through exposures.

    Convention: ``exposures[i, j]`` is the value of ``i``'s claims on ``j`` ($ billions): what
    ``i`` loses if ``j`` is wiped out. The impact of ``j`` on ``i`` is

        W[i, j] = min(1, exposures[i, j] / equity[i])

    so distress flows from debtor ``j`` to creditor ``i`` (against the direction of lending). A
    node with zero equity is wiped out by any loss (impact 1 from every debtor it is exposed to).

    Distress ``h[i]`` in ``[0, 1]`` is the fraction of ``i``'s equity lost. Each distressed node
    passes on its distress exactly once (the next round), then becomes inactive; distress of an
    inactive node may still grow but does not propagate again. This is the original algorithm,
    which rules out counting losses around cycles twice.

    Args:
        exposures: ``(n, n)`` claims matrix, $ billions; non-negative, zero diagonal.
        equity: ``(n,)`` equity (capital buffer), $ billions; non-negative.
        initial_distress: ``(n,)`` initial ``h``, each in ``[0, 1]`` (1 = node defaults).
        value: ``(n,)`` economic value of each node used to weigh distress, $ billions;
            default ``equity`` (DebtRank = fraction of total equity lost, as in Bardoscia et al.
            2015; Battiston et al. 2012 used a share of interbank lending).
        max_rounds: cap on propagation rounds; default runs until no node is active (at most
            ``n + 1`` rounds).

    Returns:
        :class:`DebtRankResult` ``(distress, total)``.
    """
    W, E = _impact_matrix(exposures, equity)
    h0 = _as_vector(initial_distress, "initial_distress", E.size, hi=1.0)
    if max_rounds is not None and int(max_rounds) < 0:
        raise ValueError(f"max_rounds must be >= 0, got {max_rounds!r}")
    v = _value_weights(value, E)
    h = _propagate(W, h0[:, None], None if max_rounds is None else int(max_rounds))[:, 0]
    return DebtRankResult(distress=h, total=float(v @ (h - h0) / v.sum()))


def systemic_importance(exposures, equity, *, value=None, max_rounds: int | None = None) -> np.ndarray:
    """DebtRank of each node: the value the rest of the system loses when it alone defaults.

    Entry ``k`` is :func:`debtrank` ``.total`` with ``initial_distress`` = 1 at ``k`` and 0
    elsewhere: the fraction of total economic value lost by the *other* nodes (``k``'s own loss is
    excluded). All ``n`` scenarios are propagated at once as the columns of one matrix.
    Arguments as in :func:`debtrank`; returns shape ``(n,)``, dimensionless, in ``[0, 1]``.
    """
    W, E = _impact_matrix(exposures, equity)
    if max_rounds is not None and int(max_rounds) < 0:
        raise ValueError(f"max_rounds must be >= 0, got {max_rounds!r}")
    v = _value_weights(value, E)
    h0 = np.eye(E.size)
    H = _propagate(W, h0, None if max_rounds is None else int(max_rounds))
    return v @ (H - h0) / v.sum()


# --------------------------------------------------------------------------------------------
# Fire-sale price impact
# --------------------------------------------------------------------------------------------

_KINDS = ("exponential", "linear")


def _impact_inputs(price, quantity_sold, market_depth, kind: str):
    """Broadcast and validate the price-impact inputs; ValueError on bad values."""
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}, got {kind!r}")
    arrays = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (price, quantity_sold, market_depth)))
    for name, a in zip(("price", "quantity_sold", "market_depth"), arrays):
        if np.isnan(a).any():
            raise ValueError(f"{name} contains NaN")
        if (a < 0).any():
            raise ValueError(f"{name} must be non-negative (min {a.min():g})")
    p, q, d = arrays
    if not np.isfinite(p).all() or not np.isfinite(q).all():
        raise ValueError("price and quantity_sold must be finite")
    if (d <= 0).any():
        raise ValueError("market_depth must be positive (use np.inf for a perfectly liquid market)")
    return p, q, d


def _out(x: np.ndarray):
    """A 0-d result as a numpy scalar, anything else as an array."""
    return x[()] if x.ndim == 0 else x


def price_after_sales(price, quantity_sold, market_depth, kind: str = "exponential"):
    """The market price after ``quantity_sold`` units of an asset are dumped on the market.

    Exponential impact (Cifuentes, Ferrucci & Shin 2005): ``p' = p * exp(-q / depth)``. ``depth``
    is the quantity whose sale lowers the price by a factor ``e``; ``quantity_sold`` and
    ``market_depth`` must be in the same units (e.g. $ billions at pre-sale prices, or GPUs), and
    ``price`` in any unit ($ per unit, or 1 for a value index). ``kind="linear"`` gives
    ``p * max(0, 1 - q / depth)``. ``market_depth = np.inf`` means no impact.

    All arguments broadcast against each other (numpy rules); negative or NaN values raise
    ValueError. Returns an array of the broadcast shape (a scalar for scalar inputs).
    """
    p, q, d = _impact_inputs(price, quantity_sold, market_depth, kind)
    x = q / d
    factor = np.exp(-x) if kind == "exponential" else np.maximum(0.0, 1.0 - x)
    return _out(p * factor)


def liquidation_proceeds(price, quantity_sold, market_depth, kind: str = "exponential"):
    """Cash raised by selling ``quantity_sold`` units into a market with price impact.

    Units are sold one after another at the impacted price, so the proceeds are the integral of
    the price curve of :func:`price_after_sales` from 0 to ``q``:

        exponential: p * depth * (1 - exp(-q / depth))
        linear:      p * (min(q, depth) - min(q, depth)**2 / (2 depth))

    Same units and broadcasting as :func:`price_after_sales`; the result is in units of
    ``price * quantity`` ($ billions when ``price`` is 1 and quantities are $ billions at pre-sale
    prices). Proceeds are increasing and concave in ``q``, at most ``p * q`` (no impact) and at
    least ``q * price_after_sales(...)`` (everything sold at the final price).
    """
    p, q, d = _impact_inputs(price, quantity_sold, market_depth, kind)
    liquid = np.isinf(d)
    d_fin = np.where(liquid, 1.0, d)
    if kind == "exponential":
        impacted = p * d_fin * -np.expm1(-q / d_fin)
    else:
        s = np.minimum(q, d_fin)
        impacted = p * (s - s * s / (2.0 * d_fin))
    return _out(np.where(liquid, p * q, impacted))
