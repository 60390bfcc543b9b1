"""The deal book's equity: rounds, strategic stakes and the chipmaker's letter of intent (section 2).

* chip_leader's $100B for the lab, $10B per GW deployed: a letter of intent (September 2025),
  shelved in January 2026 — it lapses — and replaced by $30B of straight equity in the lab's 2026
  round.
* The levered fund (SoftBank-like) sells its chip_leader shares (November 2025) and wires the last
  $22.5B of its $40B commitment (December 2025).
* The lab's 2026 round: announced in February at $730B pre-money, closed at the end of March at
  $122B and $852B post: hyper_3 $15B in cash and $35B on condition of a listing the model does not
  have (a commitment it never pays), chip_leader $30B, the levered fund $30B, the other funds the
  rest; the round's price is the lab's new mark. The levered fund pays its part with a bridge loan
  (a one-year revolving line from a bank, on top of its margin facility).
* lab_2: chip_leader's and hyper_1's equity commitments (November 2025), paid in its round of
  February 2026 ($30B at $380B post; venture funds the rest).
* lab_spv's round of January 2026 ($20B at ~$230B, venture funds), chip_leader's $2B of new
  neocloud shares (January 2026), its Intel stake (September 2025) and the employees' share sale
  at $500B (October 2025: no new money, the lab's mark already $500B).

A round's money comes from the investors' own sources as the model has them (cash, LP capital,
margin loans); an investor short of it puts in what it has.
"""

from __future__ import annotations

import datetime as dt

from ailoop.model import deals as base
from ailoop.model.contracts import ConditionalInvestment, Contract, LetterOfIntent, Revolver, StagedInvestment
from ailoop.model.history.book import banks, event, lapse_intent


def chip_leader_intent(economy) -> float:
    """chip_leader intends to invest up to ``staged_cap`` in the lab, ``staged_per_gw`` per GW
    deployed: a letter of intent (no definitive agreement was signed)."""
    p = economy.params
    if not p["cross_holdings"]:
        return 0.0
    lab = economy.agent("lab")
    definitive = StagedInvestment(holder="chip_leader", issuer="lab", per_gw=p["staged_per_gw"], cap=p["staged_cap"],
                                  gw_base=lab.deployed_gw("chip_leader"), name="chip_leader-lab")
    economy.book.add(LetterOfIntent(holder="chip_leader", issuer="lab", definitive=definitive, name="chip_leader-lab",
                                    announced=p["staged_cap"], signed_month=economy.month,
                                    expires_month=economy.month + 12))
    return p["staged_cap"]


def chip_leader_intent_lapses(economy) -> float:
    """The letter of intent is shelved: no definitive agreement; it lapses."""
    return lapse_intent(economy, "chip_leader", "chip_leader-lab",
                        "shelved: no definitive agreement (replaced by a straight equity stake in the 2026 round)")


def softbank_sells_chip_leader(economy) -> float:
    """The levered fund sells all its chip_leader shares to fund its commitment to the lab."""
    stake = economy.book.stake("vc_levered", "chip_leader")
    if stake is None or stake.shares <= 0:
        return 0.0
    return economy.transactions.sell_shares("vc_levered", economy.agent("chip_leader"), stake.shares,
                                            reason="to fund its commitment to the lab")


def secondary_sale(economy) -> float:
    """Employees sell ~$6.6B of shares to investors at $500B: no new money; the lab's mark is
    already the opening $500B (nothing moves in the model)."""
    return 0.0


def _fund_in(economy, investor: str, issuer: str, amount: float, price: float, retag: str | None = None) -> float:
    """``investor`` puts ``amount`` $B into ``issuer`` at ``price``, as far as its sources allow."""
    if amount <= 1e-9:
        return 0.0
    a = economy.agent(investor)
    if hasattr(a, "raise_cash"):
        a.raise_cash(amount)
    x = min(amount, max(0.0, a.cash))
    if x > 1e-9:
        economy.transactions.invest_equity(investor, issuer, x, price, retag=retag)
    return x


def _funds_in(economy, issuer: str, amount: float, price: float) -> float:
    """The venture funds other than the levered one put ``amount`` $B in, pro rata to what each
    could put to work."""
    funds = [f for f in economy.venture_funds if f.aid != "vc_levered" and not f.defaulted]
    room = sum(f.available() for f in funds)
    return sum(_fund_in(economy, f.aid, issuer, amount * f.available() / room, price) for f in funds) if room > 0 else 0.0


def _post_money_price(lab, size: float, post: float) -> float:
    """$ per share of a round of ``size`` $B at ``post`` $B post-money: the pre-money value (post
    less the new money; at least 1e-6 $B) over ``lab``'s shares outstanding (billions)."""
    return max(post - size, 1e-6) / lab.shares


def _round_closed(economy, lab, price: float, size: float, raised: float, terms: str = "") -> float:
    """``lab``'s round of ``size`` $B closes with ``raised`` $B at ``price`` $ per share: the price is
    its new mark (``rounds.priced_round``), the round is news (``terms`` ends the event's text) and
    the money its ``equity_raised`` flow. Returns ``raised``."""
    economy.rounds.priced_round(lab, price, size, raised)
    economy.record_event("round", lab.aid, f"raised {raised:,.1f} of {size:,.1f} $B at ${price:,.0f}/share{terms}", raised)
    lab.add_flow("equity_raised", raised)
    return raised


def softbank_bridge(economy) -> float:
    """The levered fund's lenders commit a bridge loan of ``history_softbank_bridge`` (a revolving
    line from the bank with the most to lend, for a year, renewed if the bank would still lend; its
    margin facility grows by as much): how it funds its part of the lab's round."""
    p = economy.params
    fund = economy.agent("vc_levered")
    size = p["history_softbank_bridge"]
    if fund.defaulted or size <= 0:
        return 0.0
    spread = p["spread_margin_loan"]
    bank = banks(economy, 1)[0]
    economy.book.add(Revolver(holder=bank.aid, issuer="vc_levered", face=0.0, coupon=p["risk_free_rate"] + spread,
                              issued_month=economy.month, maturity_month=economy.month + 12, spread=spread, limit=size,
                              tenor=12))
    fund.margin_facility += size
    return size


def lab_round_announced(economy) -> float:
    """The round is announced at ``history_round_pre`` pre-money; nothing is paid until it closes."""
    p = economy.params
    return p["history_round_amazon"] + p["history_round_amazon_conditional"] + p["history_round_chip_leader"] \
        + p["history_round_softbank"] + p["history_round_others"]


def lab_round_closes(economy) -> float:
    """The 2026 round closes at ``history_round_pre`` pre-money: each investor's part at the round's
    price; hyper_3's conditional part is a commitment; the price becomes the lab's mark."""
    p = economy.params
    lab = economy.agent("lab")
    if lab.defaulted:
        return 0.0
    price = p["history_round_pre"] / lab.shares
    links = p["cross_holdings"]
    raised = _fund_in(economy, "hyper_3", "lab", p["history_round_amazon"] * links, price)
    if p["history_round_amazon_conditional"] > 0 and links:
        economy.book.add(ConditionalInvestment(holder="hyper_3", issuer="lab", amount=p["history_round_amazon_conditional"],
                                               condition="listed", name="hyper_3 in the lab's 2026 round"))
    raised += _fund_in(economy, "chip_leader", "lab", p["history_round_chip_leader"] * links, price,
                       retag="chipmaker_investment")
    raised += _fund_in(economy, "vc_levered", "lab", p["history_round_softbank"], price)
    raised += _funds_in(economy, "lab", p["history_round_others"], price)
    return _round_closed(economy, lab, price, lab_round_announced(economy), raised,
                         f" (${p['history_round_pre']:,.0f}B pre-money); "
                         f"{p['history_round_amazon_conditional'] * links:,.0f} $B more on condition of a listing")


def lab2_strategic(economy) -> float:
    """chip_leader and hyper_1 commit equity to lab_2, paid in its next priced round."""
    p = economy.params
    if not p["cross_holdings"]:
        return 0.0
    for holder, amount, retag in (("chip_leader", p["history_lab2_chip_leader"], "chipmaker_investment"),
                                  ("hyper_1", p["history_lab2_microsoft"], None)):
        if amount > 0:
            economy.book.add(ConditionalInvestment(holder=holder, issuer="lab_2", amount=amount, condition="round",
                                                   name=f"{holder} in lab_2", retag=retag))
    return p["history_lab2_chip_leader"] + p["history_lab2_microsoft"]


def lab2_round(economy) -> float:
    """lab_2's round: ``history_lab2_round`` at ``history_lab2_round_post`` post-money; the strategic
    commitments are paid in it, the venture funds put in the rest."""
    p = economy.params
    lab = economy.agent("lab_2")
    if lab.defaulted:
        return 0.0
    size = p["history_lab2_round"]
    price = _post_money_price(lab, size, p["history_lab2_round_post"])
    raised = 0.0
    for c in economy.book.issued_by("lab_2", Contract.commitment):
        if getattr(c, "condition", "") == "round":
            raised += c.pay(economy.ctx, price)
    raised += _funds_in(economy, "lab_2", max(0.0, size - raised), price)
    return _round_closed(economy, lab, price, size, raised, f" (${p['history_lab2_round_post']:,.0f}B post-money)")


def xai_round(economy) -> float:
    """lab_spv's round: ``history_xai_round`` at ``history_xai_post``, from the venture funds."""
    p = economy.params
    lab = economy.agent("lab_spv")
    if lab.defaulted:
        return 0.0
    size = p["history_xai_round"]
    price = _post_money_price(lab, size, p["history_xai_post"])
    return _round_closed(economy, lab, price, size, _funds_in(economy, "lab_spv", size, price))


def chip_leader_in_neocloud(economy) -> float:
    """chip_leader buys ``history_leader_neocloud_equity`` of new neocloud shares at the day's price."""
    p = economy.params
    neo = economy.agent("neocloud")
    if neo.defaulted or not p["cross_holdings"]:
        return 0.0
    return _fund_in(economy, "chip_leader", "neocloud", p["history_leader_neocloud_equity"], neo.price,
                    retag="chipmaker_investment")


def deals(economy) -> list:
    p = economy.params
    book = "deal-book event"
    return [
        event(dt.date(2025, 9, 18), f"chip_leader buys Intel stake: ${p['intel_stake']:,.0f}B at $23.28",
              base.chip_leader_intel, ("chip_leader",)),
        event(dt.date(2025, 9, 22), f"chip_leader letter of intent: up to ${p['staged_cap']:,.0f}B of equity in the lab, "
              f"${p['staged_per_gw']:,.0f}B per GW deployed (non-binding)", chip_leader_intent, ("chip_leader",)),
        event(dt.date(2025, 10, 2), "lab employee share sale: ~$6.6B at $500B (no new money)", secondary_sale, (), book),
        event(dt.date(2025, 11, 11), "levered fund sells its chip_leader shares", softbank_sells_chip_leader, (), book),
        event(dt.date(2025, 11, 18), f"chip_leader and hyper_1 commit ${p['history_lab2_chip_leader']:,.0f}B and "
              f"${p['history_lab2_microsoft']:,.0f}B to lab_2", lab2_strategic, ("chip_leader", "hyper_1")),
        event(dt.date(2025, 12, 26), f"levered fund pays lab round tranche: ${p['vc_levered_tranche']:,.1f}B (the last of $40B)",
              base.softbank_tranche, ()),
        event(dt.date(2026, 1, 6), f"lab_spv round: ${p['history_xai_round']:,.0f}B at ${p['history_xai_post']:,.0f}B",
              xai_round, ()),
        event(dt.date(2026, 1, 26), f"chip_leader buys ${p['history_leader_neocloud_equity']:,.0f}B of new neocloud shares",
              chip_leader_in_neocloud, ("chip_leader", "neocloud")),
        event(dt.date(2026, 1, 30), "chip_leader letter of intent shelved", chip_leader_intent_lapses, (), book),
        event(dt.date(2026, 2, 12), f"lab_2 round: ${p['history_lab2_round']:,.0f}B at ${p['history_lab2_round_post']:,.0f}B post",
              lab2_round, ()),
        event(dt.date(2026, 2, 27), f"lab round announced: ${p['history_round_pre']:,.0f}B pre-money (hyper_3, chip_leader "
              "straight equity, levered fund, others)", lab_round_announced, ("hyper_3", "chip_leader")),
        event(dt.date(2026, 3, 31), f"levered fund's bridge loan: ${p['history_softbank_bridge']:,.0f}B for a year",
              softbank_bridge, ()),
        event(dt.date(2026, 3, 31), f"lab round closes: ${lab_round_announced(economy):,.0f}B, "
              f"${p['history_round_pre'] + lab_round_announced(economy):,.0f}B post-money", lab_round_closes, (), book),
    ]
