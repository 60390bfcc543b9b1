"""Channels (c), (e), (f), (g), (h) on hand-built cases, thresholds on both sides:

* (c) capex that answers to returns: builds for no customer deferred or cancelled by utilisation
  and the expected return, builds for a customer by its payment odds; the chipmaker's deliveries
  and revenue feel it;
* (e) a letter of intent signed or let lapse by chip_leader's own decision;
* (f) finite outside capital: a defaulter's assets and a forced block of shares fetch less the
  more is sold;
* (g) rescues as decisions by any stakeholder: expected loss from the failure against the cost;
* (h) a GPU glut from the market: rent and used-GPU prices fall because the rental market clears
  at a lower utilisation, with no reference rewritten.
"""

from __future__ import annotations

import math

import pytest

from handbuilt import opening_economy, owe_bill, set_cash


# ====================================================================== (c) capex
def hyper_with_utilisation(u: float, **params):
    """hyper_1 at the opening with ``u`` of its online GW earning (the rest idle), after a first
    review at full use (its reference return)."""
    eco = opening_economy(**params)
    h = eco.agent("hyper_1")
    h.free_gw = 0.0
    h.review_capex()  # the first review: the reference expected return
    h.free_gw = (1.0 - u) * h.online_gw
    return eco, h


@pytest.mark.parametrize("u, paused, cancelled", [(0.61, False, False), (0.59, True, False), (0.41, True, False),
                                                  (0.39, False, True)])
def test_builds_for_no_customer_wait_below_60_and_stop_below_40_percent_utilisation(u, paused, cancelled):
    # a large tolerance: only utilisation decides here
    eco, h = hyper_with_utilisation(u, capex_return_tolerance=1.0)
    own = [pr for pr in h.fleet.projects if pr.contract is None and pr.purpose != "opening" and pr.online_gw() < pr.gw]
    assert own
    orders = [pr.order for pr in own if pr.order is not None]
    gw_before = sum(pr.gw for pr in own)
    h.review_capex()
    assert all(pr.paused == paused for pr in own if pr in h.fleet.projects)
    assert all((o.deferred(eco.month + 1)) == paused for o in orders if o.active)
    if cancelled:
        assert not any(o.active for o in orders)  # cancelled: the vendor keeps the prepayment
        assert sum(pr.gw for pr in h.fleet.projects if pr in own) < gw_before
        assert [e for e in eco.events if e["event"] == "capex cancelled" and e["agent"] == "hyper_1"]


@pytest.mark.parametrize("fall, deferring", [(0.049, False), (0.051, True)])
def test_builds_wait_when_the_expected_return_falls_by_more_than_the_tolerance(fall, deferring):
    """At full use, the expected excess return on a new GW falls with a higher cost of capital: by
    the weight of debt x the spread added. A fall just under 5 points keeps building, just over waits."""
    eco, h = hyper_with_utilisation(1.0)
    debt = eco.ledger.get("hyper_1", "debt")
    w = debt / (debt + h.market_cap)
    eco.set_params({"credit_spread_shift": fall / w})  # k rises by exactly ``fall``
    h.review_capex()
    assert h.deferring == deferring


def test_deferred_orders_keep_their_place_and_the_chipmaker_ships_to_the_next():
    """A deferred order is skipped this month: chip_leader's production goes to the orders behind
    it; its revenue from the deferring buyer is nil this month (by hand: units x price)."""
    eco, h = hyper_with_utilisation(0.5, capex_return_tolerance=1.0)
    h.review_capex()
    chip = eco.agent("chip_leader")
    eco.month += 1
    deferred = [o for o in chip.queue if o.holder == "hyper_1" and o.deferred(eco.month)]
    assert deferred
    before = {id(o): o.delivered_units for o in chip.queue}
    chip.flow = {}
    chip.produce_and_deliver()
    assert all(o.delivered_units == before[id(o)] for o in deferred)
    others = sum(o.delivered_units - before[id(o)] for o in chip.queue if id(o) in before and o not in deferred)
    assert others > 0 and chip.flow.get("revenue_ai", 0.0) > 0


@pytest.mark.parametrize("odds, paused, cancelled", [(0.31, False, False), (0.29, True, False), (0.11, True, False),
                                                     (0.09, False, True)])
def test_builds_for_a_customer_answer_to_its_payment_odds(odds, paused, cancelled):
    eco = opening_economy()
    eco.run(years=2 / 12)
    cloud, lab = eco.agent("cloud"), eco.agent("lab")
    lab.payment_odds = lambda: odds
    for_lab = [pr for pr in cloud.fleet.projects if pr.contract is not None and pr.contract.holder == "lab"
               and pr.online_gw() < pr.gw]
    assert for_lab
    cloud.review_capex()
    if cancelled:
        assert all(pr.gw == pytest.approx(pr.online_gw()) for pr in for_lab)
    else:
        assert all(pr.paused == paused for pr in for_lab)


# ====================================================================== (e) the letter of intent
def with_intent(odds: float, month: int):
    eco = opening_economy()
    eco.run(years=1 / 12)  # the announcement of September 2025
    loi, = eco.book.held_by("chip_leader", "letter_of_intent")
    eco.agent("lab").payment_odds = lambda: odds
    eco.month = month
    return eco, loi


@pytest.mark.parametrize("odds, month, outcome", [
    (0.81, 6, "signed"), (0.79, 6, "pending"), (0.81, 5, "pending"),     # wait 6 months, odds >= 80%
    (0.51, 6, "pending"), (0.49, 3, "lapsed"),                          # lapse below 50%, at any time
    (0.79, 13, "lapsed"), (0.81, 13, "signed")])                        # past the 12 months: sign or let go
def test_chip_leader_signs_or_lets_lapse_by_its_own_rule(odds, month, outcome):
    eco, loi = with_intent(odds, month)
    eco.agent("chip_leader").decide_intents()
    staged = eco.book.held_by("chip_leader", "staged_investment")
    if outcome == "signed":
        assert not loi.active and staged and staged[0].cap == eco.params["staged_cap"]
    elif outcome == "lapsed":
        assert not loi.active and not staged
        assert [e for e in eco.events if e["event"] == "letter of intent lapsed"]
    else:
        assert loi.active and not staged
    assert loi.commitment() == 0.0  # an intent binds nobody


# ====================================================================== (f) finite outside capital
def test_a_defaulter_s_plant_fetches_less_the_more_is_sold_at_once():
    """plant_recovery 0.3 of book, then the distressed buyers' discount: 0.3 x C (1 - e^(-V/C)) / V
    with V = 0.3 x book and C their month's capacity (by hand)."""
    eco = opening_economy(distressed_capacity=10.0)
    eco.sentiment.latent = 0.0
    desk = eco.equity_desk
    v = 0.3 * 40.0
    share = desk.distressed_sale(v, 0.0)
    assert share == pytest.approx(10.0 * -math.expm1(-v / 10.0) / v, rel=1e-12)
    # the sale took the month's capacity (12 > 10): a second one fetches nothing; next month it refills
    assert desk.distressed_sale(1.0, 0.0) == 0.0
    eco.month += 1
    assert desk.distressed_sale(1.0, 0.0) == pytest.approx(10.0 * -math.expm1(-1.0 / 10.0), rel=1e-12)
    eco2 = opening_economy(channel_finite_capital=False)
    assert eco2.equity_desk.distressed_sale(v, 0.0) == 1.0


def test_a_forced_block_of_shares_sells_below_the_price():
    """The levered fund sells a block of chip_leader: (1 - 3%) x C (1 - e^(-V/C)) / V of the price."""
    eco = opening_economy(equity_desk_firm_share=0.01)
    eco.sentiment.latent = 0.0
    chip = eco.agent("chip_leader")
    stake = eco.book.stake("vc_levered", "chip_leader")
    n = stake.shares
    v = n * chip.price
    cap = min(0.01 * chip.market_cap, eco.params["equity_desk_pool"])
    raised = eco.transactions.sell_shares("vc_levered", chip, n, reason="forced sale")
    assert raised == pytest.approx(v * 0.97 * cap * -math.expm1(-v / cap) / v, rel=1e-9)
    eco.check_books()


# ====================================================================== (g) rescues
def distressed_neocloud(owed: float = 2.0):
    """The neocloud ``owed`` $B behind on a bill (to an outside supplier), no cash; chip_leader holds
    its opening stake and plenty of cash. No month recorded yet: no burn in the cost."""
    eco = opening_economy()
    set_cash(eco, "neocloud", 0.0)
    set_cash(eco, "chip_leader", 1000.0)
    owe_bill(eco, "neocloud", "operating_costs", owed)
    return eco


@pytest.mark.parametrize("below, rescued", [(0.01, True), (-0.01, False)])
def test_a_stakeholder_rescues_exactly_when_its_expected_loss_exceeds_the_cost(below, rescued):
    """The cost: what the neocloud owes overdue plus its debt service over rescue_horizon_months
    (no cash, no burn). chip_leader's expected loss L (stake, claims, margin) is fixed: a bill 0.01 $B smaller
    than L less the debt service is rescued, 0.01 $B larger declined."""
    probe = distressed_neocloud()
    chip, neo = probe.agent("chip_leader"), probe.agent("neocloud")
    loss, _ = chip.failure_loss(neo)
    service = probe.credit.debt_due("neocloud", probe.params["rescue_horizon_months"])
    owed = loss - service - below
    assert owed > 0
    eco = distressed_neocloud(owed)
    chip, neo = eco.agent("chip_leader"), eco.agent("neocloud")
    assert chip.failure_loss(neo)[0] == pytest.approx(loss, rel=1e-12)
    shares = neo.shares
    chip.rescue_backstopped = lambda: None  # the generic decision alone (no backstop purchase)
    chip.consider_rescues()
    done = [e for e in eco.events if e["event"] == "rescue" and e["agent"] == "chip_leader"]
    declined = [e for e in eco.events if e["event"] == "rescue declined" and e["agent"] == "chip_leader"]
    if rescued:
        assert done and done[0]["size"] == pytest.approx(owed + service, rel=1e-9)
        assert neo.shares - shares == pytest.approx((owed + service) / neo.price, rel=1e-9)
        assert eco.defaults.overdue("neocloud") == pytest.approx(0.0, abs=1e-9)
    else:
        assert declined and not done and neo.shares == shares


def test_the_failure_loss_is_stake_plus_claims_at_loss_plus_margin():
    eco = distressed_neocloud()
    chip, neo = eco.agent("chip_leader"), eco.agent("neocloud")
    stake = eco.book.stake("chip_leader", "neocloud")
    claims = sum(c.claim() for c in eco.book.held_by("chip_leader") if c.issuer == "neocloud" and c.claim_accounts)
    expected = stake.shares * neo.price + 0.6 * claims + chip.expected_margin_from(neo)
    assert chip.failure_loss(neo)[0] == pytest.approx(expected, rel=1e-12)


# ====================================================================== (h) the glut
def test_a_glut_lowers_rent_and_used_prices_through_the_market_not_a_reference():
    """Outside capacity entering the rental market lowers utilisation from U to U x B / (B + X)
    (X rented as far as spot demand reaches it: none here) and the rent by that ratio to the
    elasticity; the used-GPU price follows the rent. rent_ref is unchanged."""
    from ailoop.model.shocks import GpuGlut

    eco = opening_economy()
    eco.run(years=1 / 12)  # a month of use
    m, p = eco.gpu_market, eco.params
    m.update()
    rent0, used0 = m.rent, m.used_price
    built, used = m.capacity_built_gw(), m.capacity_used_gw()
    GpuGlut(supply_share=0.5, demand_factor=0.5).apply(eco)
    assert eco.params["rent_ref"] == p["rent_ref"] and eco.params["gpu_life_months"] == p["gpu_life_months"]
    assert eco.params["gpu_outside_supply_gw"] == pytest.approx(0.5 * built)
    m.update()  # (no spot rentals of the outside capacity yet: the month's spot market has run)
    util1 = min(1.0, used / (1.5 * built))
    assert m.utilisation == pytest.approx(util1, rel=1e-9)
    assert m.rent == pytest.approx(p["rent_ref"] * (max(util1, 0.05) / p["rent_utilisation_ref"]) ** p["rent_elasticity"],
                                   rel=1e-9)
    assert m.rent < rent0 and m.used_price < used0


# ====================================================================== buybacks against the float
def test_a_buyback_retires_only_shares_bought_from_the_outside_float():
    """A programme worth ten times chip_challenger's outside float, over three days: each day's part
    is bought at the pre-trade price and retired at once, never more than the float that is left;
    the shares outstanding never fall below the shares the modelled holders own."""
    eco = opening_economy()
    chip = eco.agent("chip_challenger")
    set_cash(eco, "chip_challenger", 10_000.0)
    held = eco.book.shares_held("chip_challenger")
    float0 = chip.shares - held
    price = chip.price
    eco.ctx.buy_back(chip, 10.0 * float0 * price, 3)
    paid = 0.0
    for day in range(3):
        cash = chip.cash
        eco.exchange.execute_buybacks()
        paid += cash - chip.cash
        assert chip.shares >= eco.book.shares_held("chip_challenger") - 1e-12
    # the first day's third of the programme is more than the float: the whole float, and no more
    assert float0 - (chip.shares - held) == pytest.approx(float0, rel=1e-9)
    assert paid == pytest.approx(float0 * price, rel=1e-9)


def book_at_twice_target(eco):
    """chip_leader's live orders scaled so that the book is exactly twice its target in months of
    production; returns (chip, target, capacity, orders, the largest order: more than half the book)."""
    chip = eco.agent("chip_leader")
    target, cap = eco.params["chip_backlog_target_months"], chip.capacity
    orders = [o for o in chip.queue if o.undelivered_units > 0]
    assert len(orders) >= 2
    scale = 2.0 * target * cap / sum(o.undelivered_units for o in orders)
    for o in orders:
        o.units *= scale
        o.delivered_units *= scale
    big = max(orders, key=lambda o: o.undelivered_units)
    assert big.undelivered_units > target * cap
    return chip, target, cap, orders, big


def assert_reprices_on(eco, chip, live: float, direction: int) -> None:
    """``chip.reprice()`` moves the price by sensitivity x (live / capacity / target - 1) within
    the max step (never below the floor), up if ``direction`` > 0, down otherwise."""
    p = eco.params
    gap = live / chip.capacity / p["chip_backlog_target_months"] - 1.0
    step = max(-p["chip_price_max_step"], min(p["chip_price_max_step"], p["chip_price_sensitivity"] * gap))
    price0 = chip.gpu_price
    floor = chip.gpu_price_0 * (1.0 - chip.gross_margin) * p["gpu_price_floor_markup"]
    chip.reprice()
    assert chip.gpu_price == pytest.approx(max(floor, price0 * (1.0 + step)), rel=1e-12)
    assert (chip.gpu_price > price0) == (direction > 0)


@pytest.mark.parametrize("deferred_units, direction", [(0.0, 1), (None, -1)])
def test_the_chipmaker_prices_on_the_orders_its_buyers_are_taking_not_the_deferred_ones(deferred_units, direction):
    """chip_leader's order book scaled to exactly twice its target in months of production. Nothing
    deferred: demand is 2 x target, the price rises by min(max step, sensitivity x (2 - 1)). Its
    largest order (more than half the book) deferred this month: demand is (book - that order) /
    capacity, below target, and the price falls by sensitivity x (demand / target - 1) (within the
    max step). Before, the deferred order counted and the price kept rising while deliveries
    stopped — a hog cycle in the baseline."""
    eco = opening_economy()
    chip, target, cap, _, big = book_at_twice_target(eco)
    live = 2.0 * target * cap
    if deferred_units is None:
        big.deferred_until = eco.month + 1
        live -= big.undelivered_units
    assert_reprices_on(eco, chip, live, direction)


@pytest.mark.parametrize("timed, housed, direction", [(True, True, 1), (True, False, -1), (False, False, 1)])
def test_the_chipmaker_prices_on_the_orders_that_can_ship_not_those_waiting_for_their_halls(timed, housed, direction):
    """chip_leader's order book scaled to exactly twice its target in months of production, its
    largest order (more than half the book) equipping a hall still to be built: 0% of an 18-month
    shell whose first phase is ready after 12 months, so nothing of it can be housed within the
    3-month delivery lead. With deliveries timed to the shells that order is booked, scheduled
    demand: the price answers to the rest, (book - that order) / capacity, below target, and falls
    by sensitivity x (demand / target - 1) (within the max step). Its hall ready (nothing to build),
    or deliveries not timed, the whole book counts: 2 x target, the price rises by min(max step,
    sensitivity x (2 - 1)). Production capacity still grows into the whole booked demand."""
    from ailoop.model.capacity import Project

    eco = opening_economy(chip_delivery_to_shells=timed)
    chip, target, cap, orders, big = book_at_twice_target(eco)
    for o in orders:
        o.project = None  # a hall ready for it: takes all it awaits
    if not housed:
        big.project = Project(big.holder, 1.0, eco.month, 18, 10.0, big.units, chip.aid, purpose="a hall to build",
                              tranche_gw=0.5, first_months=12)
    live = 2.0 * target * cap - (big.undelivered_units if timed and not housed else 0.0)
    assert_reprices_on(eco, chip, live, direction)
    assert chip.demand_months() == pytest.approx(2.0 * target, rel=1e-12)  # what capacity grows into


@pytest.mark.parametrize("odds, paused, cancelled", [(0.31, False, False), (0.29, True, False), (0.09, False, True)])
def test_a_developers_leased_site_answers_to_its_lessee_not_to_the_return_on_gpus(odds, paused, cancelled):
    """A developer's shells leased to the cloud are built for that customer: with the spot rent all
    but gone (the return on a new GW of GPUs collapses) they go on while the cloud's payment odds
    are at least 30%, wait below, stop below 10%; a site of its own with no lease is cancelled by
    the same collapse."""
    from ailoop.model import Economy

    eco = Economy(scenario="history", seed=1, checks=False)
    dev = eco.agent("dc_developer")
    leased = [pr for pr in dev.fleet.projects if dev.customer_of(pr) == "cloud" and pr.online_gw() < pr.gw
              and pr.delay_cause != "financing"]
    assert leased
    spec = dev.start_site(0.5, "speculative", build_months=18, financed=True)
    assert dev.customer_of(spec) is None
    dev.review_capex()  # the first review: the reference return
    eco.gpu_market.rent = 0.01  # $ per GPU-hour: the return on a new GW falls far beyond twice the tolerance
    real_odds = eco.ratings.payment_odds
    eco.ratings.payment_odds = lambda aid: odds if aid == "cloud" else real_odds(aid)  # the cloud's, from its rating
    gw_before = {id(pr): pr.gw for pr in leased}
    dev.review_capex()
    assert spec not in dev.fleet.projects  # built for no one: cancelled by the return
    for pr in leased:
        if cancelled:  # its unfinished shell stopped (and, with nothing online, gone from the fleet)
            assert pr.gw == pytest.approx(pr.online_gw()) and pr.gw < gw_before[id(pr)]
        else:
            assert pr.paused == paused and pr.gw == gw_before[id(pr)]
