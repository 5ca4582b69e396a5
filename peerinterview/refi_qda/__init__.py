"""The REFI-QDA exchange standard (QDA-XML 1.0, www.qdasoftware.org): a project as a `.qdpx`
(a zip with `project.qde` and the sources) and a codebook as a `.qdc`, so coded answers move to
ATLAS.ti, MAXQDA, NVivo, QualCoder or Taguette, and a codebook comes in from them.

Pure: no Flask, no database. `report/refi_export.py` gathers what may leave the app; this
package only writes and reads the files. The published schemas are in `schemas/` (MIT licence)
and the tests validate every file written against them.
"""
from pathlib import Path

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
ORIGIN = "PeerInterview"
