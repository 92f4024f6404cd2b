"""The donor reports page and the PDF downloads (``donor``): a funder's donor viewer (or a supervisor) picks a
campaign or programme, a period in whole months and a language, and downloads the PDF."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from hifazat.core.access import get_visible_or_404, requires

from . import donor, pdf


class DonorReportForm(forms.Form):
    """A period in whole months (``YYYY-MM``, as ``<input type="month">`` sends it) and the report's language."""

    start = forms.CharField(label=_("From (month)"), widget=forms.TextInput(attrs={"type": "month"}))
    end = forms.CharField(label=_("To (month)"), widget=forms.TextInput(attrs={"type": "month"}))
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)

    def _month(self, name: str):
        try:
            return donor.month_start(self.cleaned_data[name].strip())
        except ValueError:
            raise forms.ValidationError(_("Give a month as YYYY-MM, such as 2006-01.")) from None

    def clean_start(self):
        return self._month("start")

    def clean_end(self):
        return self._month("end")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The period ends before it starts."))
            data["period"] = donor.Period.of_months(start, end)
        return data


def _initial(record) -> dict[str, str]:
    """The record's whole run so far, in the language of the page."""
    period = donor.default_period(record)
    return {
        "start": f"{period.start:%Y-%m}",
        "end": f"{period.end:%Y-%m}",
        "language": "ur" if (translation.get_language() or "").startswith("ur") else "en",
    }


def _form_for(record, data=None) -> DonorReportForm:
    return DonorReportForm(data, initial=_initial(record), auto_id=f"id_{record.uuid}_%s")


def _page(request, *, failed=None, form=None, status=200):
    actor = request.actor
    sections = []
    for kind, title in (
        (donor.CAMPAIGN, _("Awareness campaigns")),
        (donor.PROGRAMME, _("Livelihood assistance")),
    ):
        records = donor.reports_for(actor, kind).select_related("funder").order_by("-starts_on", "pk")
        sections.append(
            {
                "kind": kind,
                "title": title,
                "rows": [
                    {
                        "record": record,
                        "form": form if failed is not None and record.pk == failed.pk else _form_for(record),
                        "url": f"reporting:donor_{kind}_pdf",
                    }
                    for record in records
                ],
            }
        )
    return render(request, "reporting/donor/page.html", {"sections": sections}, status=status)


@requires("reporting.donor_reports")
@require_GET
def donor_reports(request):
    """The campaigns and programmes the user may report on to their funder, each with its period and language."""
    return _page(request)


def _download(request, kind: str, uuid):
    record = get_visible_or_404(donor.reports_for(request.actor, kind), uuid)
    # What the link does not say is the default: the whole run so far, in the page's language.
    asked = {
        name: value for name, value in request.GET.items() if name in DonorReportForm.base_fields and value
    }
    form = _form_for(record, {**_initial(record), **asked})
    if not form.is_valid():
        return _page(request, failed=record, form=form, status=400)
    try:
        report = donor.donor_report(
            actor=request.actor,
            kind=kind,
            record=record,
            period=form.cleaned_data["period"],
            language=form.cleaned_data["language"],
        )
    except pdf.PdfUnavailable:
        form.add_error(
            None,
            _(
                "This server cannot make PDF files yet: its PDF library needs Pango (on Debian, the packages "
                "libpango-1.0-0 and libpangoft2-1.0-0). Ask your administrator to install it."
            ),
        )
        return _page(request, failed=record, form=form, status=503)
    response = HttpResponse(report.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@requires("reporting.donor_reports")
@require_GET
def donor_campaign_pdf(request, uuid):
    """The campaign's donor report as a PDF, for the period and language asked (audited)."""
    return _download(request, donor.CAMPAIGN, uuid)


@requires("reporting.donor_reports")
@require_GET
def donor_programme_pdf(request, uuid):
    """The livelihood programme's donor report as a PDF, for the period and language asked (audited)."""
    return _download(request, donor.PROGRAMME, uuid)
