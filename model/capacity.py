"""Physical capacity: data-centre projects and GPU fleets, with their book values.

A :class:`Project` is a data centre of ``gw`` GW: its shell (building, power, cooling) is built
over ``build_months`` months with cash paid to the external construction sector, and it is
equipped with GPUs bought on a :class:`~model.contracts.ChipOrder`. A campus larger than
``tranche_gw`` is energised in phases (tranches): the first when ``first_months / build_months``
of the shell has been built, the last when all of it has, the others evenly in between; capacity
comes online as each phase is finished and GPUs arrive. A project may instead equip a shell someone
else builds and leases to its owner (``shell_lease``, a data-centre lease of
``model/contracts/realestate.py``): it has no shell of its own, and its GW come online as the lessor
hands the shell over (``leased_ready``, set by the lease each month).

**Delays.** A shell's construction can slip (:meth:`Project.slip`): for ``hold_months`` months
nothing is built on it (labour, materials, weather, a grid connection, financing not yet closed),
so every later phase and the shell's completion move by as much. Who pays for the wait is not the
project's business but the contracts' around it: the lease decides whether the lessor owes the
lessee credits for late delivery (a construction delay) or not (force majeure: power, weather), a
capacity contract bills only the GW delivered (the provider waits for its revenue), a
construction loan's interest runs on and its maturity may be extended on its terms, GPUs already
delivered wait, depreciating, for a shell to go into. A :class:`Fleet` holds one owner's projects and GPU cohorts;
its book values are what the owner's ``construction``, ``dc_plant`` and ``gpus`` accounts must
show (the economy reconciles them every step).

Capacity online changes only when a shell is paid, GPUs are installed or removed, or a project
is started or stopped, yet it is read dozens of times a month, and the book values at every
check: a project keeps its GW online until one of its attributes is set to a new value, and a
fleet keeps its sums (GW online, GPU and construction book values, GPUs) until one of its
projects or cohorts changes or its lists of them do (the same sums, in the same order,
recomputed then). A fleet's cohorts (one per delivery: thousands over a run) are kept as columns,
a :class:`CohortTable`, so that a month's depreciation and the fleet's mean age are computed over
whole columns at once, with the same floating-point results as a loop over the cohorts.

Units: GW, millions of GPUs, $B, months.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ailoop.model.ledger import Ledger


#: the fields that say whether a project's shell is finished
_SHELL_FIELDS = ("shell_spent", "shell_cost")


class Cohort:
    """GPUs installed in one month: ``units`` (millions) bought at ``cost`` $B, straight-line over
    ``life`` months from ``month``; ``book`` ($B) starts at the cost.

    Once in a fleet, a cohort's numbers live in the fleet's :class:`CohortTable` (one row of its
    columns) and the object reads and writes them there; setting one forgets the fleet's sums."""

    __slots__ = ("_table", "_row", "_own")

    def __init__(self, units: float, cost: float, month: int, life: int) -> None:
        if month != int(month) or life != int(life) or life < 1:
            raise ValueError(f"a cohort's month and life are whole months (life at least 1): got month {month!r}, "
                             f"life {life!r}")
        self._table = None  # the fleet's table it is a row of (None: not in a fleet)
        self._row = -1
        self._own = [units, cost, month, life, cost]  # its numbers while not in a fleet

    def values(self) -> tuple:
        """(units, cost, month, life, book)."""
        t = self._table
        return tuple(self._own) if t is None else t.row(self._row)

    def attach(self, table: "CohortTable", row: int) -> None:
        """Its numbers are row ``row`` of ``table`` from now on (the table holds them already)."""
        self._table, self._row = table, row

    def detach(self, table: "CohortTable") -> None:
        """If it is a row of ``table``, it keeps that row's numbers as its own and leaves it."""
        if self._table is table:
            self._own = list(self.values())
            self._table, self._row = None, -1

    def age(self, month: int) -> int:
        return month - self.month

    def __repr__(self) -> str:
        return "Cohort(units={}, cost={}, month={}, life={}, book={})".format(*self.values())


def _cohort_field(name: str, k: int, doc: str) -> property:
    def get(self):
        t = self._table
        return self._own[k] if t is None else t.get(self._row, k)

    def set(self, value) -> None:
        t = self._table
        if t is None:
            self._own[k] = value
        else:
            t.set(self._row, k, value)

    return property(get, set, doc=doc)


for _k, (_name, _doc) in enumerate((("units", "million GPUs"), ("cost", "$B paid"), ("month", "month installed"),
                                      ("life", "useful life, months"), ("book", "$B book value"))):
    setattr(Cohort, _name, _cohort_field(_name, _k, _doc))


class CohortTable:
    """A fleet's GPU cohorts as columns (a struct of arrays): row k is the k-th cohort of the
    fleet's list. Depreciation and the fleet's sums run over the columns at once; each sum adds
    the cohorts' terms one by one in list order (the same floating-point sum as a loop over
    the cohorts)."""

    def __init__(self, fleet: "Fleet") -> None:
        self.fleet = fleet
        self.n = 0
        self.members: list[Cohort] = []
        self.cols = [np.zeros(16), np.zeros(16), np.zeros(16, dtype=np.int64), np.zeros(16, dtype=np.int64),
                     np.zeros(16)]  # units, cost, month, life, book

    def add(self, c: Cohort, values: tuple) -> None:
        """Make ``c`` the next row, with ``values`` (units, cost, month, life, book)."""
        n = self.n
        if n == len(self.cols[0]):
            self.cols = [np.concatenate([a, np.zeros_like(a)]) for a in self.cols]
        for a, v in zip(self.cols, values):
            a[n] = v
        c.attach(self, n)
        self.members.append(c)
        self.n = n + 1

    def detach(self) -> None:
        """Every member keeps its numbers as its own (the fleet's list of cohorts is being replaced)."""
        for c in self.members:
            c.detach(self)
        self.members, self.n = [], 0

    def row(self, i: int) -> tuple:
        return tuple(a.item(i) for a in self.cols)

    def get(self, i: int, k: int):
        return self.cols[k].item(i)

    def set(self, i: int, k: int, value) -> None:
        self.cols[k][i] = value
        self.fleet.forget(projects=False)

    def col(self, k: int) -> np.ndarray:
        """Column ``k`` of the rows in use (a view)."""
        return self.cols[k][: self.n]


@dataclass(eq=False)
class Project:
    """A data-centre build of ``gw`` GW for ``owner``, started in ``start_month``.

    Setting any attribute to a new value forgets what is cached: the project's GW online and
    GPUs its shells can house, and its fleet's sums."""

    owner: str
    gw: float
    start_month: int
    build_months: int
    shell_cost: float  # $B, paid evenly over build_months
    units_needed: float  # millions of GPUs
    vendor: str
    shell_spent: float = 0.0
    units_installed: float = 0.0
    order: object = None  # the ChipOrder equipping it
    purpose: str = ""
    contract: object = None  # the capacity contract it is built for (served first), if any
    tranche_gw: float = 0.0  # largest phase energised at once (0: the whole shell at once)
    first_months: int = 0  # months of building before the first phase of a larger campus is ready
    paused: bool = False  # its owner defers the build: no shell is paid while it is set
    shell_lease: object = None  # the data-centre lease whose shell it equips (it builds none of its own)
    leased_ready: float = 0.0  # GW of that leased shell handed over to it so far
    hold_months: int = 0  # months its shell's construction stays stopped (a slip)
    delay_cause: str = ""  # why it last slipped ("construction", "power", "weather", "financing", ...)

    def __setattr__(self, name: str, value) -> None:
        d = self.__dict__
        if d.get(name, d) is value:  # the very object it holds (``paused = False`` again): nothing changes
            return
        d["_online"] = None
        d["_housed"] = None
        d[name] = value
        fleet = d.get("_fleet")
        if fleet is not None:
            fleet.forget(self)
        if name in _SHELL_FIELDS and d.get("_finished") and not self.shell_done:
            # a finished shell being built again (not in the model): its fleet's list of unfinished
            # projects (Fleet.building) no longer has it
            d["_finished"] = False
            if d.get("_fleet") is not None:
                d["_fleet"].__dict__["_building"] = None

    @property
    def shell_done(self) -> bool:
        return self.shell_spent >= self.shell_cost - 1e-12

    def slip(self, months: int, cause: str) -> None:
        """The shell's construction stops for ``months`` more months (its completion and every phase
        not yet finished move by as much); ``cause`` says why (the contracts around it decide who
        pays for the wait)."""
        self.hold_months = max(0, self.hold_months + int(months))
        self.delay_cause = cause

    def resume(self) -> None:
        """Construction restarts now (a hold without an end, such as financing, is lifted)."""
        self.hold_months = 0

    def tranches(self) -> int:
        """Phases the shell is energised in."""
        if self.tranche_gw <= 0 or self.gw <= self.tranche_gw * (1 + 1e-9):
            return 1
        return int(math.ceil(self.gw / self.tranche_gw - 1e-9))

    def shell_ready_gw(self, ahead: int = 0) -> float:
        """GW of finished shell: phase k of n is ready once ``f_k`` of the shell is built, ``f_0 =
        first_months / build_months`` and ``f_(n-1) = 1``, evenly spaced in between. With
        ``ahead`` > 0: the GW that will be finished in ``ahead`` months if the shell is built on
        schedule from now (a month of ``shell_cost / build_months``; nothing while it is paused or
        for the months it is on hold)."""
        if self.shell_done:
            return self.gw
        if self.shell_cost <= 0:
            return 0.0
        spent = self.shell_spent
        if ahead > 0 and not self.paused:
            months = max(0, ahead - self.hold_months)
            spent = min(self.shell_cost, spent + months * self.shell_cost / max(1, self.build_months))
        if spent >= self.shell_cost - 1e-12:
            return self.gw
        n = self.tranches()
        if n == 1:
            return 0.0
        built = spent / self.shell_cost
        f0 = min(1.0, self.first_months / max(1, self.build_months))
        if built < f0 - 1e-9:
            return 0.0
        if f0 >= 1.0:
            return 0.0  # the first phase is the last: ready when the shell is done
        ready = min(n, 1 + int(math.floor((built - f0 + 1e-9) * (n - 1) / (1.0 - f0))))
        return self.gw * ready / n

    def monthly_shell_payment(self) -> float:
        if self.shell_done or self.paused:
            return 0.0
        return min(self.shell_cost - self.shell_spent, self.shell_cost / max(1, self.build_months))

    def online_gw(self) -> float:
        """GW of finished shell equipped with the GPUs delivered so far."""
        gw = self.__dict__["_online"]
        if gw is None:
            gw = self.__dict__["_online"] = self._online_gw()
        return gw

    def _online_gw(self) -> float:
        if self.units_needed <= 0:
            return 0.0
        equipped = self.gw * min(1.0, self.units_installed / self.units_needed)
        if self.shell_lease is not None:  # a leased shell: online as the lessor hands it over
            return min(equipped, self.leased_ready)
        return equipped if self.shell_done else min(equipped, self.shell_ready_gw())

    def pipeline_gw(self) -> float:
        """GW planned or being built and not yet online."""
        return self.gw - self.online_gw()

    def housed_units(self, ahead: int) -> float:
        """Million GPUs the shell can house ``ahead`` months from now, less those installed: what
        its owner calls off from its chip order when deliveries are timed to the shells
        (``chip_delivery_to_shells``). The shell's own phases on schedule
        (:meth:`shell_ready_gw`), or a leased shell's handover on its lessor's schedule
        (``DataCentreLease.ready_for``); a project with no shell to build (the opening fleet)
        houses all it needs."""
        if self.units_needed <= 0 or self.gw <= 0:
            return 0.0
        if self.shell_lease is not None:  # the lessor's schedule, not the project's own state: not kept
            return self._housed_in(self.shell_lease.ready_for(self, ahead))
        kept = self.__dict__.get("_housed")  # kept until an attribute is set (the chipmaker asks thrice a month)
        if kept is None:
            kept = self.__dict__["_housed"] = {}
        x = kept.get(ahead)
        if x is None:
            x = kept[ahead] = self._housed_in(self.shell_ready_gw(ahead))
        return x

    def _housed_in(self, ready_gw: float) -> float:
        """Million GPUs ``ready_gw`` GW of finished shell house, less those installed."""
        return max(0.0, self.units_needed * min(1.0, ready_gw / self.gw) - self.units_installed)


class PartList(list):
    """A fleet's projects or cohorts: a list that tells its fleet when it changes (and links each
    part added to the fleet), so the fleet's cached sums are recomputed."""

    def __init__(self, fleet: "Fleet", items=()):
        super().__init__(items)
        self._fleet = fleet
        for p in self:
            p.__dict__["_fleet"] = fleet

    def _changed(self, added=()) -> None:
        fleet = self.__dict__.get("_fleet")
        if fleet is None:  # a copy being unpickled: its parts come with their links
            return
        for p in added:
            p.__dict__["_fleet"] = fleet
        projects = fleet.__dict__.get("projects") is self
        fleet.forget(projects=projects)
        if projects:
            fleet.__dict__["_building"] = None

    def _appended(self, added) -> None:
        """``added`` joined the end of the list."""
        self._changed(added)

    def append(self, p) -> None:
        super().append(p)
        self._appended((p,))

    def extend(self, ps) -> None:
        ps = list(ps)
        super().extend(ps)
        self._appended(ps)

    def insert(self, i, p) -> None:
        super().insert(i, p)
        self._changed((p,))

    def __iadd__(self, ps):
        self.extend(ps)
        return self

    def __setitem__(self, i, v) -> None:
        super().__setitem__(i, v)
        self._changed(v if isinstance(i, slice) else (v,))

    def __delitem__(self, i) -> None:
        super().__delitem__(i)
        self._changed()

    def pop(self, i=-1):
        p = super().pop(i)
        self._changed()
        return p

    def remove(self, p) -> None:
        super().remove(p)
        self._changed()

    def clear(self) -> None:
        super().clear()
        self._changed()

    def sort(self, *a, **k) -> None:
        super().sort(*a, **k)
        self._changed()

    def reverse(self) -> None:
        super().reverse()
        self._changed()

    def __imul__(self, n):
        super().__imul__(n)
        self._changed()
        return self


class CohortList(PartList):
    """A fleet's cohorts: a list kept row for row in step with the fleet's :class:`CohortTable`
    (cohorts added at the end become new rows; any other change rebuilds the table in the new
    order)."""

    def __init__(self, fleet: "Fleet", items=()):
        list.__init__(self, items)
        self._fleet = fleet
        self._changed()

    def _changed(self, added=()) -> None:
        fleet = self.__dict__.get("_fleet")
        if fleet is None:  # a copy being unpickled: its table comes with it
            return
        values = [c.values() for c in self]
        old = fleet.__dict__.get("_table")
        if old is not None:
            old.detach()
        table = fleet.__dict__["_table"] = CohortTable(fleet)
        for c, v in zip(self, values):
            table.add(c, v)
        fleet.forget(projects=False)

    def _appended(self, added) -> None:
        fleet = self.__dict__.get("_fleet")
        table = None if fleet is None else fleet.__dict__.get("_table")
        if table is None:  # a copy being made: the fleet's table comes with it
            return
        for c in added:
            table.add(c, c.values())
        fleet.forget(projects=False)


@dataclass(eq=False)
class Fleet:
    """One owner's data-centre projects and GPU cohorts.

    Fully depreciated GPUs stay in service (their book value is zero); retirement is not modelled
    (assumption: the run horizon is about one useful life). ``projects`` and ``cohorts`` are
    always :class:`PartList` (a plain list assigned to either is converted).
    """

    owner: str
    projects: list[Project] = field(default_factory=list)
    cohorts: list[Cohort] = field(default_factory=list)
    plant_book: float = 0.0  # $B book value of finished shells
    plant_life: int = 240  # months
    plant_cost: float = 0.0  # $B cost of the plant in service: straight-line base (plant added raises it)

    def __setattr__(self, name: str, value) -> None:
        d = self.__dict__
        if "_cache" not in d:
            d["_cache"] = {}  # sums over the parts, until one of them or a list of them changes
        if name in ("projects", "cohorts"):
            value = (PartList if name == "projects" else CohortList)(self, value)
            self.forget(projects=name == "projects")
            d["_building"] = None
        if name == "plant_book":  # plant added (a finished shell) joins the straight-line base; none left: none
            old = d.get("plant_book", 0.0)
            if value <= 0.0:
                d["plant_cost"] = 0.0
            elif value > old:
                d["plant_cost"] = d.get("plant_cost", 0.0) + value - old
        d[name] = value
        d["_changes"] = d.get("_changes", 0) + 1

    @property
    def changes(self) -> int:
        """A number that moves whenever the fleet, one of its projects or cohorts, or a list of them
        changes (what callers key what they derive from the fleet on)."""
        return self.__dict__.get("_changes", 0)

    def forget(self, part=None, projects: bool = True) -> None:
        """Drop the cached sums (a project, a cohort or a list of them changed). The partial sums
        of GW online are kept up to the project that changed (all are dropped when ``part`` is
        None and ``projects``: the list of projects changed)."""
        d = self.__dict__
        d["_changes"] = d.get("_changes", 0) + 1
        cache = d.get("_cache")
        if cache:  # (None while a copy is being made)
            cache.clear()
        if part is None:
            if projects:
                d["_online_valid"] = 0
        else:
            k = part.__dict__.get("_k")  # (its place in the list at the last sum; cohorts have none)
            if k is not None and k < d.get("_online_valid", 0):
                d["_online_valid"] = k

    # ------------------------------------------------------------------ state
    def online_gw(self) -> float:
        """GW online: the sum over the projects, in order (the partial sums before the first
        project that changed since the last sum are kept)."""
        d = self.__dict__
        cache = d["_cache"]
        gw = cache.get("online")
        if gw is None:
            sums = d.get("_online_sums")
            if sums is None:
                sums = d["_online_sums"] = [0]
            k = d.get("_online_valid", 0)
            del sums[k + 1:]
            gw = sums[k]
            projects = self.projects
            for j in range(k, len(projects)):
                p = projects[j]
                p.__dict__["_k"] = j
                gw = gw + p.online_gw()
                sums.append(gw)
            d["_online_valid"] = len(projects)
            cache["online"] = gw
        return gw

    def pipeline_gw(self) -> float:
        return sum(p.pipeline_gw() for p in self.projects)

    def building(self) -> list[Project]:
        """The projects whose shell is not finished, in the order of :attr:`projects`. Kept between
        calls (a finished shell stays finished): the ones finished since are dropped, and the list
        is rebuilt when the list of projects changes (or, not in the model, a finished shell is
        reopened)."""
        d = self.__dict__
        b = d.get("_building")
        building = []
        for p in (self.projects if b is None else b):
            if p.shell_done:
                p.__dict__["_finished"] = True  # (left out from now on: see Project.__setattr__)
            else:
                building.append(p)
        d["_building"] = building
        return building

    def construction_book(self) -> float:
        cache = self.__dict__["_cache"]
        x = cache.get("construction")
        if x is None:
            x = cache["construction"] = sum(p.shell_spent for p in self.building())
        return x

    def gpu_book(self) -> float:
        cache = self.__dict__["_cache"]
        x = cache.get("gpus")
        if x is None:
            x = cache["gpus"] = sum(self.__dict__["_table"].col(4).tolist())
        return x

    def units(self) -> float:
        cache = self.__dict__["_cache"]
        x = cache.get("units")
        if x is None:
            x = cache["units"] = sum(self.__dict__["_table"].col(0).tolist())
        return x

    def mean_age(self, month: int) -> float:
        cache = self.__dict__["_cache"]
        key = ("age", month)
        x = cache.get(key)
        if x is None:
            u = self.units()
            if u > 0:  # (units x age, cohort by cohort, summed in order)
                t = self.__dict__["_table"]
                x = sum((t.col(0) * (month - t.col(2))).tolist()) / u
            else:
                x = 0.0
            cache[key] = x
        return x

    # ------------------------------------------------------------------ opening
    def open_existing(self, ledger: Ledger, gw: float, units_per_gw: float, gpu_book: float,
                      plant_book: float, month: int, life: int, age_months: int, vendor: str) -> None:
        """Opening capacity: ``gw`` GW online with GPUs of book ``gpu_book`` and shells of ``plant_book``."""
        p = Project(self.owner, gw, month - age_months, 0, 0.0, gw * units_per_gw, vendor,
                    units_installed=gw * units_per_gw, purpose="opening")
        self.projects.append(p)
        c = Cohort(gw * units_per_gw, gpu_book, month - age_months, life)
        self.cohorts.append(c)
        self.plant_book += plant_book
        if gpu_book:
            ledger.open_position(self.owner, "gpus", gpu_book)
        if plant_book:
            ledger.open_position(self.owner, "dc_plant", plant_book)

    # ------------------------------------------------------------------ monthly
    def pay_shells(self, ledger: Ledger, budget: float) -> float:
        """Pay this month's shell construction, oldest project first, within ``budget`` $B of cash.

        The first project the budget cannot pay in full gets what is left (it builds more slowly);
        the ones after it are delayed (their schedule slips). A project on hold (:meth:`Project.slip`)
        is not built this month; its hold is a month shorter.
        """
        held = [p for p in self.projects if p.hold_months > 0]
        for p in held:
            p.hold_months -= 1
        spent = 0.0
        for p in self.building():  # (a finished shell has nothing to pay)
            x = p.monthly_shell_payment()
            if x <= 0.0 or (held and p in held):
                continue
            if spent + x > budget + 1e-12:
                x = budget - spent
                if x <= 1e-9:
                    break
            ledger.pay_external(self.owner, "construction", x, "construction", "data-centre construction")
            p.shell_spent += x
            spent += x
            if p.shell_done:  # finished: move from work in progress to plant
                ledger.post([(self.owner, "dc_plant", p.shell_spent), (self.owner, "construction", -p.shell_spent)],
                            "shell complete")
                self.plant_book += p.shell_spent
        return spent

    def install(self, ledger: Ledger, project: Project, units: float, cost: float, month: int, life: int) -> None:
        """GPUs delivered to ``project``: the asset was booked by the purchase; record the cohort."""
        project.units_installed += units
        self.cohorts.append(Cohort(units, cost, month, life))

    def depreciate(self, ledger: Ledger) -> float:
        """Book a month of straight-line depreciation on GPUs (each cohort a ``life``-th of its cost)
        and plant (a ``plant_life``-th of the cost of the plant in service, until its book is
        spent; plant lives beyond a run, so the one pool does not mix spent and new vintages);
        returns the $B expense."""
        t = self.__dict__["_table"]
        book = t.col(4)
        dep = np.minimum(book, t.col(1) / t.col(3))  # each cohort: a life-th of its cost, at most its book
        book -= dep
        gpu_dep = sum(dep.tolist()) if t.n else 0.0
        self.forget(projects=False)  # (cohorts only)
        plant_dep = min(self.plant_book, self.plant_cost / self.plant_life)
        self.plant_book -= plant_dep
        lines = []
        if gpu_dep:
            lines += [(self.owner, "gpus", -gpu_dep), (self.owner, "retained", gpu_dep)]
        if plant_dep:
            lines += [(self.owner, "dc_plant", -plant_dep), (self.owner, "retained", plant_dep)]
        if lines:
            ledger.post(lines, "depreciation")
        return gpu_dep + plant_dep

    def remove_units(self, units: float) -> float:
        """Take ``units`` million GPUs out of service (sold), oldest cohorts first.

        Capacity online falls with them (projects lose installed GPUs, newest projects last).
        Returns the book value removed, $B."""
        left, book = units, 0.0
        for c in sorted(self.cohorts, key=lambda c: c.month):
            if left <= 1e-15:
                break
            q = min(left, c.units)
            share = q / c.units if c.units > 0 else 0.0
            book += c.book * share
            c.book -= c.book * share
            c.units -= q
            left -= q
        self.cohorts = [c for c in self.cohorts if c.units > 1e-15]
        left = units
        for p in self.projects:
            if left <= 1e-15:
                break
            q = min(left, p.units_installed)
            p.units_installed -= q
            left -= q
        return book

    def market_value(self, month: int, price_at) -> float:
        """$B the GPUs fetch at ``price_at(age in months)`` ($ thousand per GPU)."""
        return sum(c.units * price_at(c.age(month)) for c in self.cohorts)

    def write_down(self, month: int, price_at, share: float = 1.0) -> float:
        """Mark ``share`` of every cohort down to ``price_at(age)`` where its book value is above
        that (GPUs repossessed at the used-GPU price); returns the $B written off."""
        loss = 0.0
        for c in self.cohorts:
            over = (c.book - c.units * price_at(c.age(month))) * share
            if over > 0:
                c.book -= over
                loss += over
        return loss

    def write_off_all(self) -> None:
        """The owner is liquidated: no projects, GPUs or plant remain (book values already removed)."""
        self.projects, self.cohorts, self.plant_book = [], [], 0.0

    def reconcile(self) -> list[tuple[str, str, float]]:
        return [
            (self.owner, "gpus", self.gpu_book()),
            (self.owner, "dc_plant", self.plant_book),
            (self.owner, "construction", self.construction_book()),
        ]
