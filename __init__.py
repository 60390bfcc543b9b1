"""AI Loop: an agent-based model (Mesa 3) of the AI circular-financing economy.

The project's top-level folders install as one package, ``ailoop``: ``ailoop.model`` (the Mesa
model and its core: ledger, contracts, parameters, markets), ``ailoop.agents`` (one module per
actor family) and ``ailoop.runs`` (the command line, sweeps and outputs). ``import ailoop`` is
cheap; ``ailoop.Economy`` loads the model on first use::

    import ailoop
    eco = ailoop.Economy(scenario="baseline", seed=1)
    eco.run(years=1)
"""

from __future__ import annotations

__version__ = "0.2.0"
__all__ = ["Economy", "AccountingError", "ParameterError", "ScenarioError", "__version__"]


def __getattr__(name: str):
    if name in ("Economy", "AccountingError", "ParameterError", "ScenarioError"):
        from ailoop import model

        return getattr(model, name)
    raise AttributeError(f"module 'ailoop' has no attribute {name!r}")
