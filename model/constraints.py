"""Joint constraints on the parameters: combinations whose values each lie in their table range but
that together describe no economy.

Each :class:`Constraint` names the parameters it reads and its rule; :func:`check_constraints`
(called by :func:`~ailoop.model.params.resolve`, so by ``Economy(...)`` and ``ailoop run`` before
anything runs) raises :class:`~ailoop.model.params.ParameterError` with one line naming the
parameters, their values and the rule broken by the first constraint that fails.

The rules:

* **Shares held at the opening.** No firm may have more of its shares held than it has
  outstanding (the books check of ``model/books.py``). Opening stakes are shares *of the shares
  outstanding* (``open_<...>_share``), except the levered fund's chip_leader stake, given in
  billions of shares; in a listed firm the retail ETF holds ``passive_share`` and the
  institutional traders ``trader_wealth_share`` x the fraction of their wealth they invest
  (``trader_invested_fraction``). The ranges of the stakes are set so that most
  combinations fit; the levered fund's chip_leader shares against a small ``open_shares_chip_leader``
  can still over-allocate, and are refused here.
* **A positive opening enterprise value.** The equity market prices a listed firm at a multiple of
  its revenue calibrated on the first trading day from market cap + net debt; a firm whose
  opening cash exceeds its market cap plus debt would get a negative multiple (more revenue,
  lower price).

* **The book's demand path needs a trend to ride.** With ``history_hyper_demand_path`` the
  hyperscalers' own demand drifts at ``history_hyper_demand_growth`` while the deal book runs,
  written as a growth of the AI demand trend over their exposure to it; an exposure of 0 has no
  trend to carry it. So does the path of the unmodelled AI demand
  (``history_rest_of_market_growth``, a stream with the same exposure).

Other joint limits are kept by the ranges alone (``model/params.py``, reasons in the source
column): a hyperscaler's GPU shares from the two chipmakers (at most 0.9 + 0.1), lab_spv's two
holders (at most 0.5 each), and the spot rent at full use (``rent_utilisation_ref`` >= 0.5,
``rent_elasticity`` <= 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

#: listed firms (the equity market's firms: the retail ETF and the traders hold each of them) and
#: the lab's hyperscaler partner, as in ``model/roster.py`` (kept here so that the parameter layer
#: does not import the agents; a test keeps them equal)
LISTED = ("cloud", "neocloud", "chip_leader", "chip_challenger", "hyper_1", "hyper_2", "hyper_3", "hyper_4")
LAB_PARTNER = "hyper_1"


@dataclass(frozen=True)
class Constraint:
    """A named rule over several parameters.

    ``check(params)`` returns ``None`` when the rule holds, else the one-line reason (the
    parameters with their values, and the rule).
    """

    name: str
    params: tuple[str, ...]
    rule: str
    check: Callable[[Mapping], str | None]


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def opening_holdings(params: Mapping) -> dict[str, list[tuple[str, float]]]:
    """Per firm, its opening holders' shares as fractions of its shares outstanding:
    ``[(how the fraction is made, in parameter terms, fraction), ...]``."""
    p = params
    links = 1.0 if p["cross_holdings"] else 0.0
    out: dict[str, list[tuple[str, float]]] = {}
    for firm in LISTED:
        out[firm] = [(f"passive_share={_fmt(p['passive_share'])}", p["passive_share"]),
                     (f"trader_wealth_share={_fmt(p['trader_wealth_share'])} x "
                      f"trader_invested_fraction={_fmt(p['trader_invested_fraction'])}",
                      p["trader_wealth_share"] * p["trader_invested_fraction"])]
    if links:
        s = p["open_leader_neocloud_share_other"]
        out["neocloud"].append((f"open_leader_neocloud_share_other={_fmt(s)}", s))
    n, shares = p["open_leader_shares_vc_levered"], p["open_shares_chip_leader"]
    out["chip_leader"].append((f"open_leader_shares_vc_levered={_fmt(n)}bn / open_shares_chip_leader={_fmt(shares)}bn",
                               n / shares))
    lab = []
    if links:
        s = p[f"open_{LAB_PARTNER}_lab_share_other"]
        lab.append((f"open_{LAB_PARTNER}_lab_share_other={_fmt(s)}", s))
    for f in ("vc_levered", "vc_1", "vc_2"):
        lab.append((f"open_lab_share_{f}={_fmt(p[f'open_lab_share_{f}'])}", p[f"open_lab_share_{f}"]))
    out["lab"] = lab
    out["lab_spv"] = [(f"open_lab_spv_share_{f}={_fmt(p[f'open_lab_spv_share_{f}'])}", p[f"open_lab_spv_share_{f}"])
                      for f in ("vc_1", "vc_2")]
    return out


def _shares_held(firm: str) -> Callable[[Mapping], str | None]:
    def check(p: Mapping) -> str | None:
        terms = opening_holdings(p)[firm]
        total = sum(v for _, v in terms)
        if total <= 1.0 + 1e-12:
            return None
        return (f"{' + '.join(t for t, _ in terms)} = {_fmt(total)} of {firm}'s shares outstanding; "
                f"its opening holders can hold at most all of them (1)")
    return check


def _shares_params(firm: str) -> tuple[str, ...]:
    names = []
    if firm in LISTED:
        names += ["passive_share", "trader_wealth_share", "trader_invested_fraction"]
    names += {"neocloud": ["open_leader_neocloud_share_other", "cross_holdings"],
              "chip_leader": ["open_leader_shares_vc_levered", "open_shares_chip_leader"],
              "lab": [f"open_{LAB_PARTNER}_lab_share_other", "cross_holdings",
                      *(f"open_lab_share_{f}" for f in ("vc_levered", "vc_1", "vc_2"))],
              "lab_spv": [f"open_lab_spv_share_{f}" for f in ("vc_1", "vc_2")]}.get(firm, [])
    return tuple(names)


def _enterprise_value(firm: str) -> Callable[[Mapping], str | None]:
    def check(p: Mapping) -> str | None:
        price, shares = p[f"open_price_{firm}"], p[f"open_shares_{firm}"]
        cash, debt = p[f"open_cash_{firm}"], p.get(f"open_debt_{firm}", 0.0)
        ev = price * shares + debt - cash
        if ev > 0:
            return None
        return (f"open_price_{firm}={_fmt(price)} x open_shares_{firm}={_fmt(shares)} + open_debt_{firm}={_fmt(debt)} "
                f"- open_cash_{firm}={_fmt(cash)} = {_fmt(ev)} $B; a listed firm's opening enterprise value "
                f"(market cap + debt - cash) must be positive (the market prices it at a multiple of revenue)")
    return check


def _book_demand_path(p: Mapping) -> str | None:
    if not p["history_hyper_demand_path"] or p["hyper_demand_exposure"] > 0:
        return None
    return ("history_hyper_demand_path=true with hyper_demand_exposure=0: the book's path is a drift of the "
            "hyperscalers' demand along the AI demand trend, which needs an exposure above 0")


def _book_outside_orders(p: Mapping) -> str | None:
    if p["history_rest_of_market_growth"] == 0 or p["hyper_demand_exposure"] > 0:
        return None
    return (f"history_rest_of_market_growth={p['history_rest_of_market_growth']:g} with hyper_demand_exposure=0: the "
            "book's path of the unmodelled AI demand is a drift along the AI demand trend, which needs an "
            "exposure above 0")


CONSTRAINTS: list[Constraint] = [
    *(Constraint(f"shares_held_{f}", _shares_params(f), f"{f}'s opening holders hold at most all its shares",
                 _shares_held(f)) for f in (*LISTED, "lab", "lab_spv")),
    *(Constraint(f"enterprise_value_{f}", (f"open_price_{f}", f"open_shares_{f}", f"open_cash_{f}", f"open_debt_{f}"),
                 f"{f}'s opening market cap + debt exceeds its cash", _enterprise_value(f)) for f in LISTED),
    Constraint("book_demand_path", ("history_hyper_demand_path", "hyper_demand_exposure"),
               "the book's hyperscaler demand path needs an exposure to the AI demand trend", _book_demand_path),
    Constraint("book_outside_orders", ("history_rest_of_market_growth", "hyper_demand_exposure"),
               "the book's path of the unmodelled AI demand needs an exposure to the AI demand trend",
               _book_outside_orders),
]


def violations(params: Mapping) -> list[tuple[Constraint, str]]:
    """Every constraint ``params`` (a complete parameter dict) breaks, with its reason."""
    out = []
    for c in CONSTRAINTS:
        why = c.check(params)
        if why is not None:
            out.append((c, why))
    return out


def check_constraints(params: Mapping) -> None:
    """Raise :class:`~ailoop.model.params.ParameterError` (one line) naming the first broken constraint."""
    from ailoop.model.params import ParameterError

    bad = violations(params)
    if bad:
        c, why = bad[0]
        more = f" (and {len(bad) - 1} more conflict{'s' if len(bad) > 2 else ''})" if len(bad) > 1 else ""
        raise ParameterError(f"parameters conflict ({c.name}): {why}{more}")
