"""Opening balance sheets as filed: nothing in the September 2025 state sets off an event on its
own. In the first month of the baseline no margin call, forced sale, covenant breach, default or
other credit event happens; the levered fund's margin loan is tested against its whole book."""

from __future__ import annotations

import pytest

from ailoop.model import Economy

#: events that only distress sets off
DISTRESS = ("margin call", "GPU fire sale", "default", "covenant breach", "event of default", "cross-default",
            "debt service unpaid", "revolver draw", "rescue", "rescue declined", "write-off", "stake written off",
            "idle GPUs sold", "lease rejected", "failed round", "contract cancelled", "chip order cancelled")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_event_fires_in_the_first_month_of_the_baseline(seed):
    eco = Economy(scenario="baseline", seed=seed)  # books checked every step
    eco.run(years=1 / 12)
    fired = [(e["date"], e["event"], e["agent"], e["cause"]) for e in eco.events if e["event"] in DISTRESS]
    assert not fired, fired
    fund = eco.agent("vc_levered")
    assert fund.flow_cum.get("shares_sold", 0.0) == 0.0  # no forced sale
    assert all(a.flow_cum.get("shares_sold", 0.0) == 0.0 for a in eco.venture_funds)


def test_the_levered_funds_margin_loan_is_tested_against_its_whole_book():
    """Its $10B margin loan against its book — listed and private stakes at their marks and its
    holdings outside the loop — not against the ~$5B of listed shares the model holds for it."""
    eco = Economy(seed=1, checks=False)
    fund, p = eco.agent("vc_levered"), eco.params
    book = fund.collateral_value()
    stakes = sum(s.holder_value() for s in eco.book.held_by("vc_levered", "equity"))
    assert book == pytest.approx(stakes + p["open_other_assets_vc_levered"])
    assert p["margin_call_ltv"] * fund.listed_holdings() < p["open_debt_vc_levered"]  # the listed shares alone would call
    assert p["open_debt_vc_levered"] < p["margin_call_ltv"] * book
    assert fund.margin_headroom() == pytest.approx(  # within its facility
        min(p["vc_levered_margin_ltv"] * book, p["open_margin_facility_vc_levered"]) - p["open_debt_vc_levered"])
