"""Contracts between agents: each has a holder side and an issuer side and carries its own rules.

``value_for(agent)`` is the contract's value to that agent in $B at current marks, positive for
the side that holds the claim and negative for the side that owes it. Executory commitments
(capacity contracts, staged investments, chip orders not yet delivered, leases) are off balance
sheet: their value is the remaining committed cash, the "backlog" or "RPO" of the seller.
``booked()`` lists the balance-sheet lines a contract stands behind, ``(agent, account, $B)``; the
books check reconciles them with the ledger. The protocol every contract follows (settlement and
its phase, delivery and billing of compute, backlog, commitments, debt service, claims and
unwinding at default, the market's pipeline, the transaction types it posts) is in
:mod:`ailoop.model.contracts.base`; agents and services select contracts by the protocol methods
they implement (``book.issued_by(aid, Contract.backlog)``), never by kind.
"""

from ailoop.model.contracts.base import ASPECTS, LIQUIDATION_BUYER, SETTLE_PHASES, STRENGTHS, Contract, ContractError
from ailoop.model.contracts.book import ContractBook
from ailoop.model.contracts.chips import ChipOrder
from ailoop.model.contracts.compute import CapacityBackstop, CapacityContract, CloudCredits, Lease, OutsideCompute
from ailoop.model.contracts.convertible import ConvertibleNote, MandatoryConvertible, issue_mandatory
from ailoop.model.contracts.debt import Bond, GpuLoan, Invoice, MarginLoan, TradeCredit
from ailoop.model.contracts.equity import ConditionalInvestment, EquityStake, StagedInvestment, Warrant
from ailoop.model.contracts.intent import LetterOfIntent
from ailoop.model.contracts.loans import ContractLoan, Revolver, TermLoan, facility_covenants
from ailoop.model.contracts.realestate import ConstructionLoan, DataCentreLease, JointVentureStake, ProjectBond
from ailoop.model.contracts.settlement import bill, owe, pay, pay_or_owe, settle_arrears

#: accounts whose balances are fully explained by contracts
CONTRACT_ACCOUNTS = ("receivables", "prepaid", "equity_stakes", "warrants", "bonds_held", "bond_valuation", "payables",
                     "deferred_revenue", "debt")

__all__ = [
    "Contract", "ContractBook", "ContractError", "ASPECTS", "SETTLE_PHASES", "STRENGTHS", "LetterOfIntent", "LIQUIDATION_BUYER", "CONTRACT_ACCOUNTS",
    "CapacityContract", "Lease", "CapacityBackstop", "CloudCredits", "ChipOrder",
    "EquityStake", "StagedInvestment", "Warrant", "Bond", "GpuLoan", "TradeCredit", "MarginLoan",
    "TermLoan", "Revolver", "ContractLoan", "facility_covenants", "MandatoryConvertible", "ConvertibleNote",
    "issue_mandatory", "OutsideCompute", "ConditionalInvestment",
    "DataCentreLease", "ConstructionLoan", "ProjectBond", "JointVentureStake",
    "owe", "pay", "pay_or_owe", "settle_arrears", "bill", "Invoice",
]
