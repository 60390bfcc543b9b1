"""AI Loop: the Mesa model of the AI circular-financing economy.

``from ailoop.model import Economy`` gives the model class. The import is lazy so that the low-level
modules of this package (``model.ledger``, ``model.contracts``, ``model.params``) can be imported
by ``agents/`` without pulling in the economy (imports point one way: runs -> model -> agents ->
ledger/contracts).
"""

from __future__ import annotations

__all__ = ["Economy", "AccountingError", "ParameterError", "ScenarioError"]


def __getattr__(name: str):
    if name == "Economy":
        from ailoop.model.economy import Economy

        return Economy
    if name == "AccountingError":
        from ailoop.model.ledger import AccountingError

        return AccountingError
    if name == "ParameterError":
        from ailoop.model.params import ParameterError

        return ParameterError
    if name == "ScenarioError":
        from ailoop.model.scenarios import ScenarioError

        return ScenarioError
    raise AttributeError(f"module 'model' has no attribute {name!r}")
