"""The stories stage as a store plugin: the functions the store's hooks call.

``dateline.store.plugins`` lists this module; the ``Store`` calls ``setup`` when it opens
(creating this stage's tables), ``documents_stored`` after each committed write and
``document_deleted`` after a delete. Nothing here imports the store at import time.
"""
from __future__ import annotations

from dateline.stories import ensure_tables as setup  # noqa: F401 - the hook names the store calls
from dateline.stories import forget_document as document_deleted  # noqa: F401
from dateline.stories import on_documents_stored as documents_stored  # noqa: F401
