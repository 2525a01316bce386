"""Files of an inspection, for logged-in staff whose grids hold the producer (404 for anyone else, as if
the file did not exist): photos from private storage, the on-site record PDF, a sample's label PDF."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views import View

from disclosure.models import Producer
from portal.pdf import pdf_response

from ..models import InspectionPhoto, Sample
from ..printing import label_pdf, record_pdf
from .common import VIEW_INSPECTIONS, AccessMixin, scoped_inspection


class PhotoView(AccessMixin, View):
    permission = VIEW_INSPECTIONS
    thumbnail = False

    def get(self, request, pk):
        photo = get_object_or_404(InspectionPhoto.objects.select_related("inspection"), pk=pk)
        scoped_inspection(request.user, photo.inspection_id)
        file = photo.thumbnail if self.thumbnail else photo.image
        response = FileResponse(file.open("rb"), content_type="image/jpeg")
        response["Content-Disposition"] = f'inline; filename="inspection-photo-{pk}.jpg"'
        return response


class RecordPdfView(AccessMixin, View):
    permission = VIEW_INSPECTIONS

    def get(self, request, pk):
        inspection = scoped_inspection(request.user, pk)
        name = f"inspection-{inspection.producer.code or inspection.producer_id}-{inspection.inspected_on:%Y%m%d}.pdf"
        return pdf_response(record_pdf(inspection), name)


class SampleLabelView(AccessMixin, View):
    permission = "inspections.view_sample"

    def get(self, request, pk):
        sample = get_object_or_404(Sample.objects.select_related("producer", "producer__village"),
                                   pk=pk, producer__in=Producer.objects.visible_to(request.user))
        return pdf_response(label_pdf(sample), f"sample-{sample.number}.pdf")
