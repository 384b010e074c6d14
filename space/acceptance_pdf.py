"""The contract as accepted online: the version's PDF with one page appended that records the
acceptance (who, which version, the sentence ticked, when, from which address and browser). Kept with
the acceptance (``ContractAcceptance.pdf``), downloaded by the young person and by staff."""
import io
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from ipm.pdf import html_to_pdf

log = logging.getLogger(__name__)


def acceptance_page(acceptance):
    contract = acceptance.contract
    html = render_to_string("space/acceptance_page.html", {
        "acceptance": acceptance, "contract": contract, "youth": contract.dossier.youth,
        "accepted_at": timezone.localtime(acceptance.accepted_at), "PLATFORM_NAME": settings.IPM_PLATFORM_NAME,
    })
    return html_to_pdf(html)


def contract_with_acceptance(acceptance):
    """PDF bytes: every page of the contract, then the acceptance page."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    with acceptance.contract.pdf.open("rb") as handle:
        writer.append(PdfReader(io.BytesIO(handle.read())))
    writer.append(PdfReader(io.BytesIO(acceptance_page(acceptance))))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def attach_accepted_pdf(acceptance):
    """Store the contract with its acceptance page. The acceptance stands even if the PDF cannot be
    made (an unreadable contract file): it is logged, and the record itself is the proof."""
    try:
        content = contract_with_acceptance(acceptance)
    except Exception:  # noqa: BLE001 — the acceptance is recorded whatever happens to its copy
        log.exception("Page d'acceptation non ajoutée au contrat %s", acceptance.contract_id)
        return False
    acceptance.pdf.save(f"contrat-v{acceptance.version}-accepte.pdf", ContentFile(content), save=True)
    return True
