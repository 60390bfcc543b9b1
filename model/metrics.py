"""Output measures: the per-step model table, the monthly agent table and the run summary.

Column names are stable and documented in ``docs/outputs.md``. Money in $ billions, capacity in
GW, GPU prices in $ thousand per GPU, rent in $ per GPU-hour, shares in billions, prices in $.

* economy-wide: ``step``, ``date``, ``month``, ``market_value_total``, ``capacity_contracted_gw``,
  ``capacity_built_gw``, ``capacity_used_gw``, ``utilisation``, ``gpu_price_new``,
  ``gpu_price_used``, ``gpu_rent_per_hour``, ``committed_outstanding``, ``cash_paid_cumulative``,
  ``lab_demand``, ``lab_funding_gap``;
* per agent: ``<measure>.<agent_id>`` (``price``, ``mcap``, ``cash``, ``debt``, ``equity``,
  ``backlog``, ``revenue``, ``capacity``);
* ``paid.<payer>.<payee>``: cumulative cash actually paid between two agents (bond buyers as one
  party, ``bond_buyers``);
* ``paid_by.<source>.<recipient>``: share of all cash the recipient has received that traces back
  to each original source (provenance, mixed pro rata).

At every month's end each agent's systemic importance is measured (``agents.parquet``): its
DebtRank (Battiston et al. 2012, ``model/clearing.py``) on the network of balance-sheet claims
between the agents — the share of the other agents' equity that would be lost if it alone failed —
and that loss in $B.
"""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd  # noqa: F401 (used in annotations)

from ailoop.model.clearing import systemic_importance
from ailoop.model.contracts import Contract
from ailoop.model.ledger import ACCOUNT_INDEX, ACCOUNTS, SOURCES

_ASSETS = np.array([i for i, k in enumerate(ACCOUNTS.values()) if k == "A"], dtype=np.intp)
_LIABILITIES = np.array([i for i, k in enumerate(ACCOUNTS.values()) if k == "L"], dtype=np.intp)
_EQUITY = np.array([i for i, k in enumerate(ACCOUNTS.values()) if k == "E"], dtype=np.intp)

def _numpy_small_sum(values: list[float]) -> float:
    """NumPy's sum of fewer than eight floats, in Python: 0.0 + (((-0.0 + x0) + x1) + ...)."""
    res = -0.0
    for x in values:
        res += x
    return 0.0 + res


def _choose_small_sum():
    """:func:`_numpy_small_sum` if it is checked (here, at import) to give ``np.sum``'s result bit
    for bit on 1 to 7 values, signed zeros included; else NumPy's own sum."""
    rng = np.random.default_rng(20262)
    for n in range(1, 8):
        x = rng.standard_normal((100, n)) * np.exp(8.0 * rng.standard_normal((100, n)))
        x[rng.random(x.shape) < 0.3] = 0.0
        x[::7] = -0.0
        for row in x:
            a, b = float(row.sum()), _numpy_small_sum(row.tolist())
            if a != b or np.signbit(a) != np.signbit(b):
                return lambda values: float(np.sum(np.array(values, dtype=float)))
    return _numpy_small_sum


_small_sum = _choose_small_sum()

PER_AGENT_MEASURES = ("cash", "debt", "equity")
#: holder classes of the "who paid" columns (``loss.<class>``) and the agent family each holds;
#: ``loss.other`` (the labs' other, outside shareholders) is added separately
LOSS_CLASSES = {
    "venture_funds": "venture",
    "bond_buyers": "bond_buyer",
    "retail": "retail",
    "chipmakers": "chipmaker",
    "hyperscalers": "hyperscaler",
    "traders": "traders",
}
FIRM_MEASURES = ("price", "mcap")
PROVIDER_MEASURES = ("backlog", "capacity")


class EconomyCollector(mesa.DataCollector):
    """A Mesa DataCollector that records the economy's whole state vector each step, fast.

    Rows are numpy vectors appended to a list; ``get_model_vars_dataframe`` builds the table.
    Agent rows (one per agent with a balance sheet) are recorded on the last day of each month
    and at the end of the run.
    """

    def __init__(self, economy):
        super().__init__()
        self.economy = economy
        led = economy.ledger
        self.agent_ids = [a for a in led.agent_ids if not a.startswith("bond_")] + ["bond_buyers"]
        self.parties = [p for p in led.parties if economy.agent_or_none(p) is not None or p == "bond_buyers"]
        self._pi = np.array([led.party_index[p] for p in self.parties])
        self.firm_ids = [f.aid for f in economy.firms]
        self.provider_ids = [o.aid for o in economy.capacity_owners] + [c.aid for c in economy.chipmakers]
        self.public_ids = [f.aid for f in economy.public_firms]
        self.loss_classes = {cls: [a for a in led.agent_ids if economy.agent(a).family == family]
                             for cls, family in LOSS_CLASSES.items()}
        self._loss_rows = {cls: [led.index[a] for a in ids] for cls, ids in self.loss_classes.items()}
        self._reval_col = ACCOUNT_INDEX["revaluation"]
        self._outside0 = {lab.aid: (lab.shares, lab.price) for lab in economy.labs}
        cols = ["step", "month", "market_value_total", "wealth_amplification", "sentiment", "defaults"]
        cols += [f"return.{a}" for a in self.public_ids]
        cols += [f"loss.{c}" for c in LOSS_CLASSES] + ["loss.other"]
        cols += ["capacity_contracted_gw", "capacity_built_gw",
                "capacity_used_gw", "utilisation", "gpu_price_new", "gpu_price_used", "gpu_rent_per_hour",
                "committed_outstanding", "cash_paid_cumulative", "lab_demand", "lab_revenue", "lab_funding_gap"]
        cols += [f"{m}.{a}" for m in FIRM_MEASURES for a in self.firm_ids]
        cols += [f"{m}.{a}" for m in PER_AGENT_MEASURES for a in self.agent_ids]
        cols += [f"{m}.{a}" for m in PROVIDER_MEASURES for a in self.provider_ids]
        cols += [f"revenue.{a}" for a in self.firm_ids]
        cols += [f"paid.{x}.{y}" for x in self.parties for y in self.parties if x != y]
        cols += [f"paid_by.{s}.{r}" for s in SOURCES for r in self.parties]
        cols += self._credit_columns(economy)
        self.columns = cols
        self.rows: list[np.ndarray] = []
        self.dates: list[str] = []
        self.agent_rows: list[dict] = []
        n, m = len(self.parties), led.paid.shape[1]
        off = ~np.eye(n, dtype=bool)
        self._paid_at = (self._pi[:, None] * m + self._pi[None, :])[off]  # flat positions in ledger.paid
        self._firms = [economy.agent(a) for a in self.firm_ids]
        self._cols = (ACCOUNT_INDEX["cash"], ACCOUNT_INDEX["debt"])
        self._revenue = {a: 0.0 for a in self.firm_ids}
        self._rows = {a: _rows(led, a) for a in self.agent_ids}
        self._agg = np.zeros((len(self.agent_ids), len(led.agent_ids)))  # sums rows into reporting agents
        for k, a in enumerate(self.agent_ids):
            self._agg[k, self._rows[a]] = 1.0
        self._slow_version = -1
        self._slow: dict[str, list[float]] = {}
        self._mv0 = None
        # the day's row is filled in place, block by block: [start, end) of each block
        F, n_firms, n_agents = len(self.public_ids), len(self.firm_ids), len(self.agent_ids)
        n_head = 6 + F + len(LOSS_CLASSES) + 1 + 12
        n_credit = 2 * len(self.rated_ids) + n_firms + F + len(self.owner_ids)
        ends = np.cumsum([n_head, 2 * n_firms, 3 * n_agents, 2 * len(self.provider_ids), n_firms,
                          len(self._paid_at), len(SOURCES) * len(self.parties), n_credit])
        if ends[-1] != len(cols):
            raise AssertionError("the collector's blocks do not add up to its columns")
        self._blocks = list(zip([0, *ends[:-1].tolist()], ends.tolist()))
        self._loss_take = [np.array(rows, dtype=np.intp) for rows in self._loss_rows.values()]
        self._labs = list(economy.labs)
        self._credit_month = None
        self._credit_version = -1
        self._neutral: list[float] = []

    # ---------------------------------------------------------------- collecting
    def collect(self, model) -> None:  # noqa: D401 - Mesa's hook
        economy, led = self.economy, self.economy.ledger
        if economy.day == 0:  # a month has just run: refresh the monthly revenue figures
            for a in self.firm_ids:
                self._revenue[a] = economy.agent(a).revenue()
        if self._slow_version != economy.version:  # contract-based measures change only with the state
            self._slow = self._slow_measures()
            self._slow_version = economy.version
        firms = self._firms
        caps = [f.market_cap for f in firms]
        mv = float(sum(caps))  # = market_value_total(economy): the same firms in the same order
        if self._mv0 is None:
            self._mv0 = mv
        paid = self._slow["paid"]
        row = np.empty(len(self.columns))
        (h0, h1), (v0, v1), (b0, b1), (p0, p1), (r0, r1), (q0, q1), (s0, s1), (c0, c1) = self._blocks
        head = [economy.steps, economy.month, mv, (mv - self._mv0) / paid if paid > 0 else 0.0,
                economy.sentiment.value, float(len(economy.defaults.defaulted))]
        head += economy.exchange.log_returns.tolist()
        head += self._losses()
        head += self._slow["head"]
        row[h0:h1] = head
        row[v0:v1] = [f.price for f in firms] + caps
        bal = led.balances
        per_row = (bal[:, self._cols[0]], bal[:, self._cols[1]],
                   bal[:, _ASSETS].sum(axis=1) - bal[:, _LIABILITIES].sum(axis=1))
        row[b0:b1] = np.concatenate([self._agg @ col for col in per_row])
        row[p0:p1] = self._slow["providers"]
        row[r0:r1] = [self._revenue[a] for a in self.firm_ids]
        row[q0:q1] = led.paid.take(self._paid_at)
        rec = led.received_by_source[self._pi]
        tot = rec.sum(axis=1, keepdims=True)
        shares = np.divide(rec, tot, out=np.zeros_like(rec), where=tot > 0)
        row[s0:s1] = shares.T.ravel()
        row[c0:c1] = self._credit_block()
        self.rows.append(row)
        self.dates.append(economy.date.isoformat())
        if economy.day == 20:
            self._collect_agents()

    def _credit_columns(self, economy) -> list[str]:
        """Credit and earnings: rated firms' spread (bp) and notch, firms' monthly earnings, listed
        firms' fair value, capacity owners' utilisation."""
        self.rated_ids = list(economy.ratings.rated)
        self.owner_ids = [o.aid for o in economy.capacity_owners]
        return ([f"spread.{a}" for a in self.rated_ids] + [f"rating.{a}" for a in self.rated_ids]
                + [f"earnings.{a}" for a in self.firm_ids] + [f"fair_value.{a}" for a in self.public_ids]
                + [f"utilisation.{a}" for a in self.owner_ids])

    def _credit_block(self) -> list[float]:
        """Rated firms' spread on new five-year senior unsecured debt today (bp) and notch (1 =
        AAA … 21 = C); each firm's earnings in its last closed month ($B); listed firms' fair value
        to the representative trader today ($/share); capacity owners' utilisation at the last
        month's end (share of online GW earning)."""
        economy = self.economy
        if economy.day == 0 or self._credit_month is None or economy.version != self._credit_version:
            fund = economy.fundamentals  # monthly figures, and the spreads at neutral mood
            self._credit_version = economy.version
            self._credit_month = ([fund.last(a, "earnings") for a in self.firm_ids]
                                  + [fund.utilisation.get(a, 1.0) for a in self.owner_ids])
            credit = economy.credit
            self._neutral = [1e4 * credit.spread(economy.agent(a), sentiment=0.0) for a in self.rated_ids]
        if economy.params["channel_ratings"]:
            # today's spread: the notch's (monthly) times the day's mood factor, the same for every issuer
            mood = economy.credit.mood_factor()
            spreads = [x * mood for x in self._neutral]
        else:  # (spreads by family move with each day's market leverage)
            spreads = [1e4 * economy.credit.spread(economy.agent(a)) for a in self.rated_ids]
        notches = [float(economy.ratings.notch[a]) for a in self.rated_ids]
        last = economy.exchange.last
        fair = last.fair_value.tolist() if last is not None and last.fair_value is not None else [np.nan] * len(self.public_ids)
        n_f = len(self.firm_ids)
        return spreads + notches + self._credit_month[:n_f] + fair + self._credit_month[n_f:]

    def _losses(self) -> list[float]:
        """Cumulative losses (+) or gains (-) by holder class, $B: marks on stakes and warrants
        (the revaluation account) and credit write-offs; ``other`` is the labs' other, outside
        shareholders (employees, foundations, early investors)."""
        economy, led = self.economy, self.economy.ledger
        reval = led.balances[:, self._reval_col]
        values = reval.tolist()
        w = economy.defaults.writeoffs
        out = []
        for rows, ids in zip(self._loss_take, self.loss_classes.values()):
            written = sum(w.get(a, 0.0) for a in ids) if w else 0
            # (NumPy's sum of fewer than eight values, in Python: see _small_sum)
            marks = _small_sum([values[i] for i in rows]) if len(rows) < 8 else reval.take(rows).sum()
            out.append(float(-marks + written))
        other = 0.0
        held = economy.book.held_shares()
        for lab in self._labs:
            shares0, price0 = self._outside0[lab.aid]
            outside = max(0.0, lab.shares - held.get(lab.aid, 0))
            other += outside * (price0 - (lab.recovery_per_share if lab.defaulted else lab.price))
        out.append(other)
        return out

    def _slow_measures(self) -> dict[str, list[float]]:
        economy = self.economy
        lab, market = economy.agent("lab"), economy.gpu_market
        head = [capacity_contracted(economy), market.capacity_built_gw(), market.capacity_used_gw(), market.utilisation,
                market.new_price(), market.used_price, market.rent,
                committed_outstanding(economy), cash_paid_cumulative(economy), lab.demand(),  # [8] = cash paid
                lab.flow.get("revenue_ai", 0.0), lab_funding_gap(economy)]
        provs = [economy.agent(a) for a in self.provider_ids]
        backlog = [a.backlog() for a in provs]
        capacity = [a.capacity_gw() for a in provs]
        return {"head": head, "providers": backlog + capacity, "paid": head[8]}

    def _collect_agents(self) -> None:
        economy, led = self.economy, self.economy.ledger
        rank, loss = systemic_importance_now(economy)
        step, date = economy.steps, economy.date.isoformat()
        bal = led.balances
        cash, debt, stakes, gpus = (bal[:, ACCOUNT_INDEX[x]].tolist() for x in ("cash", "debt", "equity_stakes", "gpus"))
        # each agent's (assets, liabilities, equity) as Ledger.totals: the sum of its row's accounts of each kind
        kinds = [list(bal[:, cols]) for cols in (_ASSETS, _LIABILITIES, _EQUITY)]
        for k, aid in enumerate(led.agent_ids):
            a = economy.agent(aid)
            assets, liabilities, equity = (float(rows[k].sum()) for rows in kinds)
            self.agent_rows.append(dict(
                step=step, date=date, agent=aid, family=a.family, cash=cash[k],
                assets=assets, liabilities=liabilities, book_equity=equity, debt=debt[k],
                equity_stakes=stakes[k], gpus=gpus[k],
                revenue=a.revenue(), backlog=a.backlog(), capacity_gw=a.capacity_gw(),
                price=a.price if a.issues_shares else np.nan, shares=a.shares if a.issues_shares else np.nan,
                mcap=a.market_cap if a.issues_shares else np.nan, debtrank=float(rank[k]), failure_loss=float(loss[k]),
            ))

    # ---------------------------------------------------------------- tables
    def get_model_vars_dataframe(self) -> pd.DataFrame:
        df = pd.DataFrame(np.vstack(self.rows) if self.rows else np.empty((0, len(self.columns))),
                          columns=self.columns)
        df["step"] = df["step"].astype(np.int64)
        df["month"] = df["month"].astype(np.int64)
        df.insert(1, "date", pd.to_datetime(pd.Series(self.dates, dtype="object")))
        return df

    def get_agent_vars_dataframe(self) -> pd.DataFrame:
        df = pd.DataFrame(self.agent_rows)
        if len(df):
            df["date"] = pd.to_datetime(df["date"])
        return df


def _rows(led, aid: str) -> list[int]:
    if aid == "bond_buyers":
        return [i for i, a in enumerate(led.agent_ids) if a.startswith("bond_")]
    return [led.index[aid]]


def network_exposures(economy) -> tuple[np.ndarray, np.ndarray]:
    """The network of balance-sheet claims between the agents (ledger order): ``exposures[i, j]``
    is the $B value of what agent ``i`` holds on agent ``j`` (bonds and loans at their marks,
    arrears, stakes at their marks, vested warrants, prepayments, unused credits: every contract
    with a positive value to its holder); and each agent's book equity (assets less liabilities,
    at least 0). Defaulted agents hold and owe nothing."""
    led = economy.ledger
    pos = led.index
    n = len(led.agent_ids)
    exposures = np.zeros((n, n))
    rows, cols, vals = [], [], []  # (kind by kind in rank order, each kind's contracts as added)
    for group in economy.book.by_rank():
        for c in group:
            i, j = pos.get(c.holder, -1), pos.get(c.issuer, -1)
            if i >= 0 and j >= 0 and i != j:
                v = float(c.holder_value())
                if v > 0:
                    rows.append(i)
                    cols.append(j)
                    vals.append(v)
    if vals:
        np.add.at(exposures, (np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)), np.array(vals))
    bal = led.balances
    equity = np.maximum(bal[:, _ASSETS].sum(axis=1) - bal[:, _LIABILITIES].sum(axis=1), 0.0)
    return exposures, equity


def systemic_importance_now(economy) -> tuple[np.ndarray, np.ndarray]:
    """Each agent's DebtRank now (the share of the other agents' equity lost if it alone failed,
    distress passed on along ``network_exposures``) and that loss in $B, in ledger order; zeros for
    defaulted agents."""
    exposures, equity = network_exposures(economy)
    alive = np.array([not economy.agent(a).defaulted for a in economy.ledger.agent_ids])
    total = float(equity.sum())
    if total <= 0:
        z = np.zeros(len(alive))
        return z, z
    rank = systemic_importance(exposures, equity) * alive
    return rank, rank * total


# -------------------------------------------------------------------- economy-wide measures
def market_value_total(economy) -> float:
    """Market value of the loop's firms, $B: public market caps plus the labs' last-round valuations."""
    return float(sum(f.market_cap for f in economy.firms))


def capacity_contracted(economy) -> float:
    """GW under active capacity contracts (all buyers)."""
    return float(sum(c.contracted_gw() for c in economy.book.implementing(Contract.contracted_gw)))


def committed_outstanding(economy) -> float:
    """$B promised and not yet paid under all contracts (:meth:`Contract.commitment`): capacity
    contracts, leases, staged investments, backstops and undelivered chip orders."""
    return float(economy.book.commitments())


def cash_paid_cumulative(economy) -> float:
    """$B of cash actually paid between the loop's firms since the start (all payments among them)."""
    led = economy.ledger
    idx = [led.party_index[a.aid] for a in economy.loop_firms]
    m = led.paid[np.ix_(idx, idx)]
    return float(m.sum() - np.trace(m))


def lab_funding_gap(economy) -> float:
    """$B the lab lacks to cover its next 12 months (see ``AILab.funding_gap``)."""
    return float(economy.agent("lab").funding_gap())


# -------------------------------------------------------------------- run summary
def summarize(economy) -> dict[str, float]:
    """Scalar results of a run (the per-run row of a sweep). Money in $B."""
    df = economy.datacollector.get_model_vars_dataframe()
    first, last = df.iloc[0], df.iloc[-1]
    paid = last["cash_paid_cumulative"]
    lab = economy.agent("lab")
    led = economy.ledger
    rev12 = sum(lab.revenue_history[-12:])
    burn12 = sum(lab.burn_history[-12:])
    out = {
        "years": economy.steps / 252.0,
        "market_value_start": float(first["market_value_total"]),
        "market_value_end": float(last["market_value_total"]),
        "market_value_change": float(last["market_value_total"] - first["market_value_total"]),
        "cash_paid_cumulative": float(paid),
        "committed_outstanding_end": float(last["committed_outstanding"]),
        "committed_outstanding_max": float(df["committed_outstanding"].max()),
        "wealth_amplification": float((last["market_value_total"] - first["market_value_total"]) / paid) if paid > 0 else 0.0,
        "capacity_built_gw_end": float(last["capacity_built_gw"]),
        "capacity_contracted_gw_end": float(last["capacity_contracted_gw"]),
        "capacity_used_gw_end": float(last["capacity_used_gw"]),
        "gpu_price_new_end": float(last["gpu_price_new"]),
        "gpu_price_used_end": float(last["gpu_price_used"]),
        "gpu_rent_per_hour_end": float(last["gpu_rent_per_hour"]),
        "lab_revenue_last_12m": float(rev12),
        "lab_net_burn_last_12m": float(burn12),
        "lab_cash_end": led.cash("lab"),
        "lab_funding_gap": lab_funding_gap(economy),
        "lab_rounds": float(lab.rounds_raised),
        "paid_lab_to_cloud": led.paid_between("lab", "cloud"),
        "paid_cloud_to_chip_leader": led.paid_between("cloud", "chip_leader"),
        "paid_chip_leader_to_lab": led.paid_between("chip_leader", "lab"),
        "chip_leader_revenue_from_own_investment": float(
            led.paid_by_shares("chip_leader")[SOURCES.index("chipmaker_investment")]),
        "cloud_debt_end": led.get("cloud", "debt"),
        "neocloud_debt_end": led.get("neocloud", "debt"),
        "arrears_total_end": float(sum(led.get(a, "payables") for a in led.agent_ids)),
        "defaults": float(len(economy.defaults.defaulted)),
        "lab_defaulted": float("lab" in economy.defaults.defaulted),
        "defaults_beyond_labs": float(len(set(economy.defaults.defaulted) - {"lab", "lab_spv"})),
        "market_value_max": float(df["market_value_total"].max()),
        "market_value_min": float(df["market_value_total"].min()),
        "max_drawdown": max_drawdown(df["market_value_total"].to_numpy()),
        "sentiment_end": float(last["sentiment"]),
        "clearing_gap": float(economy.defaults.clearing_gap),
        "rescues": float(sum(1 for e in economy.events if e["event"] == "rescue")),
    }
    for c in [c for c in df.columns if c.startswith("loss.")]:
        out[c] = float(last[c])
    defaulted = set(economy.defaults.defaulted)
    for a in economy.everyone:  # every agent that can default: 1 if it did, else 0 (a share when averaged)
        if a.can_default:
            out[f"defaulted.{a.aid}"] = float(a.aid in defaulted)
    out.update(systemic_summary(economy))
    return out


def systemic_summary(economy) -> dict[str, float]:
    """Systemic importance over the run, from the month-end DebtRanks: for each firm and the
    levered fund, its largest DebtRank and the month-end mean (``debtrank_max.<id>``,
    ``debtrank_mean.<id>``) and its largest failure loss in $B (``failure_loss_max.<id>``); and
    the largest DebtRank of any agent (``debtrank_max``)."""
    agents = economy.datacollector.get_agent_vars_dataframe()
    if not len(agents) or "debtrank" not in agents:
        return {}
    out = {"debtrank_max": float(agents["debtrank"].max())}
    firms = [f.aid for f in economy.loop_firms] + [v.aid for v in economy.venture_funds if v.can_default]
    g = agents[agents.agent.isin(firms)].groupby("agent", sort=False)
    for aid, rows in g:
        out[f"debtrank_max.{aid}"] = float(rows["debtrank"].max())
        out[f"debtrank_mean.{aid}"] = float(rows["debtrank"].mean())
        out[f"failure_loss_max.{aid}"] = float(rows["failure_loss"].max())
    return out


def max_drawdown(values) -> float:
    """Largest fall from a running peak, as a share of the peak."""
    import numpy as np

    v = np.asarray(values, dtype=float)
    if v.size == 0:
        return 0.0
    peak = np.maximum.accumulate(v)
    return float(np.max(1.0 - v / np.where(peak > 0, peak, 1.0)))


def announcements(economy) -> "pd.DataFrame":
    """Announcement-day effects: each deal announced by a listed firm, that firm's log return on
    the day (``step``: the model step it fell on), the change in total market value that day, and
    that change per $ committed."""
    df = economy.datacollector.get_model_vars_dataframe().set_index("step")
    rows = []
    for e in economy.events:
        if e["event"] != "deal announced" or f"return.{e['agent']}" not in df.columns:
            continue
        t = e["step"]
        if t not in df.index or t - 1 not in df.index:
            continue
        d_mv = df.at[t, "market_value_total"] - df.at[t - 1, "market_value_total"]
        d_cap = df.at[t, f"mcap.{e['agent']}"] - df.at[t - 1, f"mcap.{e['agent']}"]
        rows.append(dict(step=t, date=e["date"], firm=e["agent"], deal=e["cause"], committed=e["size"],
                         firm_return=float(np.expm1(df.at[t, f"return.{e['agent']}"])), firm_mcap_change=d_cap,
                         market_value_change=d_mv,
                         mv_per_dollar_committed=d_mv / e["size"] if e["size"] else float("nan"),
                         cash_paid_so_far=df.at[t, "cash_paid_cumulative"]))
    return pd.DataFrame(rows)
