"""Language identification: which language pack should encode a text?

* :mod:`.detection`: :class:`Detection` and the :class:`LanguageDetector` protocol.
* :mod:`.backends`: detectors registered by name (``lid.176``, ``glotlid``, ...) and
  :func:`load_detector`.
* :mod:`.fasttext_lid`: a fastText model's labels mapped to zoo codes, with
  restriction and script checks; :mod:`.models` finds and loads model files.
* :mod:`.scripts`: Unicode script of a text; :mod:`.evaluation`: built-in benchmark.
"""

from langzoo.lid.backends import Backend, get_backend, list_backends, load_detector, register_backend
from langzoo.lid.detection import Detection, LanguageDetector, LidInputError

__all__ = ["Backend", "Detection", "LanguageDetector", "LidInputError", "get_backend", "list_backends",
           "load_detector", "register_backend"]
