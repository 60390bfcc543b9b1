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
