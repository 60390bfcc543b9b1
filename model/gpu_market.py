"""GPU and capacity prices: spot rent from utilisation, used-GPU prices, the price of new capacity.

* **Rent** ($ per GPU-hour): ``rent_ref * (utilisation / rent_utilisation_ref) ** rent_elasticity``,
  utilisation = GW used / GW online across all capacity owners.
* **Used GPUs** ($ thousand per GPU): the new chip_leader price x the share of useful life left x
  the rent relative to its reference (capped at 1) x the lingering impact of fire sales, which
  fades with time constant ``used_price_recovery_months``.
* **New capacity** ($B per GW-year): all-in capex per GW recovered over the term at the provider's
  cost of debt (an annuity), plus operating cost.
* **Spot market**: unmodelled buyers rent idle capacity pro rata to each owner's idle GW.
"""

from __future__ import annotations

import numpy as np

#: GPUs per million, hours per month and $ per $B: the unit conversion of rent to $B per GW-month
HOURS_PER_MONTH = 730.0


class GpuMarket:
    """Prices of GPUs and compute (one per economy: ``economy.gpu_market``)."""

    def __init__(self, economy):
        self.economy = economy
        p = economy.params
        self.utilisation = p["rent_utilisation_ref"]
        self.rent = p["rent_ref"]  # $ per GPU-hour
        self.fire_sale_impact = 1.0  # multiplier on the used-GPU price from fire sales (recovers)
        self.outside_rented = 0.0  # GW of the outside capacity rented by the spot buyers this month
        self.used_price = self.used_price_0 = 0.0  # $ thousand per GPU; set by open() on the opening fleet

    def open(self) -> None:
        """Opening used-GPU price, of the opening fleet (call once the opening books are posted)."""
        self.used_price = self.used_price_0 = self.used_price_of_fleet()

    # ------------------------------------------------------------------ new GPUs and capacity
    def new_price(self) -> float:
        """chip_leader's new-GPU price, $ thousand per GPU (system level)."""
        return self.economy.agent("chip_leader").gpu_price

    def capex_per_gw(self) -> float:
        """All-in $B per GW at current chip_leader prices."""
        p = self.economy.params
        return p["shell_capex_per_gw"] + p["gpus_per_gw"] * self.new_price()

    def capacity_price(self, term_months: int, provider=None) -> float:
        """$B per GW-year a provider asks for new capacity: today's all-in capex per GW recovered
        over the term at the provider's cost of debt (an annuity), plus operating cost. For the
        cloud at the opening GPU price this gives ~$13.3B per GW-year, the lab-cloud contract's
        price (derived)."""
        economy = self.economy
        p = economy.params
        spread = economy.credit.spread(provider) if provider is not None else p["spread_cloud"]
        r = p["risk_free_rate"] + spread
        n = term_months / 12.0
        crf = r / (1.0 - (1.0 + r) ** -n) if r > 0 else 1.0 / n
        return self.capex_per_gw() * crf + 12.0 * p["capacity_opex_per_gw_month"]

    def custom_silicon_price(self) -> float:
        """$ thousand per in-house accelerator (hyperscalers' custom silicon)."""
        return self.economy.params["custom_silicon_discount"] * self.new_price()

    # ------------------------------------------------------------------ rent and used GPUs
    def rent_per_gw_month(self) -> float:
        """Spot rent in $B per GW-month ($/GPU-hour x GPUs per GW x 730 hours)."""
        return self.rent * self.economy.params["gpus_per_gw"] * 1e6 * HOURS_PER_MONTH / 1e9

    def capacity_used_gw(self) -> float:
        """GW in use: the labs' use (with the GPU fleets leased to them), owners' own use, spot
        rentals and capacity delivered under contracts to buyers other than the labs (all of it in
        use; the labs say what they use of theirs). The GPU SPV's fleet counts as used while its
        lessee uses capacity."""
        economy = self.economy
        month = economy.month
        labs = {lab.aid for lab in economy.labs}
        used = sum(lab.used_gw for lab in economy.labs)
        used += economy.agent("spv").online_gw if economy.agent("lab_spv").used_gw > 0 else 0.0
        used -= min(used, economy.agent("lab_spv").leased_gw())  # leased GW are inside lab_spv's use
        for o in economy.capacity_owners:
            used += o.self_used_gw + o.spot_gw
            used += sum(c.used_gw(month) for c in o.contracts_sold() if c.holder not in labs)
        return used

    def capacity_built_gw(self) -> float:
        """GW online across all capacity owners."""
        return sum(o.online_gw for o in self.economy.capacity_owners)

    def update(self) -> None:
        """Spot rent from utilisation; used-GPU price from the new price, age and rent. The rental
        market's supply is the capacity online plus the outside capacity competing for the same
        renters (``gpu_outside_supply_gw``, rented as far as spot demand reaches it): a glut of
        supply lowers utilisation and so the rent the market clears at."""
        p = self.economy.params
        outside = p["gpu_outside_supply_gw"]
        built = self.capacity_built_gw() + outside
        used = self.capacity_used_gw() + self.outside_rented
        self.utilisation = min(1.0, used / built) if built > 0 else p["rent_utilisation_ref"]
        self.rent = p["rent_ref"] * (max(self.utilisation, 0.05) / p["rent_utilisation_ref"]) ** p["rent_elasticity"]
        self.used_price = self.used_price_of_fleet()

    def used_price_at(self, age_months: float) -> float:
        """$ thousand per used GPU of ``age_months``: new price x remaining life share x rent
        relative to reference (capped at 1) x the lingering fire-sale impact."""
        p = self.economy.params
        life_left = max(0.0, 1.0 - age_months / p["gpu_life_months"])
        return self.new_price() * life_left * min(1.0, self.rent / p["rent_ref"]) * self.fire_sale_impact

    def used_price_of_fleet(self) -> float:
        """$ thousand per used GPU of the fleet's average age (the ``gpu_price_used`` output)."""
        economy = self.economy
        owners = economy.capacity_owners
        units = sum(o.fleet.units() for o in owners)
        age = sum(o.fleet.units() * o.fleet.mean_age(economy.month) for o in owners) / units if units else 0.0
        return self.used_price_at(age)

    def collateral_value(self, owner) -> float:
        """$B value of ``owner``'s GPUs at the used-GPU price for their age (the lenders' mark)."""
        month = self.economy.month
        return sum(c.units * self.used_price_at(c.age(month)) for c in owner.fleet.cohorts)

    def fire_sale(self, units: float) -> None:
        """``units`` million GPUs dumped at once lower the used price by ``exp(-units / depth)``."""
        self.fire_sale_impact *= float(np.exp(-units / self.economy.params["used_gpu_market_depth"]))
        self.used_price = self.used_price_of_fleet()

    def recover(self) -> None:
        """Fire-sale impact on the used-GPU price fades with time constant ``used_price_recovery_months``."""
        k = np.exp(-1.0 / self.economy.params["used_price_recovery_months"])
        self.fire_sale_impact = 1.0 - (1.0 - self.fire_sale_impact) * k

    def spot_market(self) -> None:
        """Unmodelled buyers rent idle capacity, pro rata to each owner's idle GW and to the outside
        capacity competing for them (``gpu_outside_supply_gw``)."""
        economy = self.economy
        demand = economy.params["spot_demand_gw_0"] * economy.demand.index("rest_of_market")
        outside = economy.params["gpu_outside_supply_gw"]
        owners = economy.capacity_owners
        sellers = [o for o in owners if o.free_gw > 0]
        free = sum(o.free_gw for o in sellers)
        for o in owners:
            o.spot_gw = 0.0
        self.outside_rented = min(1.0, demand / (free + outside)) * outside if free + outside > 0 else 0.0
        if free <= 0:
            return
        share = min(1.0, demand / (free + outside))
        for o in sellers:
            o.sell_spot(share * o.free_gw)
