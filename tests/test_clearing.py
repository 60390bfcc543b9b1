"""Tests for model.clearing: Eisenberg-Noe clearing, DebtRank, fire-sale price impact.

Hand-computed examples use the convention ``L[i, j]`` = what i owes j; ``p_bar`` = row sums;
``Pi = L / p_bar``; node value ``v = e + Pi^T p``; clearing ``p = min(p_bar, v)``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ailoop.model.clearing import (
    ClearingResult,
    clear_network,
    clearing_payments_matrix,
    debtrank,
    eisenberg_noe,
    liquidation_proceeds,
    price_after_sales,
    relative_liabilities,
    systemic_importance,
)

RTOL = 1e-12
A, B, C, D = range(4)


def net(n: int, edges: dict[tuple[int, int], float]) -> np.ndarray:
    L = np.zeros((n, n))
    for (i, j), x in edges.items():
        L[i, j] = x
    return L


# --------------------------------------------------------------------------------------------
# Eisenberg-Noe: hand-computed networks
# --------------------------------------------------------------------------------------------


def test_no_defaults_everyone_pays_in_full():
    # A owes B 10, B owes C 5, C owes A 3; e = (8, 1, 0).
    # With p = p_bar = (10, 5, 3): v_A = 8 + 3 = 11 >= 10, v_B = 1 + 10 = 11 >= 5,
    # v_C = 0 + 5 = 5 >= 3. Nobody defaults: p = (10, 5, 3).
    # Equity = v - p = (1, 6, 2); sum 9 = sum e.
    L = net(3, {(A, B): 10, (B, C): 5, (C, A): 3})
    e = np.array([8.0, 1.0, 0.0])
    r = clear_network(L, e)
    np.testing.assert_allclose(r.payments, [10, 5, 3], rtol=RTOL)
    np.testing.assert_allclose(r.equity, [1, 6, 2], rtol=RTOL)
    assert not r.defaulters.any()
    assert r.rounds == 0
    np.testing.assert_allclose(r.recovery_rates, 1.0, rtol=RTOL)
    np.testing.assert_allclose(eisenberg_noe(L, e), [10, 5, 3], rtol=RTOL)


def test_chain_first_link_short():
    # A owes B 10, B owes C 8; e = (4, 5, 0).
    # A: v_A = 4 < 10 -> defaults, pays everything it has: p_A = 4 (recovery 0.4).
    # B: v_B = 5 + 4 = 9 >= 8 -> pays in full, p_B = 8, equity 1.
    # C: owes nothing, p_C = 0, equity = 0 + 8 = 8.
    L = net(3, {(A, B): 10, (B, C): 8})
    e = np.array([4.0, 5.0, 0.0])
    r = clear_network(L, e)
    np.testing.assert_allclose(r.payments, [4, 8, 0], rtol=RTOL)
    np.testing.assert_allclose(r.equity, [0, 1, 8], rtol=RTOL, atol=0)
    np.testing.assert_allclose(r.recovery_rates, [0.4, 1, 1], rtol=RTOL)
    np.testing.assert_array_equal(r.defaulters, [True, False, False])
    assert r.rounds == 1


def test_chain_cascade_needs_second_round():
    # Same chain, e = (4, 3, 0). Round 1 (p = p_bar): v_A = 4 < 10 (default); v_B = 3 + 10 = 13
    # >= 8, so only A. Solve p_A = 4. Round 2: v_B = 3 + 4 = 7 < 8 -> B defaults too:
    # p = (4, 7, 0); C's equity = 7.
    L = net(3, {(A, B): 10, (B, C): 8})
    r = clear_network(L, [4.0, 3.0, 0.0])
    np.testing.assert_allclose(r.payments, [4, 7, 0], rtol=RTOL)
    np.testing.assert_allclose(r.recovery_rates, [0.4, 7 / 8, 1], rtol=RTOL)
    np.testing.assert_allclose(r.equity, [0, 0, 7], rtol=RTOL, atol=0)
    assert r.rounds == 2


def test_ring_shortfall_propagates_around():
    # Ring: A owes B 10, B owes C 10, C owes A 5; e = (2, 1, 4). p_bar = (10, 10, 5).
    # Round 1, p = p_bar: v_A = 2 + 5 = 7 < 10 (default); v_B = 1 + 10 = 11 >= 10;
    #   v_C = 4 + 10 = 14 >= 5.  D = {A}: p_A = e_A + p_C = 2 + 5 = 7.
    # Round 2: v_B = 1 + 7 = 8 < 10 -> D = {A, B}. Linear system for the defaulters
    #   (C pays its 5 in full):  p_A = 2 + p_C = 7,   p_B = 1 + p_A = 8.
    # Round 3: v_C = 4 + 8 = 12 >= 5: C absorbs the rest of the shortfall in its equity, 12 - 5 = 7.
    # (All three can never default: a closed ring would need zero resources in total.)
    L = net(3, {(A, B): 10, (B, C): 10, (C, A): 5})
    e = np.array([2.0, 1.0, 4.0])
    r = clear_network(L, e)
    np.testing.assert_allclose(r.payments, [7, 8, 5], rtol=RTOL)
    np.testing.assert_allclose(r.equity, [0, 0, 7], rtol=RTOL, atol=0)
    np.testing.assert_array_equal(r.defaulters, [True, True, False])
    assert r.rounds == 2
    assert r.equity.sum() == pytest.approx(e.sum(), rel=RTOL)


def test_four_nodes_two_defaulters_two_rounds():
    # A owes B 6 and D 4 (p_bar 10, Pi_A = .6 to B, .4 to D); B owes A 5 and C 5 (p_bar 10,
    # Pi_B = .5/.5); C owes D 8; D owes nothing. e = (1, 5, 5, 0).
    # Round 1, p = p_bar = (10, 10, 8, 0): v_A = 1 + .5*10 = 6 < 10 (default);
    #   v_B = 5 + .6*10 = 11 >= 10; v_C = 5 + .5*10 = 10 >= 8.  D = {A}: p_A = 1 + .5*10 = 6.
    # Round 2: v_B = 5 + .6*6 = 8.6 < 10 -> D = {A, B}. Linear system:
    #   p_A = 1 + .5 p_B,  p_B = 5 + .6 p_A  =>  p_A = 3.5 + .3 p_A  =>  p_A = 5,  p_B = 8.
    # Round 3: v_C = 5 + .5*8 = 9 >= 8: no new defaulter, stop.
    # Inflows: A .5*8 = 4, B .6*5 = 3, C .5*8 = 4, D .4*5 + 8 = 10.
    # Equity: A 1+4-5 = 0, B 5+3-8 = 0, C 5+4-8 = 1, D 0+10 = 10 (sum 11 = sum e).
    L = net(4, {(A, B): 6, (A, D): 4, (B, A): 5, (B, C): 5, (C, D): 8})
    e = np.array([1.0, 5.0, 5.0, 0.0])
    r = clear_network(L, e)
    np.testing.assert_allclose(r.payments, [5, 8, 8, 0], rtol=RTOL)
    np.testing.assert_allclose(r.inflows, [4, 3, 4, 10], rtol=RTOL)
    np.testing.assert_allclose(r.equity, [0, 0, 1, 10], rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(r.recovery_rates, [0.5, 0.8, 1, 1], rtol=RTOL)
    np.testing.assert_array_equal(r.defaulters, [True, True, False, False])
    assert r.rounds == 2
    expected_P = np.array([[0, 3, 0, 2], [4, 0, 4, 0], [0, 0, 0, 8], [0, 0, 0, 0.0]])
    np.testing.assert_allclose(r.payment_matrix, expected_P, rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(clearing_payments_matrix(L, r.payments), expected_P, rtol=RTOL, atol=1e-12)
    # After round 1 alone the answer would be (6, 10, 8, 0): not a clearing vector.
    assert not np.allclose(r.payments, [6, 10, 8, 0])


def test_round_cap_and_parameter_validation():
    # The 4-node example needs two rounds; capping at one must fail loudly, not return junk.
    L = net(4, {(A, B): 6, (A, D): 4, (B, A): 5, (B, C): 5, (C, D): 8})
    e = np.array([1.0, 5.0, 5.0, 0.0])
    with pytest.raises(RuntimeError, match="did not converge"):
        eisenberg_noe(L, e, max_iter=1)
    np.testing.assert_allclose(eisenberg_noe(L, e, max_iter=2), [5, 8, 8, 0], rtol=RTOL)
    with pytest.raises(ValueError, match="tol"):
        eisenberg_noe(L, e, tol=-1.0)
    with pytest.raises(ValueError, match="max_iter"):
        eisenberg_noe(L, e, max_iter=0)


def test_greatest_clearing_vector_in_closed_ring_without_cash():
    # A owes B 1, B owes C 1, C owes A 1, no external assets: p = 0 and p = (1, 1, 1) both clear;
    # the greatest (everyone settles, equity 0) is returned.
    L = net(3, {(A, B): 1, (B, C): 1, (C, A): 1})
    np.testing.assert_allclose(eisenberg_noe(L, np.zeros(3)), [1, 1, 1], rtol=RTOL)


def test_closed_pair_boundary_case():
    # A owes B 2, B owes A 1, no cash. Round 1: v_A = 1 < 2 (default), v_B = 2 >= 1.
    # p_A = 0 + p_B = 1. Round 2: v_B = 1 >= 1 exactly: B pays in full with zero equity.
    L = net(2, {(A, B): 2, (B, A): 1})
    r = clear_network(L, [0.0, 0.0])
    np.testing.assert_allclose(r.payments, [1, 1], rtol=RTOL)
    np.testing.assert_array_equal(r.defaulters, [True, False])
    np.testing.assert_allclose(r.equity, [0, 0], atol=1e-15)


def test_relative_liabilities_rows_sum_to_one_or_zero():
    L = net(3, {(A, B): 3, (A, C): 1, (B, A): 2})
    Pi, p_bar = relative_liabilities(L)
    np.testing.assert_allclose(p_bar, [4, 2, 0])
    np.testing.assert_allclose(Pi, [[0, 0.75, 0.25], [1, 0, 0], [0, 0, 0]], rtol=RTOL)


def test_empty_network_and_result_type():
    r = clear_network(np.zeros((0, 0)), np.zeros(0))
    assert isinstance(r, ClearingResult)
    assert r.payments.shape == (0,) and r.rounds == 0


@pytest.mark.parametrize(
    ("L", "e", "match"),
    [
        (np.zeros((2, 3)), np.zeros(2), "square"),
        (np.zeros(3), np.zeros(3), "square"),
        (np.zeros((2, 2)), np.zeros(3), r"shape \(2,\)"),
        (np.array([[0, -1.0], [0, 0]]), np.zeros(2), "liabilities must be non-negative"),
        (np.array([[0, np.nan], [0, 0]]), np.zeros(2), "liabilities contains NaN"),
        (np.array([[0, np.inf], [0, 0]]), np.zeros(2), "infinite"),
        (np.array([[1.0, 0], [0, 0]]), np.zeros(2), "zero diagonal"),
        (np.zeros((2, 2)), np.array([1.0, -1.0]), "external_assets must be >= 0"),
        (np.zeros((2, 2)), np.array([1.0, np.nan]), "external_assets contains NaN"),
    ],
)
def test_clearing_input_validation(L, e, match):
    with pytest.raises(ValueError, match=match) as info:
        eisenberg_noe(L, e)
    assert "\n" not in str(info.value)


def test_payment_matrix_validation():
    with pytest.raises(ValueError, match="p must have shape"):
        clearing_payments_matrix(np.zeros((2, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="p must be >= 0"):
        clearing_payments_matrix(np.zeros((2, 2)), [-1.0, 0.0])


# --------------------------------------------------------------------------------------------
# Eisenberg-Noe: properties on random networks
# --------------------------------------------------------------------------------------------


@st.composite
def networks(draw, max_n: int = 7):
    n = draw(st.integers(1, max_n))
    amount = st.one_of(st.just(0.0), st.floats(0.01, 100.0))
    L = draw(hnp.arrays(float, (n, n), elements=amount))
    np.fill_diagonal(L, 0.0)
    e = draw(hnp.arrays(float, (n,), elements=st.one_of(st.just(0.0), st.floats(0.0, 100.0))))
    return L, e


def _tol(L, e):
    return 1e-9 * max(1.0, L.sum(), e.sum())


@settings(max_examples=200, deadline=None)
@given(networks())
def test_clearing_conserves_money_and_respects_priority(net_e):
    L, e = net_e
    r = clear_network(L, e)
    p, p_bar, tol = r.payments, L.sum(axis=1), _tol(L, e)
    v = e + r.inflows  # resources available to each node
    # Payments are internal transfers: total equity equals total external assets.
    assert abs((e + r.inflows - p).sum() - e.sum()) <= tol
    assert abs(r.equity.sum() - e.sum()) <= tol
    assert abs(r.inflows.sum() - p.sum()) <= tol
    # Nobody pays more than it owes or more than it has (limited liability).
    assert (p <= p_bar + tol).all() and (p >= 0).all()
    assert (p <= v + tol).all()
    # Absolute priority: each node either pays in full or pays everything it has.
    assert (np.minimum(np.abs(p - p_bar), np.abs(p - v)) <= tol).all()
    # Defaulters pay exactly their resources and keep nothing.
    assert (np.abs(p - v)[r.defaulters] <= tol).all()
    assert (r.equity >= 0).all()
    # Fixed point p = min(p_bar, e + Pi^T p).
    Pi, _ = relative_liabilities(L)
    np.testing.assert_allclose(p, np.minimum(p_bar, e + Pi.T @ p), rtol=0, atol=tol)
    np.testing.assert_allclose(r.payment_matrix.sum(axis=1), p, rtol=0, atol=tol)
    assert r.rounds <= len(e)


def _picard(L, e, iters=2_000_000):
    """Independent oracle: iterate p <- min(p_bar, e + Pi^T p) down from p_bar (monotone) until it
    stops moving (convergence is geometric and can be slow on nearly closed cycles of default)."""
    Pi, p_bar = relative_liabilities(L)
    p = p_bar.copy()
    for _ in range(iters):
        p_next = np.minimum(p_bar, e + Pi.T @ p)
        if np.array_equal(p_next, p):
            break
        p = p_next
    return p


@settings(max_examples=100, deadline=None)
@given(networks(max_n=5))
def test_clearing_matches_fixed_point_iteration_from_above(net_e):
    # Picard iteration from p_bar decreases to the greatest clearing vector.
    L, e = net_e
    p_exact = eisenberg_noe(L, e)
    p_iter = _picard(L, e)
    assert (p_iter >= p_exact - _tol(L, e)).all()  # the greatest fixed point is below any iterate
    np.testing.assert_allclose(p_exact, p_iter, rtol=1e-6, atol=1e-6)


@settings(max_examples=150, deadline=None)
@given(networks(), st.data())
def test_more_external_assets_never_lower_payments(net_e, data):
    L, e = net_e
    extra = data.draw(hnp.arrays(float, e.shape, elements=st.floats(0.0, 50.0)))
    p0 = eisenberg_noe(L, e)
    p1 = eisenberg_noe(L, e + extra)
    assert (p1 >= p0 - _tol(L, e + extra)).all()


def test_large_random_network_is_fast_and_consistent():
    rng = np.random.default_rng(7)
    n = 300
    L = rng.exponential(1.0, (n, n)) * (rng.random((n, n)) < 0.05)
    np.fill_diagonal(L, 0.0)
    e = rng.exponential(0.5, n) * L.sum(axis=1).mean() * (rng.random(n) < 0.7)
    r = clear_network(L, e)
    assert r.defaulters.sum() > 0
    Pi, p_bar = relative_liabilities(L)
    np.testing.assert_allclose(r.payments, np.minimum(p_bar, e + Pi.T @ r.payments), rtol=0, atol=1e-9)


# --------------------------------------------------------------------------------------------
# DebtRank
# --------------------------------------------------------------------------------------------


def test_debtrank_chain_by_hand():
    # Exposures: 1 holds 5 of claims on 0 (equity 10 -> W[1,0] = .5); 2 holds 4 on 1 (equity 2
    # -> W[2,1] = min(1, 2) = 1). Node 0 (equity 8) fully distressed.
    # t=1: h = (1, 0, 0), 0 active.  t=2: h_1 = .5*1 = .5, 1 active.  t=3: h_2 = 1*.5 = .5.
    # h = (1, .5, .5). Value = equity (8, 10, 2), total 20: R = (10*.5 + 2*.5) / 20 = .3.
    X = net(3, {(1, 0): 5, (2, 1): 4})
    h, R = debtrank(X, [8.0, 10.0, 2.0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(h, [1, 0.5, 0.5], rtol=RTOL)
    assert R == pytest.approx(0.3, rel=RTOL)
    # One round only: the shock reaches node 1 but not node 2.
    h1, R1 = debtrank(X, [8.0, 10.0, 2.0], [1.0, 0.0, 0.0], max_rounds=1)
    np.testing.assert_allclose(h1, [1, 0.5, 0], rtol=RTOL)
    assert R1 == pytest.approx(0.25, rel=RTOL)
    # Economic value weights other than equity: v = (0, 1, 1) -> R = (.5 + .5) / 2 = .5.
    assert debtrank(X, [8.0, 10.0, 2.0], [1.0, 0.0, 0.0], value=[0, 1, 1]).total == pytest.approx(0.5)


def test_debtrank_cycle_propagates_each_node_once():
    # 0 holds 4 of claims on 1, 1 holds 5 on 0; equity 10 each: W[0,1] = .4, W[1,0] = .5.
    # t=1: h = (.2, 0), 0 active. t=2: h_1 = .5*.2 = .1; 0 becomes inactive, 1 active.
    # t=3: h_0 = .2 + .4*.1 = .24 (inactive nodes still absorb losses); 1 inactive. Stop:
    # 0 does not pass its extra .04 on again. R = (10*.04 + 10*.1) / 20 = .07.
    X = net(2, {(0, 1): 4, (1, 0): 5})
    res = debtrank(X, [10.0, 10.0], [0.2, 0.0])
    np.testing.assert_allclose(res.distress, [0.24, 0.1], rtol=RTOL)
    assert res.total == pytest.approx(0.07, rel=RTOL)


def test_debtrank_zero_equity_is_wiped_out_by_any_exposure():
    X = net(2, {(1, 0): 0.1})
    h, _ = debtrank(X, [1.0, 0.0], [1.0, 0.0], value=[1, 1])
    np.testing.assert_allclose(h, [1, 1])


def star(n_leaves=4):
    # Hub 0 borrowed 5 from each leaf (leaf equity 5 -> W[leaf, hub] = 1);
    # hub lent 1 to each leaf (hub equity 20 -> W[hub, leaf] = .05).
    n = n_leaves + 1
    X = np.zeros((n, n))
    X[1:, 0] = 5.0
    X[0, 1:] = 1.0
    E = np.array([20.0] + [5.0] * n_leaves)
    return X, E


def test_systemic_importance_star_hub_above_leaves():
    # Hub defaults: each leaf loses everything (h = 1): R_hub = 4*5 / 40 = .5.
    # A leaf defaults: t=2 hub h = .05; t=3 the 3 other leaves h = 1*.05; t=4 they hit the
    # (inactive) hub with 3*.05*.05 = .0075 -> hub h = .0575.
    # R_leaf = (20*.0575 + 3*5*.05) / 40 = 1.9 / 40 = .0475.
    X, E = star()
    si = systemic_importance(X, E)
    np.testing.assert_allclose(si, [0.5, 0.0475, 0.0475, 0.0475, 0.0475], rtol=RTOL)
    assert si[0] > si[1:].max()
    assert int(np.argmax(si)) == 0


@settings(max_examples=60, deadline=None)
@given(networks(max_n=6), st.data())
def test_systemic_importance_matches_single_runs_and_bounds(net_e, data):
    X, _ = net_e
    n = X.shape[0]
    E = data.draw(hnp.arrays(float, (n,), elements=st.floats(0.5, 50.0)))
    si = systemic_importance(X, E)
    for k in range(n):
        h0 = np.zeros(n)
        h0[k] = 1.0
        h, R = debtrank(X, E, h0)
        assert R == pytest.approx(si[k], rel=1e-12, abs=1e-15)
        assert (h >= h0).all() and (h <= 1).all()
        assert -1e-15 <= R <= 1 - E[k] / E.sum() + 1e-12


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((np.zeros((2, 2)), [1.0, 1.0], [1.5, 0.0]), "initial_distress must be <= 1"),
        ((np.zeros((2, 2)), [1.0, -1.0], [1.0, 0.0]), "equity must be >= 0"),
        ((np.eye(2), [1.0, 1.0], [1.0, 0.0]), "zero diagonal"),
        ((np.zeros((2, 2)), [0.0, 0.0], [1.0, 0.0]), "positive sum"),
    ],
)
def test_debtrank_validation(args, match):
    with pytest.raises(ValueError, match=match):
        debtrank(*args)


# --------------------------------------------------------------------------------------------
# Fire-sale price impact
# --------------------------------------------------------------------------------------------


def test_price_impact_values():
    # Selling one market depth lowers the price by a factor e.
    assert price_after_sales(2.0, 3.0, 3.0) == pytest.approx(2.0 * np.exp(-1.0), rel=RTOL)
    assert price_after_sales(2.0, 0.0, 3.0) == 2.0
    # Proceeds = p * depth * (1 - exp(-q / depth)): 2 * 3 * (1 - e^-1).
    assert liquidation_proceeds(2.0, 3.0, 3.0) == pytest.approx(6.0 * (1 - np.exp(-1.0)), rel=RTOL)
    # Linear: half a depth sold -> price halves; proceeds 2 * (1.5 - 1.5^2 / 6) = 2.25.
    assert price_after_sales(2.0, 1.5, 3.0, kind="linear") == pytest.approx(1.0)
    assert liquidation_proceeds(2.0, 1.5, 3.0, kind="linear") == pytest.approx(2.25)
    # Infinitely deep market: no impact.
    assert price_after_sales(2.0, 5.0, np.inf) == 2.0
    assert liquidation_proceeds(2.0, 5.0, np.inf) == 10.0


def test_price_impact_is_vectorised_and_broadcasts():
    q = np.array([[0.0, 1.0, 2.0]])
    depth = np.array([[1.0], [2.0]])
    out = price_after_sales(1.0, q, depth)
    assert out.shape == (2, 3)
    np.testing.assert_allclose(out, np.exp(-q / depth), rtol=RTOL)
    np.testing.assert_allclose(liquidation_proceeds(1.0, q, depth), depth * -np.expm1(-q / depth), rtol=RTOL)


@pytest.mark.parametrize("kind", ["exponential", "linear"])
def test_price_impact_monotone_and_proceeds_concave(kind):
    q = np.linspace(0.0, 10.0, 201)
    price = price_after_sales(1.5, q, 4.0, kind=kind)
    proceeds = liquidation_proceeds(1.5, q, 4.0, kind=kind)
    assert (np.diff(price) <= 0).all() and np.diff(price)[0] < 0
    if kind == "exponential":
        assert (np.diff(price) < 0).all()
    assert (np.diff(proceeds) >= 0).all()
    assert (np.diff(proceeds, 2) <= 1e-12).all()  # concave: marginal proceeds fall
    assert (proceeds[1:] < 1.5 * q[1:]).all()  # always less than the pre-sale value
    assert (proceeds >= q * price - 1e-12).all()  # at least everything sold at the final price
    # Marginal proceeds equal the impacted price (proceeds are its integral).
    mid = 0.5 * (q[1:] + q[:-1])
    mask = np.abs(mid - 4.0) > 0.1  # away from the linear kink at q = depth
    np.testing.assert_allclose(
        (np.diff(proceeds) / np.diff(q))[mask], price_after_sales(1.5, mid, 4.0, kind=kind)[mask], rtol=1e-4
    )


@settings(max_examples=200, deadline=None)
@given(
    st.floats(0.01, 1e3),
    st.floats(1e-3, 1e3),
    st.floats(1e-3, 1e3),
    st.floats(1e-3, 1e3),
)
def test_proceeds_bounds_random(p, q1, q2, depth):
    lo, hi = sorted((q1, q2))
    # Strictly below p*q for a visible impact; at least q times the post-sale price.
    r = liquidation_proceeds(p, hi, depth)
    assert r <= p * hi
    if hi / depth > 1e-6:
        assert r < p * hi
    assert r >= hi * price_after_sales(p, hi, depth) * (1 - 1e-12)
    assert liquidation_proceeds(p, lo, depth) <= r
    assert price_after_sales(p, lo, depth) >= price_after_sales(p, hi, depth)


@pytest.mark.parametrize(
    ("args", "kind", "match"),
    [
        ((-1.0, 1.0, 1.0), "exponential", "price must be non-negative"),
        ((1.0, -1.0, 1.0), "exponential", "quantity_sold must be non-negative"),
        ((1.0, 1.0, -1.0), "exponential", "market_depth must be non-negative"),
        ((1.0, 1.0, 0.0), "exponential", "market_depth must be positive"),
        ((1.0, np.nan, 1.0), "exponential", "quantity_sold contains NaN"),
        ((1.0, 1.0, 1.0), "cubic", "kind must be one of"),
    ],
)
def test_price_impact_validation(args, kind, match):
    with pytest.raises(ValueError, match=match):
        price_after_sales(*args, kind=kind)
    with pytest.raises(ValueError, match=match):
        liquidation_proceeds(*args, kind=kind)
