"""Uploaded files are capped while they arrive, so a 50 MB file is never stored nor read whole.

Django streams an upload through a chain of handlers (settings.FILE_UPLOAD_HANDLERS). This one
comes first: it counts the bytes of each file and, past ``settings.FILE_UPLOAD_MAX_SIZE``, stops
handing them to the handlers that keep them (memory or temporary file) and drops the rest. The form
then receives an empty file whose ``size`` is the size that was sent, and says in French that it is
too big (see ``ImportForm``). The rest of the request body still has to be received from the network:
put the same limit in the reverse proxy (nginx ``client_max_body_size``) to refuse it even earlier.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class TooLargeUpload(InMemoryUploadedFile):
    """What the view receives instead of a file past the cap: no content, the size that was sent."""

    too_large = True

    def __init__(self, *, field_name, name, content_type, size, charset, content_type_extra):
        import io

        super().__init__(io.BytesIO(b""), field_name, name, content_type, size, charset, content_type_extra)


class CappedUploadHandler(FileUploadHandler):
    def new_file(self, field_name, file_name, content_type, content_length, charset=None,
                 content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.received = 0
        self.cap = settings.FILE_UPLOAD_MAX_SIZE

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return raw_data if self.received <= self.cap else None  # None: the next handlers get nothing more

    def file_complete(self, file_size):
        if self.received <= self.cap:
            return None  # let the usual handlers hand the file over
        return TooLargeUpload(field_name=self.field_name, name=self.file_name, content_type=self.content_type,
                              size=self.received, charset=self.charset,
                              content_type_extra=self.content_type_extra)
