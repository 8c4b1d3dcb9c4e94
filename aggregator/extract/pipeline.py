"""The extraction entry point: :class:`Extractor` turns Documents into Extractions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from aggregator import __version__
from aggregator.extract.facts import summarise
from aggregator.extract.gazetteers import data_fingerprint, load_gazetteers
from aggregator.extract.nlp import load_nlp, resolve_model_name
from aggregator.models import Document, Extraction

MAX_CHARS = 100_000  # longer texts are cut: spaCy's memory grows with document length
WRAP_MIN_LINE = 60  # a line at least this long that ends mid-sentence was hard-wrapped


def normalise_text(text: str) -> str:
    """Join hard-wrapped lines inside a paragraph ("cyber\nattack") so phrases match; blank
    lines, headings and list items keep their breaks."""
    lines = text.replace("\r\n", "\n").replace("\u00a0", " ").split("\n")
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        if (line.strip() and len(previous) >= WRAP_MIN_LINE
                and not re.search(r"[.:!?\"'”’]\s*$", previous)):
            out[-1] = previous.rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)[:MAX_CHARS].strip()


class Extractor:
    """Loads the spaCy pipeline once, then extracts any number of documents."""

    def __init__(self, model: str | None = None):
        self.model = resolve_model_name(model)
        self.nlp = load_nlp(self.model)
        self.gazetteers = load_gazetteers("")
        self.version = f"{__version__}+{data_fingerprint()}"

    def extract(self, document: Document) -> Extraction:
        return next(self.extract_many([document]))

    def extract_many(self, documents: Iterable[Document], *, batch_size: int = 32,
                     n_process: int = 1) -> Iterator[Extraction]:
        """Extract in input order, batched through ``nlp.pipe``."""
        pairs = ((normalise_text(doc.text), doc) for doc in documents)
        for sdoc, document in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size,
                                            n_process=n_process):
            yield summarise(sdoc, title=document.title, published=document.published,
                            gazetteers=self.gazetteers, version=self.version)
