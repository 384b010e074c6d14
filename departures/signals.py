"""What the departures app tells the apps above it (it imports none of them): the follow-up's outbox turns
these into messages (``followup.step_messages``). Sent inside the transaction that wrote the change."""
from django.dispatch import Signal

# A new version of the contract was generated (``services.generate_contract``): sender=Contract, contract=….
# The young person is told it is ready to read and accept in their space.
contract_generated = Signal()
