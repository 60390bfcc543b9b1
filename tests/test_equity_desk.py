"""The equity desk: a finite pool of outside buyers whose capacity depends on the mood and the
price, and placement discounts that grow with the volume — checked against figures computed by
hand from the formula in ``model/equity_desk.py`` on the opening economy."""

from __future__ import annotations

import math

import pytest

from handbuilt import opening_economy

P = 100.0  # $/share the cloud is set to
SHARES = 2.0  # billion shares: market cap $200B


def desk_economy(pool: float = 1000.0, share: float = 0.05, sentiment: float = 0.0):
    """The opening economy with the cloud at $100 x 2bn shares, the desk's parameters set and the
    mood at ``sentiment``: the cloud's capacity is ``share`` x $200B x the mood factor."""
    eco = opening_economy()
    eco.set_params({"equity_desk_pool": pool, "equity_desk_firm_share": share, "inflow_appetite_power": 1.0,
                    "round_appetite_elasticity": math.log(2.0), "equity_fee_atm": 0.02,
                    "equity_discount_block": 0.03, "equity_discount_rescue": 0.15})
    eco.sentiment.latent = math.atanh(sentiment)
    cloud = eco.agent("cloud")
    cloud.price, cloud.shares = P, SHARES
    return eco, cloud


def test_an_atm_sale_raises_what_the_formula_gives_and_dilutes_by_the_shares_sold():
    eco, cloud = desk_economy()  # capacity 0.05 x 200 = 10 $B; fee 2%: at most 9.8 x (1 - e^-3)
    cash, paid_in = cloud.cash, eco.ledger.get("cloud", "paid_in")
    raised = eco.ctx.issue_equity(cloud, 4.9, "atm")
    # 4.9 = 9.8 (1 - exp(-V / 10))  =>  V = 10 ln 2 of shares at $100
    assert raised == pytest.approx(4.9, abs=1e-12)
    assert cloud.shares - SHARES == pytest.approx(10 * math.log(2) / P, rel=1e-12)
    assert cloud.cash - cash == pytest.approx(4.9, abs=1e-12)
    assert eco.ledger.get("cloud", "paid_in") - paid_in == pytest.approx(4.9, abs=1e-12)
    assert eco.exchange.exo[eco.exchange.pos["cloud"]] == pytest.approx(-10 * math.log(2), rel=1e-12)
    assert eco.equity_desk.used == pytest.approx(10 * math.log(2), rel=1e-12)


def test_the_discount_per_share_grows_with_the_volume():
    eco, cloud = desk_economy()
    eco2, cloud2 = desk_economy()
    eco.ctx.issue_equity(cloud, 1.0, "block")
    eco2.ctx.issue_equity(cloud2, 8.0, "block")
    avg_small = 1.0 / (cloud.shares - SHARES)
    avg_large = 8.0 / (cloud2.shares - SHARES)
    # by hand: X / V with V = -10 ln(1 - X / 9.7): 1 -> 97 x 0.1/(-ln(1-1/9.7)) ...
    assert avg_small == pytest.approx(P * 1.0 / (-10 * math.log1p(-1.0 / 9.7)), rel=1e-12)
    assert avg_large == pytest.approx(P * 8.0 / (-10 * math.log1p(-8.0 / 9.7)), rel=1e-12)
    assert 90.0 < avg_small < 97.0 and avg_large < 60.0  # $100 less the 3% discount, less the volume's


def test_no_sale_raises_more_than_the_cap_and_a_sale_just_below_it_is_filled():
    top = 9.8 * (1 - math.exp(-3.0))  # 9.312...
    eco, cloud = desk_economy()
    assert eco.ctx.equity_capacity(cloud, "atm") == pytest.approx(top, rel=1e-12)
    assert eco.ctx.issue_equity(cloud, top - 0.01, "atm") == pytest.approx(top - 0.01, abs=1e-12)
    eco, cloud = desk_economy()
    assert eco.ctx.issue_equity(cloud, top + 0.01, "atm") == pytest.approx(top, abs=1e-12)


def test_the_pool_is_shared_by_all_firms_and_refills_next_month():
    eco, cloud = desk_economy(pool=12.0)  # cloud's own 10 $B, the pool's 12 $B
    eco.ctx.issue_equity(cloud, 4.9, "atm")  # takes 10 ln 2 = 6.93 of the pool
    hyper = eco.agent("hyper_1")
    assert eco.equity_desk.capacity(hyper) == pytest.approx(12.0 - 10 * math.log(2), rel=1e-12)
    assert eco.equity_desk.capacity(hyper) < 0.05 * hyper.market_cap
    eco.month += 1
    assert eco.equity_desk.capacity(hyper) == pytest.approx(min(12.0, 0.05 * hyper.market_cap), rel=1e-12)


def test_capacity_follows_the_mood_and_the_price():
    eco, cloud = desk_economy(sentiment=-0.5)  # appetite exp(ln 2 x -0.5) = 1/sqrt(2)
    assert eco.equity_desk.capacity(cloud) == pytest.approx(10.0 / math.sqrt(2.0), rel=1e-12)
    cloud.price = 50.0  # half the price: half the market value the buyers take
    assert eco.equity_desk.capacity(cloud) == pytest.approx(5.0 / math.sqrt(2.0), rel=1e-12)


def test_a_rescue_placement_costs_its_discount():
    eco, cloud = desk_economy()
    raised = eco.ctx.issue_equity(cloud, 4.25, "rescue")  # 4.25 = 8.5 (1 - e^-V/10): V = 10 ln 2
    assert raised == pytest.approx(4.25, abs=1e-12)
    assert cloud.shares - SHARES == pytest.approx(10 * math.log(2) / P, rel=1e-12)


def test_an_unknown_way_is_refused_in_one_line():
    eco, cloud = desk_economy()
    with pytest.raises(ValueError, match=r"^equity issue: how 'ipo' is not allowed; allowed: atm, block, rescue, mandatory$"):
        eco.ctx.issue_equity(cloud, 1.0, "ipo")


def test_the_books_balance_after_placements():
    eco, cloud = desk_economy()
    eco.ctx.issue_equity(cloud, 3.0, "atm")
    eco.ctx.issue_equity(eco.agent("neocloud"), 1.0, "rescue")
    eco.ctx.issue_equity(cloud, 2.0, "mandatory")
    eco.check_books()


# --- the listing floor: no new shares below equity_min_price $/share ----------------------------------

def floor_economy(price: float, floor: float = 1.0, finite: bool = True):
    """The desk economy with the cloud at ``price`` $/share and 200bn shares (market cap 200 x price $B)."""
    eco, cloud = desk_economy()
    eco.set_params({"equity_min_price": floor, "channel_finite_capital": finite, "equity_issue_max": 0.03})
    cloud.price, cloud.shares = price, 200.0
    return eco, cloud


def test_a_firm_just_above_the_floor_sells_shares_and_one_just_below_sells_none():
    eco, cloud = floor_economy(1.01)  # capacity 0.05 x 202 = 10.1 $B; fee 2%: V = -10.1 ln(1 - 4.9 / 9.898)
    cash = cloud.cash
    assert eco.ctx.issue_equity(cloud, 4.9, "atm") == pytest.approx(4.9, abs=1e-12)
    assert cloud.shares - 200.0 == pytest.approx(-10.1 * math.log1p(-4.9 / 9.898) / 1.01, rel=1e-12)
    assert cloud.cash - cash == pytest.approx(4.9, abs=1e-12)
    eco, cloud = floor_economy(0.99)  # capacity 9.9 $B would be there, but the price is below $1
    cash, n = cloud.cash, len(eco.book.issued_by("cloud"))
    for how in ("atm", "rescue", "block", "mandatory"):
        assert eco.ctx.issue_equity(cloud, 4.9, how) == 0.0
        assert eco.ctx.equity_capacity(cloud, how) == 0.0
    assert (cloud.shares, cloud.cash, len(eco.book.issued_by("cloud"))) == (200.0, cash, n)
    eco.check_books()


def test_the_floor_is_the_parameter_not_a_fixed_dollar():
    eco, cloud = floor_economy(1.5, floor=2.0)
    assert eco.ctx.issue_equity(cloud, 1.0, "atm") == 0.0 and cloud.shares == 200.0
    eco, cloud = floor_economy(1.5, floor=1.4)  # capacity 0.05 x 300 = 15 $B
    assert eco.ctx.issue_equity(cloud, 1.0, "atm") == pytest.approx(1.0, abs=1e-12)
    assert cloud.shares - 200.0 == pytest.approx(-15 * math.log1p(-1.0 / 14.7) / 1.5, rel=1e-12)


def test_block_sales_of_shares_already_issued_have_no_floor():
    eco, cloud = floor_economy(0.5)  # capacity 0.05 x 100 = 5 $B; a 1 $B block fetches 0.97 x 5 (1 - e^-0.2)
    assert eco.equity_desk.block_sale(cloud, 1.0) == pytest.approx(0.97 * 5.0 * -math.expm1(-0.2), rel=1e-12)


def test_without_the_finite_desk_the_cloud_still_sells_no_shares_below_the_floor():
    eco, cloud = floor_economy(1.01, finite=False)  # at most 3% of $202B: 6.06 $B at $1.01
    cloud.issue_equity(10.0)
    assert cloud.shares - 200.0 == pytest.approx(6.06 / 1.01, rel=1e-12)
    eco, cloud = floor_economy(0.99, finite=False)
    cash = cloud.cash
    cloud.issue_equity(10.0)
    assert (cloud.shares, cloud.cash) == (200.0, cash)


@pytest.mark.parametrize("draw", [27, 43])
def test_full_range_draws_that_diluted_without_end_now_run_six_years_balanced(draw):
    """Draws 27 and 43 of ``benchmarks/bench_full_range.py`` (lab_disappoints): before the floor the
    cloud sold shares every month down to 1e-37 $/share (1e38bn shares against 2.8bn at the
    opening) until the traders' books and population parted (draw 27, step 1265) or a trade
    overflowed the retail sector's cash (draw 43, step 1450). Now every step balances (the books
    checked after each) and no placement from any caller (the cloud's and the neocloud's funding,
    rescues, mandatory convertibles) sold a share below the floor, in a draw whose floor is $0.61
    (draw 27) and whose cloud did place shares 13 times."""
    import numpy as np

    from ailoop.model import Economy
    from ailoop.runs.ranges import draw_params

    params = draw_params(np.random.default_rng([20250901, draw]))
    assert params["check_every"] == 1
    eco = Economy(scenario="lab_disappoints", seed=draw, **params)
    eco.run(years=6)  # an accounting error raises
    eco.check_books()
    assert eco.steps == 6 * 252
    floor = params["equity_min_price"]
    sold = [i for i in eco.equity_desk.issues if i["shares"] > 0]
    assert all(i["price"] >= floor for i in sold), [i for i in sold if i["price"] < floor][:3]
