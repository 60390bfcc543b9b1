"""Letters of intent: deals announced, not yet binding.

A :class:`LetterOfIntent` records what two parties said they intend to sign — the definitive
contract, with its terms, kept as a template outside the registry — and by when. It binds nobody:
it commits no money (``commitment`` is 0) and carries nothing on a balance sheet. What it does
carry is information: the market hears the announcement (its size is the news) and analysts
count the GPUs it would need in a chipmaker's pipeline, as they would the definitive deal's. It
ends in one of two ways, each a decision of a party, never a date that forces it: :meth:`sign`
registers the definitive contract (from then on the deal binds as its terms say), :meth:`lapse`
drops it (news of a cancellation). A party's default lapses it. ``expires_month`` is the date the
parties gave themselves; what happens at it is theirs to decide (``LetterOfIntent.expired``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ailoop.model.contracts.base import Contract


@dataclass(eq=False)
class LetterOfIntent(Contract):
    """``holder`` and ``issuer`` intend to sign ``definitive`` (a contract between them, not yet in
    the registry); ``announced`` $B is the deal's size as announced, ``expires_month`` the month
    they gave themselves to sign."""

    definitive: Contract | None = None
    name: str = ""
    announced: float = 0.0
    signed_month: int = 0
    expires_month: int = 0

    kind: ClassVar[str] = "letter_of_intent"
    rank: ClassVar[int] = 35
    strength: ClassVar[str] = "intent"
    unwind_order: ClassVar[tuple[int | None, int | None]] = (26, 27)

    def holder_value(self) -> float:
        return 0.0  # binds nobody: no claim, no commitment

    def pending_definitive(self) -> Contract | None:
        """The definitive contract the parties would sign (not in the registry yet)."""
        return self.definitive if self.active else None

    def intended(self) -> float:
        """What the definitive contract would commit the holder to, if the holder is its payer."""
        d = self.definitive
        if not self.active or d is None or d.holder != self.holder:
            return 0.0
        return d.commitment()

    def expired(self, month: int) -> bool:
        """Has the date the parties gave themselves passed?"""
        return month > self.expires_month

    def pipeline_gw(self, ctx, vendor, odds, horizon):
        """What the definitive deal would promise a chipmaker, as analysts read an announced intent."""
        if self.definitive is None:
            return None
        return self.definitive.pipeline_gw(ctx, vendor, odds, horizon)

    def sign(self, ctx) -> Contract | None:
        """The parties sign the definitive contract: it enters the registry and binds from now on."""
        if not self.active or self.definitive is None:
            return None
        self.active = False
        c = ctx.book.add(self.definitive)
        ctx.record_event("letter of intent signed", self.issuer, f"{self.name or c.kind} with {self.holder}: "
                         f"definitive agreement", self.announced)
        ctx.changed()
        return c

    def lapse(self, ctx, why: str) -> None:
        """The parties let the intent go: nothing was owed, so nothing is paid."""
        if not self.active:
            return
        self.active = False
        ctx.record_event("letter of intent lapsed", self.issuer, f"{self.name or 'intent'} with {self.holder}: {why}",
                         self.announced)
        ctx.changed()

    def unwind(self, ctx, defaulter: str) -> None:
        self.lapse(ctx, f"{defaulter} defaulted")
